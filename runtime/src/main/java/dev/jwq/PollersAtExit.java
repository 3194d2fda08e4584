package dev.jwq;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * At the JVM's exit, takes the JDK's platform socket pollers out of native code, so that the
 * exit does not wait for them.
 *
 * <p>When the JVM exits (its last non-daemon thread ends, or {@code System.exit}), HotSpot waits
 * up to 300 ms ({@code -XX:UserThreadWaitAttemptsAtExit}, 30 steps of 10 ms) for every Java
 * thread that runs native code to leave it. With {@code jdk.pollerMode=1}, which jwq asks for
 * ({@link SocketPollers}), the JDK's socket pollers are platform threads, {@code Read-Poller} and
 * {@code Write-Poller}, that wait in {@code epoll_wait} for good once a virtual thread has blocked
 * on a socket (the JDK's default mode has one such thread too, its {@code MasterPoller}). So a
 * process whose virtual workers had read a socket took 300 ms longer to exit (measured: 313-328
 * ms from its last line to its end, against 8-11 ms): a price that the same program with its
 * pools on platform threads does not pay, and that a short-lived program under the agent sees.
 *
 * <p>So jwq registers a shutdown hook ({@link Runtime#addShutdownHook}, cheap) when it decides on
 * virtual workers. At exit, if a poller waits in native code, that hook adds a system hook (slot
 * {@value #SLOT} of {@code java.lang.Shutdown}, through {@link VirtualThreadAccess}), which the
 * exiting thread runs once every application hook has ended and delete-on-exit has run. It gives
 * each poller one event to report: a pipe that a virtual thread of jwq's waits on. The poller
 * wakes and unparks that thread, whose scheduler ({@link Sentinel}) then parks the poller for
 * good instead of running it: the poller waits in Java, and the JVM exits at once. Nothing but
 * the JVM's own exit follows, so the wake-ups that the pollers no longer deliver are ones nobody
 * would act on: a virtual thread that still waits for a socket then (another thread's, during
 * {@code System.exit}) stays waiting, as it would a moment later when the JVM halts.
 *
 * <p>Bounded and quiet: it gives up after {@link #LIMIT_MILLIS} a poller (the exit then waits
 * as before), does nothing where no poller runs (no virtual thread blocked on a socket) or where
 * the pollers are not one of each ({@code jdk.readPollers} or {@code jdk.writePollers} set), and
 * never throws; where {@code java.lang} is not open to jwq (it is whenever virtual workers run)
 * the exit waits as before.
 */
final class PollersAtExit {
    /**
     * The system hook slot: after the console's (0), the application's hooks (1) and
     * delete-on-exit (2); the JDK uses no other up to its last, 9.
     */
    static final int SLOT = 9;

    /** How long the hook waits for each poller to take its event. */
    static final long LIMIT_MILLIS = 100;

    static final String READ_POLLER = "Read-Poller";
    static final String WRITE_POLLER = "Write-Poller";

    private PollersAtExit() {}

    /**
     * Registers the application hook, when the JDK's pollers are one platform read poller and
     * one platform write poller (mode 1, as {@link SocketPollers} asks). Returns whether it did;
     * never throws.
     */
    static boolean register() {
        if (!onePollerOfEach()) {
            return false;
        }
        try {
            // No inherited thread locals, no context loader: the hook lives as long as the process.
            Thread hook = new Thread(null, new AtExit(), "jwq-pollers-at-exit", 0, false);
            hook.setContextClassLoader(null);
            Runtime.getRuntime().addShutdownHook(hook);
            return true;
        } catch (RuntimeException e) { // IllegalStateException: shutdown begun; SecurityException
            return false;
        }
    }

    /** Whether the JDK's socket pollers are one platform thread for reads and one for writes. */
    static boolean onePollerOfEach() {
        try {
            String mode = System.getProperty(SocketPollers.PROPERTY);
            return (SocketPollers.PLATFORM_POLLERS.equals(mode) || "SYSTEM_THREADS".equalsIgnoreCase(mode))
                    && isOneOrUnset(System.getProperty("jdk.readPollers"))
                    && isOneOrUnset(System.getProperty("jdk.writePollers"));
        } catch (RuntimeException e) { // SecurityException
            return false;
        }
    }

    private static boolean isOneOrUnset(String count) {
        return count == null || count.strip().equals("1");
    }

    // The hooks and the sentinel's body are classes, not lambdas: a lambda is a class spun at
    // run time, which the first workqueue's path (where the hook is registered) avoids, and
    // which would cost the exit milliseconds.

    /**
     * The application hook: if a poller waits in native code, adds {@link LastHook} to run after
     * all application hooks (which may still need the pollers) have ended.
     */
    static final class AtExit implements Runnable {
        @Override
        public void run() {
            try {
                if (runnablePoller(READ_POLLER) != null || runnablePoller(WRITE_POLLER) != null) {
                    VirtualThreadAccess.addSystemShutdownHook(SLOT, new LastHook());
                }
            } catch (Throwable t) {
                // the exit waits for the pollers as it did without this hook
            }
        }
    }

    /**
     * The system hook, on the exiting thread (a virtual worker, if one called {@code
     * System.exit}): the work is done on a platform thread of its own, waited for with a limit.
     */
    static final class LastHook implements Runnable {
        @Override
        public void run() {
            try {
                Thread helper = new Thread(null, new Parker(), "jwq-pollers-at-exit", 0, false);
                helper.setDaemon(true);
                helper.start();
                helper.join(2 * LIMIT_MILLIS);
            } catch (Throwable t) {
                // as above
            }
        }
    }

    /** On a platform thread: parks each poller that waits in native code. */
    static final class Parker implements Runnable {
        @Override
        public void run() {
            try {
                if (runnablePoller(READ_POLLER) != null) {
                    parkReadPoller();
                }
                if (runnablePoller(WRITE_POLLER) != null) {
                    parkWritePoller();
                }
            } catch (Throwable t) {
                // as above
            }
        }
    }

    /**
     * The live, RUNNABLE platform thread named {@code name} (a poller in {@code epoll_wait} is
     * RUNNABLE), or null: then no virtual thread ever blocked on a socket, and there is nothing
     * to wait for.
     */
    static Thread runnablePoller(String name) {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[root.activeCount() + 16];
        int n = root.enumerate(threads, true);
        for (int i = 0; i < n; i++) {
            Thread t = threads[i];
            if (t.getName().equals(name) && t.getState() == Thread.State.RUNNABLE) {
                return t;
            }
        }
        return null;
    }

    /** A sentinel waits to read an empty pipe; a byte written to it is the read poller's event. */
    static void parkReadPoller() throws IOException, InterruptedException {
        Pipe pipe = Pipe.open();
        Sentinel s = Sentinel.waitingOn(new PipeOp(pipe, true));
        if (s != null) {
            pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
            s.awaitPoller();
        }
    }

    /** A sentinel waits to write to a full pipe; emptying it is the write poller's event. */
    static void parkWritePoller() throws IOException, InterruptedException {
        Pipe pipe = Pipe.open();
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16);
        pipe.sink().configureBlocking(false);
        do { // a pipe holds 64 KiB by default; filled when a write takes nothing
            chunk.clear();
        } while (pipe.sink().write(chunk) > 0);
        pipe.sink().configureBlocking(true);
        Sentinel s = Sentinel.waitingOn(new PipeOp(pipe, false));
        if (s != null) {
            pipe.source().configureBlocking(false);
            do { // emptied: writable again
                chunk.clear();
            } while (pipe.source().read(chunk) > 0);
            s.awaitPoller();
        }
    }

    /** A sentinel's body: reads a byte from the pipe, or writes one to it, blocking. */
    static final class PipeOp implements Runnable {
        private final Pipe pipe;
        private final boolean read;

        PipeOp(Pipe pipe, boolean read) {
            this.pipe = pipe;
            this.read = read;
        }

        @Override
        public void run() {
            try {
                if (read) {
                    pipe.source().read(ByteBuffer.allocate(1));
                } else {
                    pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
                }
            } catch (IOException e) {
                // the process is exiting: nothing to report
            }
        }
    }

    /**
     * The scheduler of one sentinel virtual thread: runs its continuation once, on the thread
     * that starts it, until it blocks on a poller; the next submission comes from that poller,
     * unparking it, and parks the poller for good.
     */
    static final class Sentinel implements Executor {
        private final Thread starter = Thread.currentThread();
        private final CountDownLatch pollerParked = new CountDownLatch(1);
        /** The continuation handed over by start; written and read by the starter only. */
        private Runnable continuation;

        /**
         * A sentinel virtual thread that runs {@code body} on this thread until it blocks; null if
         * it did not block (or no virtual thread can be built).
         */
        static Sentinel waitingOn(Runnable body) {
            Sentinel s = new Sentinel();
            Thread t;
            try {
                t = VirtualThreadAccess.unstarted(s, "jwq-poller-sentinel", body);
            } catch (RuntimeException e) { // UnsupportedOperationException: no access
                return null;
            }
            t.start();
            Runnable c = s.continuation;
            if (c == null) {
                return null;
            }
            c.run(); // returns when the thread has parked on the poller (or ended)
            return t.getState() == Thread.State.WAITING ? s : null;
        }

        @Override
        public void execute(Runnable command) {
            if (Thread.currentThread() == starter) {
                continuation = command;
                return;
            }
            // The poller, unparking the sentinel: stay here, in Java, until the JVM is gone.
            pollerParked.countDown();
            for (;;) {
                LockSupport.park(this);
            }
        }

        /** Waits until the poller has come, for {@link #LIMIT_MILLIS} at most (then the exit waits as before). */
        void awaitPoller() throws InterruptedException {
            pollerParked.await(LIMIT_MILLIS, TimeUnit.MILLISECONDS);
        }
    }
}
