package dev.jwq.cpu;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.io.File;
import java.lang.invoke.MethodHandle;
import java.util.BitSet;

/**
 * {@link NativeCpu} through the FFM API (Java 22+) on 64-bit Linux: glibc's
 * {@code sched_getcpu}, {@code sched_getaffinity}, {@code sched_setaffinity},
 * {@code setpriority}, {@code getpriority}, {@code getrlimit} and {@code gettid}, found in the
 * linker's default lookup. Compiled with {@code --release 22} into
 * {@code META-INF/versions/22}; created only by {@link NativeCpu#select}, reflectively, so
 * any failure here (a missing symbol, native access denied) becomes the fallback there.
 *
 * <p>The handles are static finals, so the JIT sees constants: {@code sched_getcpu}, which runs
 * on every {@code queue()}, is also a critical call (no thread-state transition; it neither
 * blocks nor calls back). Calls that can be refused capture errno. The handles only some
 * processes need (reading the affinity, which jwq reads from /proc first; the priority calls,
 * for HIGHPRI pools only) are made on first use, in holder classes: each handle costs a few
 * hundred KiB of heap and classes to make (measured: 1.4 MiB for these five).
 */
@SuppressWarnings("restricted") // Linker.downcallHandle: run with --enable-native-access=ALL-UNNAMED
final class LinuxCpu extends NativeCpu {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final long ERRNO_OFFSET = CALL_STATE.byteOffset(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    static {
        // size_t and rlim_t are taken as JAVA_LONG below.
        if (ADDRESS.byteSize() != Long.BYTES) {
            throw new UnsupportedOperationException("jwq's native calls need a 64-bit JVM");
        }
    }

    /** {@code int sched_getcpu(void)}. */
    private static final MethodHandle SCHED_GETCPU =
            downcall("sched_getcpu", FunctionDescriptor.of(JAVA_INT), Linker.Option.critical(false));
    /** {@code int sched_setaffinity(pid_t pid, size_t cpusetsize, const cpu_set_t *mask)}, errno captured. */
    private static final MethodHandle SCHED_SETAFFINITY =
            downcall("sched_setaffinity", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), CAPTURE_ERRNO);

    /** Made when the affinity is first read (jwq reads /proc/thread-self first). */
    private static final class Affinity {
        /** {@code int sched_getaffinity(pid_t pid, size_t cpusetsize, cpu_set_t *mask)}, errno captured. */
        static final MethodHandle SCHED_GETAFFINITY =
                downcall("sched_getaffinity", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), CAPTURE_ERRNO);
    }

    /** Made when a thread's priority is first raised (a HIGHPRI pool's worker or carrier). */
    private static final class Priority {
        /** {@code int setpriority(int which, id_t who, int prio)}, errno captured. */
        static final MethodHandle SETPRIORITY =
                downcall("setpriority", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
        /** {@code int getpriority(int which, id_t who)}. */
        static final MethodHandle GETPRIORITY =
                downcall("getpriority", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
        /** {@code int getrlimit(int resource, struct rlimit *rlim)}; {@code rlim_cur} is the first word. */
        static final MethodHandle GETRLIMIT =
                downcall("getrlimit", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
        /** {@code pid_t gettid(void)}: glibc 2.30+; null before, and the id is read from /proc/thread-self. */
        static final MethodHandle GETTID = LIBC.find("gettid")
                .map(s -> LINKER.downcallHandle(s, FunctionDescriptor.of(JAVA_INT)))
                .orElse(null);
    }

    private static final int PRIO_PROCESS = 0;  // with a thread id: that thread only (nice is per thread)
    private static final int RLIMIT_NICE = 13;
    private static final int NICE_MIN = -20;
    private static final int EINVAL = 22;
    /** glibc's {@code cpu_set_t} (1024 CPUs); doubled while the kernel says EINVAL (more CPUs). */
    private static final long CPU_SET_BYTES = 128;
    private static final long MAX_CPU_SET_BYTES = 1 << 20;

    LinuxCpu() {
        // Fail here, not at the first queue(), if the calls do not work in this process.
        if (currentCpu() < 0) {
            throw new IllegalStateException("sched_getcpu() returned no CPU");
        }
    }

    @Override
    public int currentCpu() {
        try {
            return (int) SCHED_GETCPU.invokeExact();
        } catch (Throwable t) {
            return -1;
        }
    }

    @Override
    public BitSet allowedCpus() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            for (long bytes = CPU_SET_BYTES; bytes <= MAX_CPU_SET_BYTES; bytes *= 2) {
                MemorySegment mask = arena.allocate(bytes, Long.BYTES);
                int rc = (int) Affinity.SCHED_GETAFFINITY.invokeExact(state, 0, bytes, mask);
                if (rc == 0) {
                    // cpu_set_t is an array of unsigned long: read words in native order.
                    return BitSet.valueOf(mask.toArray(JAVA_LONG));
                }
                if (errno(state) != EINVAL) {
                    return null;
                }
            }
            return null;
        } catch (Throwable t) {
            return null;
        }
    }

    @Override
    boolean pin(BitSet cpus) {
        long[] words = cpus.toLongArray();
        long bytes = Math.max(CPU_SET_BYTES, (long) words.length * Long.BYTES);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            MemorySegment mask = arena.allocate(bytes, Long.BYTES); // zeroed
            MemorySegment.copy(words, 0, mask, JAVA_LONG, 0, words.length);
            int rc = (int) SCHED_SETAFFINITY.invokeExact(state, 0, bytes, mask);
            return rc == 0 || fail("sched_setaffinity refused: " + errnoText(errno(state)));
        } catch (Throwable t) {
            return fail("sched_setaffinity failed: " + t);
        }
    }

    @Override
    public boolean raiseCurrentThreadPriority() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CALL_STATE);
            int tid = gettid();
            if ((int) Priority.SETPRIORITY.invokeExact(state, PRIO_PROCESS, tid, NICE_MIN) == 0) {
                return true;
            }
            String refused = "setpriority(" + NICE_MIN + ") refused: " + errnoText(errno(state));
            // Without CAP_SYS_NICE a thread may still go down to 20 - RLIMIT_NICE.
            int lowest = lowestAllowedNice(arena);
            int now = (int) Priority.GETPRIORITY.invokeExact(PRIO_PROCESS, tid);
            if (lowest > NICE_MIN && lowest < now
                    && (int) Priority.SETPRIORITY.invokeExact(state, PRIO_PROCESS, tid, lowest) == 0) {
                return true;
            }
            return fail(refused);
        } catch (Throwable t) {
            return fail("setpriority failed: " + t);
        }
    }

    @Override
    public String unavailableReason() {
        return null;
    }

    @Override
    public String toString() {
        return "NativeCpu[FFM, Linux]";
    }

    /** The lowest nice value RLIMIT_NICE lets this thread set, or MAX_VALUE if unknown. */
    private static int lowestAllowedNice(Arena arena) throws Throwable {
        MemorySegment rlimit = arena.allocate(2 * Long.BYTES, Long.BYTES);
        if ((int) Priority.GETRLIMIT.invokeExact(RLIMIT_NICE, rlimit) != 0) {
            return Integer.MAX_VALUE;
        }
        long cur = rlimit.get(JAVA_LONG, 0); // unsigned: RLIM_INFINITY reads as -1
        if (cur < 0 || cur >= 40) {
            return NICE_MIN;
        }
        return (int) (20 - cur);
    }

    private static int gettid() throws Throwable {
        if (Priority.GETTID != null) {
            return (int) Priority.GETTID.invokeExact();
        }
        File self = KernelFiles.threadSelf();
        if (self == null) {
            throw new IllegalStateException("no gettid() and no /proc/thread-self to read the thread id from");
        }
        return Integer.parseInt(self.getName());
    }

    private static int errno(MemorySegment state) {
        return state.get(JAVA_INT, ERRNO_OFFSET);
    }

    /** errno as its name and meaning, for the one warning a refusal gives. */
    static String errnoText(int errno) {
        String what = switch (errno) {
            case 1 -> "EPERM: operation not permitted";
            case 3 -> "ESRCH: no such thread";
            case 13 -> "EACCES: permission denied (needs CAP_SYS_NICE or a higher RLIMIT_NICE)";
            case 14 -> "EFAULT: bad address";
            case 22 -> "EINVAL: no CPU of the set is usable here (cpuset, hotplug) or the set is malformed";
            default -> "unexpected error";
        };
        return what + " (errno " + errno + ")";
    }

    private static MethodHandle downcall(String name, FunctionDescriptor fd, Linker.Option... options) {
        MemorySegment symbol = LIBC.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("the C library has no " + name + "()"));
        return LINKER.downcallHandle(symbol, fd, options);
    }
}
