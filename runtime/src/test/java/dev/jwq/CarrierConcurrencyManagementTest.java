package dev.jwq;

import static dev.jwq.CarrierFixture.WAIT_S;
import static dev.jwq.CarrierFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/**
 * The proof that the two hooks are enough for concurrency management: a minimal pool, written
 * here, keeps {@code nrRunning} from {@link CarrierListener} alone (no sampler, no agent, no
 * explicit call) and wakes or creates a worker when the running one sleeps, as Linux's
 * {@code wq_worker_sleeping} does. {@code 2 x ncpu + 2} items that each block (in
 * {@code LockSupport.park}, {@code Thread.sleep}, a socket read, {@code Object.wait}) until all
 * have started finish on the group's ncpu carriers, and {@code nrRunning} returns to 0. The
 * control, the same pool with the listener's calls ignored, stalls with ncpu items started.
 */
class CarrierConcurrencyManagementTest {

    @Test
    void itemsBlockedInParkSleepSocketReadAndWaitAllFinishOnNcpuCarriers() throws Exception {
        int ncpu = Cpus.count();
        try (Items items = new Items(2 * ncpu + 2)) {
            MiniPool pool = new MiniPool(ncpu, true);
            items.queueAll(pool);
            assertTrue(items.finished.await(WAIT_S, TimeUnit.SECONDS),
                    "started " + items.started + " of " + items.total + ", " + pool);
            await(() -> "nrRunning back to 0: " + pool, () -> pool.nrRunning() == 0);
            assertEquals(List.of(), pool.violations);
            assertTrue(pool.group.threadsStarted() <= ncpu, "carrier threads: " + pool.group.threadsStarted());
            assertEquals(0, pool.group.compensations(), "nothing pinned a carrier");
            assertTrue(pool.created() >= items.total, "a worker per blocked item: " + pool.created());
        }
    }

    @Test
    void controlWithoutTheListenersCallsTheSameItemsStall() throws Exception {
        int ncpu = Cpus.count();
        try (Items items = new Items(2 * ncpu + 2)) {
            MiniPool pool = new MiniPool(ncpu, false);
            items.queueAll(pool);
            // Quiescent: ncpu items started and blocked, their workers parked, every carrier
            // idle. Nothing is left that could start another item: the pool has stalled.
            await("the control to stall", () -> items.started.get() == ncpu && pool.allParked()
                    && pool.group.carriers().stream().allMatch(c -> c.state() != Carrier.RUNNING));
            assertEquals(ncpu, pool.created());
            assertEquals(items.total - ncpu, pool.pending());
            assertEquals(items.total, items.finished.getCount());
            pool.discardPending(); // released by close(), the started items end; these never start
        }
    }

    /* --------------- The items --------------- */

    /**
     * {@code total} items of four kinds; each blocks until all have started, and the last one to
     * start releases them all.
     */
    static final class Items implements AutoCloseable {
        final int total;
        final AtomicInteger started = new AtomicInteger();
        final CountDownLatch finished;
        private volatile boolean released;
        private final List<Thread> parkers = new CopyOnWriteArrayList<>();
        private final List<Thread> sleepers = new CopyOnWriteArrayList<>();
        private final Object monitor = new Object();
        private final ServerSocket server;
        private final List<Socket> sockets = new ArrayList<>();   // client ends: items read them
        private final List<Socket> peers = new ArrayList<>();     // server ends: release writes them

        Items(int total) throws IOException {
            this.total = total;
            this.finished = new CountDownLatch(total);
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        }

        void queueAll(MiniPool pool) throws IOException {
            List<Runnable> all = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                all.add(switch (i % 4) {
                    case 0 -> () -> {
                        parkers.add(Thread.currentThread());
                        arrive();
                        while (!released) {
                            LockSupport.park();
                        }
                    };
                    case 1 -> () -> {
                        sleepers.add(Thread.currentThread());
                        arrive();
                        try {
                            Thread.sleep(TimeUnit.SECONDS.toMillis(WAIT_S * 3));
                        } catch (InterruptedException e) {
                            // released
                        }
                    };
                    case 2 -> socketItem();
                    default -> () -> {
                        synchronized (monitor) {
                            arrive();
                            while (!released) {
                                try {
                                    monitor.wait();
                                } catch (InterruptedException e) {
                                    throw new AssertionError(e);
                                }
                            }
                        }
                    };
                });
            }
            for (Runnable r : all) {
                pool.queue(() -> {
                    r.run();
                    finished.countDown();
                });
            }
        }

        private Runnable socketItem() throws IOException {
            Socket client = new Socket(server.getInetAddress(), server.getLocalPort());
            sockets.add(client);
            peers.add(server.accept());
            return () -> {
                try {
                    InputStream in = client.getInputStream();
                    arrive();
                    if (in.read() != 1) {
                        throw new AssertionError("expected the release byte");
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            };
        }

        private void arrive() {
            if (started.incrementAndGet() == total) {
                release();
            }
        }

        private void release() {
            if (released) {
                return;
            }
            released = true;
            parkers.forEach(LockSupport::unpark);
            sleepers.forEach(Thread::interrupt);
            for (Socket p : peers) {
                try {
                    OutputStream out = p.getOutputStream();
                    out.write(1);
                    out.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            synchronized (monitor) {
                monitor.notifyAll();
            }
        }

        @Override
        public void close() throws IOException {
            if (!released) {
                release(); // the control's blocked items end; its never-started ones stay queued
            }
            for (Socket s : sockets) {
                s.close();
            }
            for (Socket s : peers) {
                s.close();
            }
            server.close();
        }
    }

    /* --------------- The pool --------------- */

    /**
     * A worker pool in miniature over one carrier group of all usable CPUs: a worklist, idle
     * workers, and {@code nrRunning} kept from the listener (when {@code managed}), aiming at
     * {@code concurrency} running workers. Legend: L: {@link #lock}.
     *
     * <p>The listener never waits for the lock: a j.u.c. lock queues its waiters and hands
     * itself to the first one, and if that is a virtual worker that needs the very carrier
     * waiting in the listener, neither ever runs again. So a call is queued as an event and
     * run by whoever gets the lock with {@code tryLock}, now or when the holder unlocks (it
     * drains the events after unlocking: Dekker with the caller, which queues, then tries).
     */
    static final class MiniPool implements CarrierListener<MiniPool.Worker> {
        final ReentrantLock lock = new ReentrantLock();
        private final ArrayDeque<Runnable> worklist = new ArrayDeque<>(); // L
        private final ArrayDeque<Worker> idle = new ArrayDeque<>();        // L
        private final List<Worker> workers = new ArrayList<>();            // L
        private int nrRunning;                                             // L
        /** Listener calls not yet applied; run under L, in order. */
        private final ConcurrentLinkedQueue<Runnable> events = new ConcurrentLinkedQueue<>();
        private final int concurrency;
        private final boolean managed;
        final CarrierGroup<Worker> group;
        final List<String> violations = new CopyOnWriteArrayList<>();

        final class Worker {
            CarriedWorker<Worker> cw;   // I: set before start
            volatile boolean isIdle;    // L for writes; read racily by this worker's park loop
            boolean sleeping;           // L: counted out of nrRunning by sleeping()

            void loop() {
                for (;;) {
                    Runnable item;
                    lock.lock();
                    try {
                        item = worklist.poll();
                        if (item == null) {
                            isIdle = true;
                            if (sleeping) {
                                sleeping = false; // reported sleeping, its running() not applied yet: not counted
                            } else {
                                nrRunning--;
                            }
                            idle.push(this);
                        }
                    } finally {
                        unlock();
                    }
                    if (item != null) {
                        item.run();
                        continue;
                    }
                    while (isIdle) {
                        LockSupport.park(); // an idle worker's sleep: ignored by sleeping()
                    }
                }
            }
        }

        MiniPool(int concurrency, boolean managed) {
            this.concurrency = concurrency;
            this.managed = managed;
            BitSet cpus = new BitSet();
            for (int i = 0; i < Cpus.count(); i++) {
                cpus.set(Cpus.cpuAt(i));
            }
            this.group = new CarrierGroup<>("jwq/cmini.", null, cpus, false, true, TimeUnit.SECONDS.toNanos(1), this);
        }

        void queue(Runnable item) {
            lock.lock();
            try {
                worklist.add(item);
                if (needMoreWorker()) {
                    wakeOrCreate();
                }
            } finally {
                unlock();
            }
        }

        /** Unlocks, then applies the events queued meanwhile. */
        private void unlock() {
            lock.unlock();
            applyEvents();
        }

        /** Applies queued events if the lock is free; never waits for it. */
        private void applyEvents() {
            while (!events.isEmpty() && !lock.isHeldByCurrentThread() && lock.tryLock()) {
                try {
                    for (Runnable e; (e = events.poll()) != null; ) {
                        e.run();
                    }
                } finally {
                    lock.unlock();
                }
            }
        }

        /** L: {@code need_more_worker}. */
        private boolean needMoreWorker() {
            return !worklist.isEmpty() && nrRunning < concurrency;
        }

        /** L: an idle worker leaves idle (counted at once), or a new one is created counted. */
        private void wakeOrCreate() {
            nrRunning++;
            Worker w = idle.poll();
            if (w != null) {
                w.isIdle = false;
                LockSupport.unpark(w.cw.thread());
                return;
            }
            w = new Worker();
            workers.add(w);
            w.cw = group.newWorker(w, "jwq/mini:" + workers.size(), w::loop);
            w.cw.thread().start();
        }

        @Override
        public void sleeping(Worker w) {
            if (managed) {
                events.add(() -> workerSleeping(w));
                applyEvents();
            }
        }

        @Override
        public void running(Worker w) {
            if (managed) {
                events.add(() -> workerRunning(w));
                applyEvents();
            }
        }

        /** L: {@code wq_worker_sleeping}. */
        private void workerSleeping(Worker w) {
            if (w.isIdle) {
                return; // an idle worker waits for work: not concurrency's business
            }
            if (w.sleeping) {
                violations.add("sleeping twice: " + w.cw);
            }
            w.sleeping = true;
            if (--nrRunning < 0) {
                violations.add("nrRunning < 0 after sleeping " + w.cw);
            }
            if (needMoreWorker()) {
                wakeOrCreate();
            }
        }

        /** L: {@code wq_worker_running}. */
        private void workerRunning(Worker w) {
            if (w.sleeping) {
                w.sleeping = false;
                nrRunning++;
            }
        }
        /** Drops the items no worker has taken. */
        void discardPending() {
            locked(() -> {
                worklist.clear();
                return null;
            });
        }

        int nrRunning() {
            return locked(() -> nrRunning);
        }

        int created() {
            return locked(workers::size);
        }

        int pending() {
            return locked(worklist::size);
        }

        boolean allParked() {
            return locked(() -> workers.stream().allMatch(w -> w.cw.state() == CarriedWorker.PARKED));
        }

        private <T> T locked(java.util.function.Supplier<T> s) {
            lock.lock();
            try {
                return s.get();
            } finally {
                unlock();
            }
        }

        @Override
        public String toString() {
            return locked(() -> "MiniPool[nrRunning=" + nrRunning + " workers=" + workers.size() + " idle=" + idle.size()
                    + " pending=" + worklist.size() + " " + group + "]" + stacks());
        }

        /** Each worker's scheduling state and stack, and each carrier thread's: what a failure needs. */
        private String stacks() {
            StringBuilder b = new StringBuilder();
            for (Worker w : workers) {
                b.append("\n").append(w.cw).append(w.isIdle ? " idle" : "").append(w.sleeping ? " sleeping" : "");
                for (StackTraceElement e : w.cw.thread().getStackTrace()) {
                    b.append("\n    at ").append(e);
                }
            }
            for (Carrier c : group.carriers()) {
                CarrierThread t = c.drainer;
                if (t != null) {
                    b.append("\n").append(t.getName()).append(' ').append(t.getState());
                    for (StackTraceElement e : t.getStackTrace()) {
                        b.append("\n    at ").append(e);
                    }
                }
            }
            return b.toString();
        }
    }
}
