package dev.jwq.cpu;

import dev.jwq.spi.NativeAccess;
import java.lang.reflect.InvocationTargetException;
import java.util.BitSet;
import java.util.Locale;
import java.util.Objects;

/**
 * The Linux calls jwq makes about CPUs: which CPU the caller runs on, which CPUs it may use,
 * pinning the calling thread, raising its OS priority. Internal.
 *
 * <p>{@link #get()} returns the FFM implementation ({@code LinuxCpu}, compiled for Java 22 and
 * shipped under {@code META-INF/versions/22} of the multi-release jar) when the JDK has the FFM
 * API (22+) and the OS is Linux; it is loaded reflectively, so the Java 21 classes never link
 * against it. Otherwise, or when anything fails while setting the calls up, it returns a
 * fallback that makes no native call and says why in {@link #unavailableReason()}. No method
 * throws because a native call failed: they return "unknown" or {@code false}, and
 * {@link #lastFailure()} tells the calling thread why.
 */
public abstract class NativeCpu {
    /** The FFM implementation, in META-INF/versions/22. */
    static final String FFM_CLASS = "dev.jwq.cpu.LinuxCpu";

    /** Why the calling thread's last {@code false} from pin or raise happened (confined to each thread). */
    private static final ThreadLocal<String> LAST_FAILURE = new ThreadLocal<>();

    NativeCpu() {} // implemented in this package only

    /** The implementation for this JVM, chosen once. */
    public static NativeCpu get() {
        return Holder.INSTANCE;
    }

    private static final class Holder {
        static final NativeCpu INSTANCE = select(Runtime.version().feature(),
                System.getProperty("os.name", "unknown"), FFM_CLASS);
    }

    /** Chooses the implementation (see the class comment); never throws. */
    static NativeCpu select(int jdkFeature, String osName, String ffmClass) {
        if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return new UnavailableCpu("not Linux (os.name is " + osName + ")");
        }
        if (jdkFeature < 22) {
            return new UnavailableCpu("the JDK has no FFM API (Java 22+ needed, this is Java " + jdkFeature + ")");
        }
        try {
            // LinuxCpu's initialiser makes its downcall handles (restricted): under the jwq agent,
            // with native access enabled for just that long (dev.jwq.spi.NativeAccess).
            return NativeAccess.during(() -> (NativeCpu) Class.forName(ffmClass, true, NativeCpu.class.getClassLoader())
                    .getDeclaredConstructor().newInstance());
        } catch (ClassNotFoundException e) {
            return new UnavailableCpu("jwq's FFM classes (META-INF/versions/22 of the jwq-runtime jar) are not on the"
                    + " class path; run from the jar, or add target/classes/META-INF/versions/22");
        } catch (InvocationTargetException e) {
            return new UnavailableCpu("the native calls could not be set up: " + e.getCause());
        } catch (Exception | LinkageError e) {
            Throwable cause = e instanceof ExceptionInInitializerError && e.getCause() != null ? e.getCause() : e;
            return new UnavailableCpu("the native calls could not be set up: " + cause);
        }
    }

    /**
     * The CPU the calling thread runs on ({@code sched_getcpu}), or -1 when unknown. Cheap
     * enough for every {@code queue()}; stale the moment it returns, like Linux's.
     */
    public abstract int currentCpu();

    /**
     * The CPUs the calling thread may run on ({@code sched_getaffinity(0)}: taskset, cgroup
     * cpusets and earlier pinning all show), or null when unknown. At start-up, before jwq pins
     * anything, this is the process's set.
     */
    public abstract BitSet allowedCpus();

    /**
     * Pins the calling thread to {@code cpus} ({@code sched_setaffinity(0)}).
     *
     * @return false when unavailable or refused ({@link #lastFailure()} says why)
     * @throws NullPointerException if {@code cpus} is null
     * @throws IllegalArgumentException if {@code cpus} is empty
     */
    public final boolean pinCurrentThread(BitSet cpus) {
        Objects.requireNonNull(cpus, "cpus is null");
        if (cpus.isEmpty()) {
            throw new IllegalArgumentException("cannot pin a thread to an empty set of CPUs");
        }
        return pin(cpus);
    }

    /**
     * Raises the calling thread's OS priority: nice -20
     * ({@code setpriority(PRIO_PROCESS, gettid(), -20)}), or, where the process may not, the
     * lowest nice value {@code RLIMIT_NICE} allows if that is better than the current one.
     *
     * @return false when unavailable or refused ({@link #lastFailure()} says why, with errno)
     */
    public abstract boolean raiseCurrentThreadPriority();

    /** Why no native call is made at all, or null when they are available. */
    public abstract String unavailableReason();

    /** Why the calling thread's last pin or raise returned {@code false}, or null if none did. */
    public final String lastFailure() {
        return LAST_FAILURE.get();
    }

    abstract boolean pin(BitSet cpus);

    /** Records why the calling thread's call failed and returns {@code false}. */
    static boolean fail(String why) {
        LAST_FAILURE.set(why);
        return false;
    }
}
