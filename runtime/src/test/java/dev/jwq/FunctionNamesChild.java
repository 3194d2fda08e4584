package dev.jwq;

import dev.jwq.jfr.FunctionNames;
import java.io.Serializable;
import java.util.function.Supplier;

/**
 * Prints, one per line as {@code label=name}, the function names of the shapes a work item's
 * task takes, for {@link FunctionNamesChildJvmTest} to check in a JVM with and one without
 * {@code java.lang} open to jwq. Also says whether jwq exported {@code jdk.internal.reflect}.
 */
public final class FunctionNamesChild {
    interface SerializableRunnable extends Runnable, Serializable {
    }

    static void tick() {
    }

    private FunctionNamesChild() {
    }

    public static void main(String[] args) {
        int captured = args.length;
        Runnable first = () -> tick();
        Runnable second = () -> tick();
        Runnable capturing = () -> System.out.print(captured);
        Runnable staticRef = FunctionNamesChild::tick;
        Runnable boundRef = System.out::println;
        Supplier<Object> constructorRef = StringBuilder::new;
        SerializableRunnable serializable = () -> tick();
        Runnable anonymous = new Runnable() {
            @Override
            public void run() {
            }
        };
        print("first", first);
        print("second", second);
        print("capturing", capturing);
        print("staticRef", staticRef);
        print("boundRef", boundRef);
        print("constructorRef", constructorRef);
        print("serializable", serializable);
        print("anonymous", anonymous);
        System.out.println("exported=" + Object.class.getModule().isExported("jdk.internal.reflect",
                FunctionNames.class.getModule()));
    }

    private static void print(String label, Object fn) {
        System.out.println(label + "=" + FunctionNames.of(fn.getClass()));
    }
}
