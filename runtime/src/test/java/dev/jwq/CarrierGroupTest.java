package dev.jwq;

import static dev.jwq.CarrierFixture.WAIT_S;
import static dev.jwq.CarrierFixture.await;
import static dev.jwq.CarrierFixture.joinAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** {@link CarrierGroup}: workers unmount instead of blocking their carrier, calls in order, placement, lifecycle. */
class CarrierGroupTest {

    @Test
    void workersThatWaitForEachOtherAllFinishOnOneCarrier() throws Exception {
        CarrierFixture.Recorder rec = new CarrierFixture.Recorder();
        CarrierGroup<String> g = CarrierFixture.group(1, 60_000, rec);
        int n = 8;
        // Each waits until all have arrived: on one carrier that finishes only if a waiting
        // worker gives the carrier up (unmounts) instead of blocking it.
        CountDownLatch all = new CountDownLatch(n);
        Object monitor = new Object();
        List<CarriedWorker<String>> ws = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int kind = i % 4;
            ws.add(g.newWorker("w" + i, "jwq/t:" + i, () -> {
                all.countDown();
                try {
                    switch (kind) {
                        case 0 -> all.await(); // LockSupport.park
                        case 1 -> {
                            while (all.getCount() > 0) {
                                Thread.sleep(1);
                            }
                        }
                        case 2 -> {
                            synchronized (monitor) {
                                while (all.getCount() > 0) {
                                    monitor.wait(1);
                                }
                            }
                        }
                        default -> {
                            while (all.getCount() > 0) {
                                LockSupport.parkNanos(1_000_000);
                            }
                        }
                    }
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }));
        }
        ws.forEach(w -> w.thread().start());
        joinAll(ws);
        assertEquals(1, g.threadsStarted(), "one CPU, one carrier thread");
        assertEquals(0, g.compensations());
        await("terminated calls", () -> ws.stream().allMatch(w -> rec.count(w.worker, "terminated") == 1));
        rec.assertConsistent();
        for (CarriedWorker<String> w : ws) {
            assertEquals(CarriedWorker.TERMINATED, w.state());
            for (String call : rec.of(w.worker)) {
                if (call.startsWith("sleeping") || call.startsWith("terminated")) {
                    assertTrue(call.endsWith("on jwq/ctest." + Cpus.cpuAt(0)), call);
                }
            }
        }
        // The first to arrive waited: it was reported sleeping, then running again.
        assertTrue(rec.count("w0", "sleeping") >= 1, rec.of("w0").toString());
    }

    @Test
    void aWorkerThatYieldsOrIsUnparkedBeforeItParksCausesNoCall() throws Exception {
        CarrierFixture.Recorder rec = new CarrierFixture.Recorder();
        CarrierGroup<String> g = CarrierFixture.group(1, 60_000, rec);
        CarriedWorker<String> w = g.newWorker("y", "jwq/t:y", () -> {
            for (int i = 0; i < 100; i++) {
                Thread.yield(); // resubmitted from the carrier before it looks: still runnable
                LockSupport.unpark(Thread.currentThread());
                LockSupport.park(); // the permit is there: no unmount at all
            }
        });
        w.thread().start();
        joinAll(List.of(w));
        await("terminated", () -> rec.count("y", "terminated") == 1);
        assertEquals(List.of("terminated on jwq/ctest." + Cpus.cpuAt(0)), rec.of("y"));
    }

    @Test
    void anUnparkDuringTheSleepingCallIsReportedRunningAfterItOnTheCarrier() throws Exception {
        CountDownLatch inSleeping = new CountDownLatch(1);
        CountDownLatch releaseSleeping = new CountDownLatch(1);
        List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        CarrierListener<String> listener = new CarrierListener<>() {
            @Override
            public void sleeping(String worker) {
                calls.add("sleeping on " + Thread.currentThread().getName());
                if (calls.size() == 1) {
                    inSleeping.countDown();
                    try {
                        releaseSleeping.await();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    calls.add("sleeping returns");
                }
            }

            @Override
            public void running(String worker) {
                calls.add("running on " + Thread.currentThread().getName());
            }
        };
        CarrierGroup<String> g = CarrierFixture.group(1, 60_000, listener);
        CountDownLatch ran = new CountDownLatch(1);
        CarriedWorker<String> w = g.newWorker("s", "jwq/t:s", () -> {
            LockSupport.park();
            ran.countDown();
        });
        w.thread().start();
        assertTrue(inSleeping.await(WAIT_S, TimeUnit.SECONDS));
        assertEquals(CarriedWorker.SLEEPING, w.state());
        LockSupport.unpark(w.thread()); // submits the continuation while the carrier is in sleeping()
        assertEquals(CarriedWorker.WOKEN, w.state());
        assertEquals(List.of("sleeping on jwq/ctest." + Cpus.cpuAt(0)), calls, "no running() before sleeping() returns");
        assertEquals(1, ran.getCount(), "the worker must not run before its sleeping() call returns");
        releaseSleeping.countDown();
        assertTrue(ran.await(WAIT_S, TimeUnit.SECONDS));
        joinAll(List.of(w));
        assertEquals("sleeping returns", calls.get(1));
        assertEquals("running on jwq/ctest." + Cpus.cpuAt(0), calls.get(2), "the carrier delivers the raced running()");
    }

    @Test
    void anUnparkOfASleepingWorkerIsReportedOnTheUnparkingThreadBeforeItRuns() throws Exception {
        CarrierFixture.Recorder rec = new CarrierFixture.Recorder();
        CarrierGroup<String> g = CarrierFixture.group(1, 60_000, rec);
        AtomicInteger reportedBeforeRun = new AtomicInteger(-1);
        CarriedWorker<String> w = g.newWorker("p", "jwq/t:p", () -> {
            LockSupport.park();
            reportedBeforeRun.set((int) rec.count("p", "running"));
        });
        w.thread().start();
        await("parked", () -> w.state() == CarriedWorker.PARKED);
        Thread unparker = new Thread(() -> LockSupport.unpark(w.thread()), "the-unparker");
        unparker.start();
        unparker.join();
        joinAll(List.of(w));
        assertEquals(1, reportedBeforeRun.get());
        assertTrue(rec.of("p").contains("running on the-unparker"), rec.of("p").toString());
        rec.assertConsistent();
    }

    @Test
    void aWorkerParkedToBeWokenLateIsReportedRunningOnlyAfterItsWakerPaused() throws Exception {
        long late = fastestWakeToRunningNanos(true);
        long control = fastestWakeToRunningNanos(false);
        // The control shows the measure can tell: a plain wake reaches running() sooner.
        assumeTrue(control < CarriedWorker.WAKE_LATE_NANOS, "this machine wakes too slowly to tell: " + control + " ns");
        assertTrue(late >= CarriedWorker.WAKE_LATE_NANOS, "woken late after " + late + " ns, plain after " + control);
    }

    /**
     * The fastest of 300 wakes of a parked worker from this thread, from the unpark to the
     * running() call (made on this thread before the worker is queued), with the worker parked
     * to be woken late or not.
     */
    private static long fastestWakeToRunningNanos(boolean wakeLate) throws Exception {
        int rounds = 300;
        long[] unparkedAt = new long[1];
        long[] fastest = {Long.MAX_VALUE};
        CarrierListener<String> listener = new CarrierListener<>() {
            @Override
            public void sleeping(String w) {}

            @Override
            public void running(String w) {
                if (unparkedAt[0] != 0) { // on the unparking thread: a plain field of its own
                    fastest[0] = Math.min(fastest[0], System.nanoTime() - unparkedAt[0]);
                    unparkedAt[0] = 0;
                }
            }

            @Override
            public void terminated(String w) {}
        };
        CarrierGroup<String> g = CarrierFixture.group(1, 60_000, listener);
        AtomicInteger woken = new AtomicInteger();
        AtomicReference<CarriedWorker<String>> self = new AtomicReference<>();
        CarriedWorker<String> w = g.newWorker("late", "jwq/t:late", () -> {
            self.get().wakeLate(wakeLate);
            for (int i = 0; i < rounds; i++) {
                while (woken.get() <= i) {
                    LockSupport.park();
                }
            }
        });
        self.set(w); // before the start, which publishes it
        w.thread().start();
        for (int i = 0; i < rounds; i++) {
            int round = i;
            await(() -> "parked in round " + round + ": " + w, () -> w.state() == CarriedWorker.PARKED);
            woken.incrementAndGet();
            unparkedAt[0] = System.nanoTime();
            LockSupport.unpark(w.thread());
        }
        joinAll(List.of(w));
        return fastest[0];
    }

    @Test
    void aVirtualThreadStartedByAWorkerRunsOnTheJdksSchedulerNotOurCarriers() throws Exception {
        CarrierFixture.Recorder rec = new CarrierFixture.Recorder();
        CarrierGroup<String> g = CarrierFixture.group(1, 60_000, rec);
        List<String> childSeenAs = new java.util.concurrent.CopyOnWriteArrayList<>();
        CarriedWorker<String> w = g.newWorker("parent", "jwq/t:parent", () -> {
            // The JDK gives the child its creator's scheduler: this worker's.
            Thread child = Thread.ofVirtual().name("child").start(() -> {
                childSeenAs.add(Thread.currentThread().toString()); // "VirtualThread[#n,child]/runnable@<carrier>"
                LockSupport.parkNanos(1_000_000);
                childSeenAs.add(Thread.currentThread().toString());
            });
            try {
                child.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        w.thread().start();
        joinAll(List.of(w));
        assertEquals(2, childSeenAs.size());
        for (String s : childSeenAs) {
            assertFalse(s.contains("@jwq/"), "a worker's child virtual thread ran on a carrier: " + s);
        }
        await("terminated", () -> rec.count("parent", "terminated") == 1);
        assertEquals(1, rec.calls.size(), "calls only for the worker: " + rec.calls);
        rec.assertConsistent();
    }

    @Test
    void carriersStartWhenFirstNeededAndRetireAfterTheKeepAlive() throws Exception {
        assumeTrue(Cpus.count() >= 2, "two CPUs");
        CarrierFixture.Recorder rec = new CarrierFixture.Recorder();
        CarrierGroup<String> g = CarrierFixture.group(2, 50, rec);
        assertEquals(0, g.threadsStarted(), "no work, no carrier thread");
        assertTrue(g.carriers().stream().allMatch(c -> c.state() == Carrier.DORMANT));
        CarriedWorker<String> one = g.newWorker("one", "jwq/t:one", () -> {});
        one.thread().start();
        joinAll(List.of(one));
        assertEquals(1, g.threadsStarted(), "one worker at a time needs one carrier");
        await("the idle carrier retires", () -> g.carriers().stream().allMatch(c -> c.state() == Carrier.DORMANT)
                && g.carriers().stream().allMatch(c -> c.drainer == null || !c.drainer.isAlive()));
        CarriedWorker<String> two = g.newWorker("two", "jwq/t:two", () -> {});
        two.thread().start();
        joinAll(List.of(two));
        assertEquals(2, g.threadsStarted(), "a dormant carrier starts a thread again");
    }

    @Test
    void aBusyCarriersNewWorkerGoesToAnotherCpuOfTheGroup() throws Exception {
        assumeTrue(Cpus.count() >= 2, "two CPUs");
        CarrierFixture.Recorder rec = new CarrierFixture.Recorder();
        CarrierGroup<String> g = CarrierFixture.group(2, 60_000, rec);
        CountDownLatch spinning = new CountDownLatch(1);
        CountDownLatch stop = new CountDownLatch(1);
        Set<String> carriersSeen = ConcurrentHashMap.newKeySet();
        CarriedWorker<String> spinner = g.newWorker("spin", "jwq/t:spin", () -> {
            spinning.countDown();
            while (stop.getCount() > 0) {
                Thread.onSpinWait(); // holds its carrier without ever unmounting
            }
        });
        spinner.thread().start();
        assertTrue(spinning.await(WAIT_S, TimeUnit.SECONDS));
        CarriedWorker<String> other = g.newWorker("other", "jwq/t:other", () -> {
            carriersSeen.add(g.carriers().stream().filter(c -> c.drainer == Thread.currentThread()).map(c -> c.name)
                    .findFirst().orElse("?"));
            stop.countDown();
        });
        other.thread().start();
        joinAll(List.of(spinner, other));
        assertEquals(2, g.threadsStarted());
        assertFalse(carriersSeen.contains(spinner.lastCarrier.name), carriersSeen + " vs " + spinner.lastCarrier.name);
        assertEquals(0, g.compensations(), "a spinning continuation is the engine's to compensate, not the watch's");
    }

    @Test
    void theLastAwakeCarrierPollsForWorkBeforeItParksAndTakesItWithoutParking() throws Exception {
        CarrierGroup<String> g = CarrierFixture.group(1, 60_000, new CarrierFixture.Recorder());
        g.idleSpinNanos = TimeUnit.SECONDS.toNanos(WAIT_S);
        Carrier c = g.carriers().get(0);
        CarriedWorker<String> first = g.newWorker("first", "jwq/t:first", () -> {});
        first.thread().start();
        joinAll(List.of(first));
        await("the carrier idle", () -> c.state() == Carrier.IDLE);
        // Time enough for a carrier that parks at once to have parked: this one polls on.
        Thread.sleep(50);
        assertEquals(0, c.parks, "parked instead of polling");
        assertEquals(Thread.State.RUNNABLE, c.drainer.getState());
        g.idleSpinNanos = 0; // its next idle period parks at once; this one polls on
        AtomicLong parksBeforeSecond = new AtomicLong(-1);
        // Read on the carrier's own thread, which alone counts its parks.
        CarriedWorker<String> second = g.newWorker("second", "jwq/t:second", () -> parksBeforeSecond.set(c.parks));
        second.thread().start();
        joinAll(List.of(second));
        assertEquals(0, parksBeforeSecond.get(), "the polling carrier took the second worker without parking");
        assertEquals(1, g.threadsStarted());
        await("parked once idle again, not polling", () -> c.parks >= 1);
    }

    @Test
    void aCarrierThatPolledMostOfItsLastWindowParksAtItsNextIdlePeriodThenPollsAgain() throws Exception {
        // A carrier that never parks looks CPU-bound to the scheduler (Carrier.pollPays says
        // what that costs): after a window spent mostly polling, its next idle period parks at
        // once, however long a poll may last; the window after polls again.
        CarrierGroup<String> g = CarrierFixture.group(1, 60_000, new CarrierFixture.Recorder());
        g.idleSpinNanos = TimeUnit.SECONDS.toNanos(3 * WAIT_S); // a poll outlasts every await here
        Carrier c = g.carriers().get(0);
        try {
            runOne(g, "first", () -> {});
            await("the carrier idle", () -> c.state() == Carrier.IDLE);
            // It polls through many windows (a poll ends only when work comes).
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(20 * Carrier.POLL_WINDOW_NANOS));
            assertEquals(0, c.parks, "parked instead of polling");
            AtomicLong parksBeforeSecond = new AtomicLong(-1);
            runOne(g, "second", () -> parksBeforeSecond.set(c.parks)); // read on the carrier's thread
            assertEquals(0, parksBeforeSecond.get(), "the polling carrier took the second worker without parking");
            await("parked at once after a window spent polling", () -> c.parks >= 1);
            // Parked for more than a window, without polling: the next idle period polls.
            Thread.sleep(TimeUnit.NANOSECONDS.toMillis(2 * Carrier.POLL_WINDOW_NANOS));
            long parks = c.parks;
            runOne(g, "third", () -> {});
            await("the carrier idle", () -> c.state() == Carrier.IDLE);
            Thread.sleep(50); // time enough for a carrier that parks at once to have parked
            assertEquals(parks, c.parks, "parked instead of polling after a window parked"); // the third's wake-up ended a counted park
            assertEquals(Thread.State.RUNNABLE, c.drainer.getState());
        } finally {
            g.idleSpinNanos = 0;
            runOne(g, "last", () -> {}); // ends the poll; the next idle period parks
        }
    }

    @Test
    void onlyAGroupOfPinnedCarriersPolls() {
        // An unpinned carrier shares its CPUs with the threads that feed it (Carrier.IDLE_SPIN_NANOS).
        BitSet cpus = new BitSet();
        cpus.set(0);
        CarrierFixture.Recorder rec = new CarrierFixture.Recorder();
        assertEquals(Carrier.IDLE_SPIN_NANOS, new CarrierGroup<>("jwq/ctest.", null, cpus, false, true, 1_000_000, rec).idleSpinNanos);
        assertEquals(0, new CarrierGroup<>("jwq/ctest.", null, cpus, false, false, 1_000_000, rec).idleSpinNanos);
    }

    private static void runOne(CarrierGroup<String> g, String name, Runnable body) throws Exception {
        CarriedWorker<String> w = g.newWorker(name, "jwq/t:" + name, body);
        w.thread().start();
        joinAll(List.of(w));
    }

    @Test
    void aCarrierWhoseSiblingRunsParksWithoutPolling() throws Exception {
        // Only the group's last awake carrier polls: with a sibling busy, an idle carrier parks
        // at once (else every idle carrier of a busy group would burn its CPU).
        CarrierGroup<String> g = CarrierFixture.group(2, 60_000, new CarrierFixture.Recorder());
        g.idleSpinNanos = TimeUnit.SECONDS.toNanos(3 * WAIT_S); // a poll outlasts the await below
        CountDownLatch spinning = new CountDownLatch(1);
        CountDownLatch stop = new CountDownLatch(1);
        CarriedWorker<String> spinner = g.newWorker("spinner", "jwq/t:spinner", () -> {
            spinning.countDown();
            while (stop.getCount() > 0) {
                Thread.onSpinWait(); // holds its carrier
            }
        });
        spinner.thread().start();
        assertTrue(spinning.await(WAIT_S, TimeUnit.SECONDS));
        CarriedWorker<String> brief = g.newWorker("brief", "jwq/t:brief", () -> {});
        brief.thread().start();
        joinAll(List.of(brief));
        Carrier other = brief.lastCarrier;
        assertFalse(other == spinner.lastCarrier, "ran beside the spinner");
        try {
            await("the idle sibling parked", () -> other.parks >= 1);
        } finally {
            stop.countDown();
        }
        joinAll(List.of(spinner));
    }

    @Test
    void aCarrierAboutToParkFindsWorkQueuedByASubmitterThatSawItRunning() throws Exception {
        // The interleaving a stress test rarely hits: the drainer has polled an empty queue; a
        // submission queues and reads the carrier still RUNNING, so it wakes nobody; the drainer
        // then announces IDLE. Its re-check must find the work rather than park (here it would
        // park for the keep-alive and retire, leaving the worker stranded). This thread plays
        // the drainer.
        CarrierGroup<String> g = CarrierFixture.group(1, 200, new CarrierFixture.Recorder());
        Carrier c = g.carriers().get(0);
        c.enqueue(g.newWorker("queued", "jwq/t:queued", () -> {}));
        assertTrue(c.idle(), "the carrier parked with a worker queued");
        assertEquals(Carrier.RUNNING, c.state());
        assertEquals(0, g.idleCarriers.get());
    }

    @Test
    void aWorkerQueuedOnAnEmptyCarrierRunsBeforeTheWorkersQueuedAfterIt() {
        // The first takes the slot in front of the run queue (no queue node); the drainer must
        // take it first, and the slot is free again for the next submission to an empty carrier.
        CarrierGroup<String> g = CarrierFixture.group(1, 200, new CarrierFixture.Recorder());
        Carrier c = g.carriers().get(0);
        List<CarriedWorker<String>> ws = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            CarriedWorker<String> w = g.newWorker(name, "jwq/t:" + name, () -> {});
            ws.add(w);
            c.enqueue(w);
            assertTrue(c.hasQueued());
        }
        for (CarriedWorker<String> w : ws) {
            assertEquals(w, c.poll(), "out of the order they were queued in");
        }
        assertEquals(null, c.poll());
        assertFalse(c.hasQueued());
        c.enqueue(ws.get(2));
        assertEquals(ws.get(2), c.poll());
    }

    @Test
    void workersQueuedAndTakenConcurrentlyAreEachTakenOnce() throws Exception {
        // Two submitters and two takers (the drainer and a thief) on one carrier, released
        // together by a latch, the slot emptied and filled again all along: every worker must
        // come out exactly once, none lost between the slot and the queue.
        CarrierGroup<String> g = CarrierFixture.group(1, 200, new CarrierFixture.Recorder());
        Carrier c = g.carriers().get(0);
        int perSubmitter = 5_000;
        for (int round = 0; round < 10; round++) {
            List<List<CarriedWorker<String>>> batches = List.of(new ArrayList<>(), new ArrayList<>());
            for (int s = 0; s < 2; s++) {
                for (int i = 0; i < perSubmitter; i++) {
                    batches.get(s).add(g.newWorker(s + ":" + i, "jwq/t:" + s + ":" + i, () -> {}));
                }
            }
            Set<CarriedWorker<?>> taken = ConcurrentHashMap.newKeySet();
            AtomicInteger twice = new AtomicInteger();
            AtomicInteger left = new AtomicInteger(2 * perSubmitter);
            CountDownLatch start = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (List<CarriedWorker<String>> batch : batches) {
                threads.add(Thread.ofPlatform().start(() -> {
                    EngineScenarios.awaitUninterruptibly(start);
                    batch.forEach(c::enqueue);
                }));
            }
            for (int t = 0; t < 2; t++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    EngineScenarios.awaitUninterruptibly(start);
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
                    while (left.get() > 0 && System.nanoTime() < deadline) {
                        CarriedWorker<?> w = c.poll();
                        if (w != null) {
                            if (!taken.add(w)) {
                                twice.incrementAndGet();
                            }
                            left.decrementAndGet();
                        }
                    }
                }));
            }
            start.countDown();
            for (Thread t : threads) {
                t.join();
            }
            assertEquals(0, twice.get(), "workers taken twice");
            assertEquals(2 * perSubmitter, taken.size(), "workers lost in round " + round);
            assertFalse(c.hasQueued());
        }
    }

    @Test
    void twoTakersRacingForTheSlotTakeItsWorkerOnce() throws Exception {
        // The slot's own race, forced round after round: a worker alone in the slot, two takers
        // released together (spinning on the round number), each polls once: exactly one of
        // them may get it. Every wait yields: three threads spin on two CPUs here.
        CarrierGroup<String> g = CarrierFixture.group(1, 200, new CarrierFixture.Recorder());
        Carrier c = g.carriers().get(0);
        CarriedWorker<String> w = g.newWorker("slotted", "jwq/t:slotted", () -> {});
        int rounds = 5_000;
        AtomicInteger round = new AtomicInteger(-1);
        AtomicInteger polled = new AtomicInteger();
        AtomicIntegerArray got = new AtomicIntegerArray(rounds);
        List<Thread> takers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            takers.add(Thread.ofPlatform().start(() -> {
                for (int r = 0; r < rounds; r++) {
                    while (round.get() < r) {
                        Thread.yield();
                    }
                    if (c.poll() != null) {
                        got.incrementAndGet(r);
                    }
                    polled.incrementAndGet();
                }
            }));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        for (int r = 0; r < rounds && System.nanoTime() < deadline; r++) {
            c.enqueue(w);
            round.set(r);
            while (polled.get() < 2 * (r + 1) && System.nanoTime() < deadline) {
                Thread.yield();
            }
        }
        round.set(rounds);
        for (Thread t : takers) {
            t.join(TimeUnit.SECONDS.toMillis(WAIT_S));
        }
        assertEquals(2 * rounds, polled.get(), "the takers did not finish their rounds");
        int twice = 0;
        int lost = 0;
        for (int r = 0; r < rounds; r++) {
            twice += got.get(r) > 1 ? 1 : 0;
            lost += got.get(r) == 0 ? 1 : 0;
        }
        assertEquals(0, twice, "rounds whose slotted worker was taken twice");
        assertEquals(0, lost, "rounds whose slotted worker was lost");
    }

    @Test
    void aThiefTakesTheWorkerInAnotherCarriersSlot() {
        // A worker alone on a busy carrier sits in its slot: an idle carrier of the group must
        // be able to take it, or it waits for the busy carrier's continuation to end.
        CarrierGroup<String> g = CarrierFixture.group(2, 200, new CarrierFixture.Recorder());
        Carrier busy = g.carriers().get(0);
        Carrier thief = g.carriers().get(1);
        CarriedWorker<String> w = g.newWorker("slotted", "jwq/t:slotted", () -> {});
        busy.enqueue(w);
        assertTrue(g.hasQueuedWork());
        assertEquals(w, g.steal(thief));
        assertFalse(g.hasQueuedWork());
    }

    @Test
    void manySubmittersParkAndUnparkWorkersOfATwoCarrierGroupAndNothingIsStranded() throws Exception {
        // Workers park and are unparked by platform threads in a tight loop, on a group of two
        // carriers that go idle between rounds: any submission stranded on an idle carrier
        // leaves a worker parked forever and the join fails.
        CarrierFixture.Recorder rec = new CarrierFixture.Recorder();
        CarrierGroup<String> g = CarrierFixture.group(2, 60_000, rec);
        int workers = 8;
        int rounds = 2_000;
        AtomicInteger[] done = new AtomicInteger[workers];
        List<CarriedWorker<String>> ws = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            AtomicInteger d = done[i] = new AtomicInteger();
            ws.add(g.newWorker("m" + i, "jwq/t:m" + i, () -> {
                for (int r = 0; r < rounds; r++) {
                    while (d.get() == r) {
                        LockSupport.park();
                    }
                }
            }));
        }
        ws.forEach(w -> w.thread().start());
        List<Thread> unparkers = new ArrayList<>();
        for (int u = 0; u < 2; u++) {
            int first = u;
            Thread t = new Thread(() -> {
                for (int r = 0; r < rounds; r++) {
                    for (int i = first; i < workers; i += 2) {
                        done[i].incrementAndGet();
                        LockSupport.unpark(ws.get(i).thread());
                    }
                    for (int i = first; i < workers; i += 2) {
                        while (ws.get(i).state() != CarriedWorker.PARKED && ws.get(i).thread().isAlive()) {
                            Thread.yield();
                        }
                    }
                }
            }, "unparker-" + u);
            t.start();
            unparkers.add(t);
        }
        for (Thread t : unparkers) {
            t.join(TimeUnit.SECONDS.toMillis(WAIT_S * 3));
            assertFalse(t.isAlive(), "a worker never ran again after its unpark: " + g);
        }
        joinAll(ws);
        rec.assertConsistent();
    }
}
