package dev.jwq;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A concurrent set that holds its elements weakly and compares them by identity, whatever
 * {@code equals} a subclass defines (the live workqueues: one that nobody references is garbage
 * like any idle executor). Cleared entries are dropped by the next add or remove. The JDK has
 * no such set; Caffeine's weak-keyed map is one, but loading it costs a process about 1 MiB of
 * heap and 60 classes at start-up, for a set that changes only when a workqueue is created or
 * terminated.
 *
 * <p>Tags (the package legend): V.
 */
final class WeakIdentitySet<T> {
    private final ConcurrentHashMap<Key<T>, Boolean> map = new ConcurrentHashMap<>(); // V
    private final ReferenceQueue<T> cleared = new ReferenceQueue<>();                 // V

    /** A weak reference equal to another one of the same live referent. */
    private static final class Key<T> extends WeakReference<T> {
        private final int hash; // I: the referent's identity hash, kept once it is cleared

        Key(T referent, ReferenceQueue<T> queue) {
            super(referent, queue);
            this.hash = System.identityHashCode(referent);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (this == o) {
                return true;
            }
            // A cleared key equals only itself: it is found and removed through the queue.
            Object mine = get();
            return mine != null && o instanceof Key<?> k && k.get() == mine;
        }
    }

    void add(T element) {
        expunge();
        map.put(new Key<>(element, cleared), Boolean.TRUE);
    }

    void remove(T element) {
        expunge();
        map.remove(new Key<>(element, null));
    }

    /** The elements alive now (a snapshot). */
    List<T> snapshot() {
        List<T> live = new ArrayList<>(map.size());
        for (Key<T> k : map.keySet()) {
            T element = k.get();
            if (element != null) {
                live.add(element);
            }
        }
        return live;
    }

    private void expunge() {
        for (Object k; (k = cleared.poll()) != null; ) {
            map.remove(k);
        }
    }
}
