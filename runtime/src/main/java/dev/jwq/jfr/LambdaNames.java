package dev.jwq.jfr;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.Set;

/**
 * Names a lambda or method reference by the method it calls: {@code com.acme.Cache::lambda$load$2},
 * {@code com.acme.Cache::evict}, {@code com.acme.Entry::new}. Every lambda of a class is an
 * instance of a hidden class called {@code com.acme.Cache$$Lambda/0x...}, so the class name alone
 * cannot tell two of them apart; the JDK's lambda factory spins each one as a class whose
 * constant pool holds one method reference besides {@code Object.<init>}, the implementation
 * method (javac's {@code lambda$main$1}, or the method a method reference names). That name is
 * the same in every run of the same build, which the hidden class's address is not.
 *
 * <p><b>Access.</b> The constant pool is read through {@code Class.getConstantPool()} and
 * {@code jdk.internal.reflect.ConstantPool}. The first needs {@code java.lang} open to jwq, which
 * the runtime asks for anyway ({@code --add-opens java.base/java.lang=ALL-UNNAMED}, or the agent,
 * which opens it to the runtime's module); with it, jwq exports {@code jdk.internal.reflect} to
 * its own module alone ({@code Module.implAddExports}, what {@code --add-exports} does), unless a
 * flag already did. Without {@code java.lang} open nothing is touched, {@link #of} returns null
 * and callers keep the hidden class's own name. Every failure ends the same way: this class
 * never throws.
 *
 * <p><b>Cost.</b> Reading one pool is a few dozen native calls; callers cache the result per
 * class ({@link FunctionNames}).
 */
final class LambdaNames {
    /** Constant pool tags of method references ({@code ConstantPool.Tag} names). */
    private static final Set<String> METHOD_REFS = Set.of("METHODREF", "INTERFACEMETHODREF");
    /** Boxing and unboxing calls the factory adds around the implementation method. */
    private static final Set<String> BOXES = Set.of("java/lang/Integer", "java/lang/Long", "java/lang/Short",
            "java/lang/Byte", "java/lang/Character", "java/lang/Boolean", "java/lang/Float", "java/lang/Double");

    private LambdaNames() {
    }

    /** What reads a constant pool, or why nothing can; set up on first use. */
    private static final class Access {
        static final MethodHandle GET_CONSTANT_POOL;
        static final Method SIZE;
        static final Method TAG;
        static final Method MEMBER_REF;
        static final String UNAVAILABLE;

        static {
            MethodHandle getPool = null;
            Method size = null;
            Method tag = null;
            Method memberRef = null;
            String why = null;
            try {
                Module base = Object.class.getModule();
                Module jwq = LambdaNames.class.getModule();
                if (!base.isOpen("java.lang", jwq)) {
                    why = "java.base does not open java.lang to jwq (--add-opens java.base/java.lang=ALL-UNNAMED)";
                } else {
                    if (!base.isExported("jdk.internal.reflect", jwq)) {
                        MethodHandles.privateLookupIn(Module.class, MethodHandles.lookup())
                                .findVirtual(Module.class, "implAddExports",
                                        MethodType.methodType(void.class, String.class, Module.class))
                                .invoke(base, "jdk.internal.reflect", jwq);
                    }
                    Class<?> pool = Class.forName("jdk.internal.reflect.ConstantPool");
                    getPool = MethodHandles.privateLookupIn(Class.class, MethodHandles.lookup())
                            .findVirtual(Class.class, "getConstantPool", MethodType.methodType(pool));
                    size = pool.getMethod("getSize");
                    tag = pool.getMethod("getTagAt", int.class);
                    memberRef = pool.getMethod("getMemberRefInfoAt", int.class);
                }
            } catch (Throwable t) {
                why = "cannot read constant pools: " + t;
                getPool = null;
            }
            GET_CONSTANT_POOL = getPool;
            SIZE = size;
            TAG = tag;
            MEMBER_REF = memberRef;
            UNAVAILABLE = why;
        }
    }

    /** Why lambdas keep their hidden class's name in this JVM, or null when they are named by their method. */
    static String unavailableReason() {
        return Access.UNAVAILABLE;
    }

    /**
     * {@code owner::method} for a lambda's hidden class, with {@code new} for a constructor
     * reference; null when {@code hidden} is no lambda class, its pool cannot be read, or it does
     * not name exactly one implementation method (a factory that calls it through a method handle).
     */
    static String of(Class<?> hidden) {
        if (Access.UNAVAILABLE != null || !hidden.isHidden() || !hidden.getName().contains("$$Lambda")) {
            return null;
        }
        try {
            Object pool = Access.GET_CONSTANT_POOL.invoke(hidden);
            int size = (int) Access.SIZE.invoke(pool);
            String found = null;
            for (int i = 1; i < size; i++) {
                if (!METHOD_REFS.contains(String.valueOf(Access.TAG.invoke(pool, i)))) {
                    continue;
                }
                String[] ref = (String[]) Access.MEMBER_REF.invoke(pool, i); // {owner, name, descriptor}
                if (!isImplementation(ref[0], ref[1])) {
                    continue;
                }
                if (found != null) {
                    return null; // two candidates: not the factory's usual shape, do not guess
                }
                found = ref[0].replace('/', '.') + "::" + (ref[1].equals("<init>") ? "new" : ref[1]);
            }
            return found;
        } catch (Throwable t) {
            return null;
        }
    }

    /** Whether a method reference in a lambda class's pool can be the implementation method. */
    private static boolean isImplementation(String owner, String name) {
        if (owner.equals("java/lang/Object") && name.equals("<init>")) {
            return false; // the lambda's constructor calling its super constructor
        }
        if (owner.startsWith("java/lang/invoke/")) {
            return false; // SerializedLambda of a serializable lambda; MethodHandle.invoke* of a handle-backed one
        }
        return !(BOXES.contains(owner) && (name.equals("valueOf") || name.endsWith("Value")));
    }
}
