package dev.jwq.jmc;

import java.util.function.BiConsumer;
import org.openjdk.jmc.common.item.IAttribute;
import org.openjdk.jmc.common.item.IItem;
import org.openjdk.jmc.common.item.IItemCollection;
import org.openjdk.jmc.common.item.IItemIterable;
import org.openjdk.jmc.common.item.IMemberAccessor;
import org.openjdk.jmc.common.item.ItemFilters;

/** Walking the events of one type with their attributes resolved per chunk type, as JMC wants. */
final class Items {
    private Items() {
    }

    /** Calls {@code each} with an accessor lookup and every item of {@code type}. */
    static void forEach(IItemCollection items, String type, BiConsumer<Access, IItem> each) {
        for (IItemIterable it : items.apply(ItemFilters.type(type))) {
            Access access = new Access(it);
            for (IItem item : it) {
                each.accept(access, item);
            }
        }
    }

    /**
     * {@code "a: 1, b: 2"}: a map for a result text. (Not Map.toString(): JMC reads braces in
     * result texts as placeholders.)
     */
    static String list(java.util.Map<String, ? extends Number> counts) {
        StringBuilder b = new StringBuilder();
        counts.forEach((k, v) -> b.append(b.length() == 0 ? "" : ", ").append(k).append(": ").append(v));
        return b.toString();
    }

    /** Attribute values of the items of one {@link IItemIterable}. */
    static final class Access {
        private final IItemIterable iterable;

        Access(IItemIterable iterable) {
            this.iterable = iterable;
        }

        /** The value of {@code attribute} for {@code item}, or null where the type lacks it. */
        <T> T get(IAttribute<T> attribute, IItem item) {
            IMemberAccessor<T, IItem> a = attribute.getAccessor(iterable.getType());
            return a == null ? null : a.getMember(item);
        }
    }
}
