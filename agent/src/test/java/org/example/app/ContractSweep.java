package org.example.app;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionHandler;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A differential sweep of java.util.concurrent's executor contracts: one deterministic line per
 * check (no timing, thread ids or hash codes), to be compared between a run without the agent
 * and one with it ({@code ContractSweepIT}). Each check uses fresh executors and latches, never
 * sleeps to let something happen.
 */
public final class ContractSweep {
    private static final long WAIT = 20; // seconds: a bound for waits that end at once when all is well

    public static void main(String[] args) throws Exception {
        ThreadPoolChecks.run();
        LifecycleChecks.run();
        RejectionChecks.run();
        SettingsChecks.run();
        QueueChecks.run();
        HookChecks.run();
        FailureChecks.run();
        ThreadChecks.run();
        ScheduledChecks.run();
        FactoryChecks.run();
        MoreChecks.run();
        System.out.println("done");
        System.out.flush();
        System.exit(0);
    }

    /* --------------- helpers --------------- */

    /** One check's line: its name and what {@code body} returned, or what it threw. */
    static void check(String name, Callable<Object> body) {
        String result;
        try {
            result = String.valueOf(body.call());
        } catch (Throwable e) {
            result = "threw " + describe(e);
        }
        System.out.println(name + ": " + result);
    }

    /** An exception's class and message, hash codes taken out. */
    /** A factory of threads named {@code name} whose handler adds {@code prefix} and the failure to {@code into}, then counts down {@code reported}. */
    static ThreadFactory reporting(String name, List<String> into, String prefix, CountDownLatch reported) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setUncaughtExceptionHandler((th, e) -> {
                synchronized (into) {
                    into.add(prefix + describe(e));
                }
                reported.countDown();
            });
            return t;
        };
    }

    static String describe(Throwable e) {
        if (e == null) {
            return "null";
        }
        String m = e.getMessage();
        return e.getClass().getName() + (m == null ? "" : ": " + strip(m));
    }

    static String strip(String s) {
        return s.replaceAll("@[0-9a-f]+", "@H").replaceAll("0x[0-9a-f]+", "0xH");
    }

    /** What a future ends with: its value, or its failure's class and cause. */
    /** One task per level on {@code pool}, each joining the level below it from inside the pool. */
    static CompletableFuture<Integer> nestedJoins(ExecutorService pool, int level) {
        return CompletableFuture.supplyAsync(() -> level == 0 ? 0 : 1 + nestedJoins(pool, level - 1).join(), pool);
    }

    static String outcome(Future<?> f) {
        try {
            return "value " + f.get(WAIT, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return "failed " + describe(e.getCause());
        } catch (Throwable e) {
            return "threw " + describe(e);
        }
    }

    static void await(CountDownLatch l) throws InterruptedException {
        if (!l.await(WAIT, TimeUnit.SECONDS)) {
            throw new IllegalStateException("latch never opened");
        }
    }

    /** A wait for an uncaught-exception report: short, since a missing report is a finding, not a hang. */
    static void awaitReport(CountDownLatch l) throws InterruptedException {
        if (!l.await(5, TimeUnit.SECONDS)) {
            throw new IllegalStateException("never reported");
        }
    }

    static boolean terminate(ExecutorService e) throws InterruptedException {
        e.shutdown();
        return e.awaitTermination(WAIT, TimeUnit.SECONDS);
    }

    /** A task with a stable toString, so that rejection messages can be compared. */
    record Named(String name, List<String> log) implements Runnable {
        Named(String name) {
            this(name, null);
        }

        @Override
        public void run() {
            if (log != null) {
                synchronized (log) {
                    log.add(name);
                }
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** Blocks its pool's (one) thread until released; {@link #started} opens when it runs. */
    static final class Blocker implements Runnable {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean interrupted;

        @Override
        public void run() {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }

        @Override
        public String toString() {
            return "blocker";
        }
    }

    static ThreadPoolExecutor single() {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>());
    }

    static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> new Thread(r, prefix + "-" + n.incrementAndGet());
    }

    /* --------------- invokeAll, invokeAny, submit --------------- */

    static final class ThreadPoolChecks {
        static void run() throws Exception {
            ExecutorService fixed = Executors.newFixedThreadPool(2);
            check("invokeAll", () -> {
                List<Callable<String>> cs = List.of(() -> "a", () -> {
                    throw new IllegalStateException("b failed");
                }, () -> "c");
                List<String> out = new ArrayList<>();
                for (Future<String> f : fixed.invokeAll(cs)) {
                    out.add(f.isDone() + " " + outcome(f));
                }
                return out;
            });
            check("invokeAll-timeout", () -> {
                CountDownLatch never = new CountDownLatch(1);
                List<Callable<String>> cs = List.of(() -> "quick", () -> {
                    never.await();
                    return "slow";
                });
                List<String> out = new ArrayList<>();
                for (Future<String> f : fixed.invokeAll(cs, 500, TimeUnit.MILLISECONDS)) {
                    out.add(f.isDone() + "/" + f.isCancelled());
                }
                return out;
            });
            check("invokeAny-one-ok", () -> fixed.invokeAny(List.of(() -> {
                throw new IllegalStateException("x");
            }, () -> "ok")));
            check("invokeAny-all-fail", () -> {
                try {
                    return fixed.invokeAny(List.<Callable<String>>of(() -> {
                        throw new IllegalStateException("x");
                    }));
                } catch (ExecutionException e) {
                    return "ExecutionException cause " + describe(e.getCause());
                }
            });
            check("invokeAny-timeout", () -> {
                CountDownLatch never = new CountDownLatch(1);
                try {
                    return fixed.invokeAny(List.<Callable<String>>of(() -> {
                        never.await();
                        return "late";
                    }), 200, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    return "TimeoutException";
                }
            });
            check("invokeAny-empty", () -> fixed.invokeAny(List.<Callable<String>>of()));
            check("submit-callable-checked", () -> outcome(fixed.submit(() -> {
                throw new java.io.IOException("io");
            })));
            check("submit-runnable-throws", () -> outcome(fixed.submit((Runnable) () -> {
                throw new ArithmeticException("div");
            })));
            check("submit-runnable-result", () -> outcome(fixed.submit(() -> { }, "given")));
            check("submit-error", () -> outcome(fixed.submit(() -> {
                throw new AssertionError("err");
            })));
            check("future-cancelled", () -> {
                ThreadPoolExecutor one = single();
                Blocker b = new Blocker();
                one.execute(b);
                await(b.started);
                Future<String> f = one.submit(() -> "never");
                boolean c = f.cancel(false);
                b.release.countDown();
                String r = c + " " + f.isCancelled() + " " + f.isDone() + " " + outcome(f) + " " + f.state();
                terminate(one);
                return r;
            });
            check("future-state", () -> {
                Future<String> ok = fixed.submit(() -> "v");
                outcome(ok);
                Future<String> bad = fixed.submit(() -> {
                    throw new IllegalStateException("s");
                });
                outcome(bad);
                return ok.state() + " " + ok.resultNow() + " " + bad.state() + " " + describe(bad.exceptionNow());
            });
            check("future-toString", () -> {
                Future<String> ok = fixed.submit(() -> "v");
                outcome(ok);
                return strip(ok.toString());
            });
            check("completable-chain", () -> CompletableFuture.supplyAsync(() -> 20, fixed)
                    .thenApplyAsync(x -> x + 1, fixed)
                    .thenComposeAsync(x -> CompletableFuture.supplyAsync(() -> x * 2, fixed), fixed)
                    .get(WAIT, TimeUnit.SECONDS));
            check("completable-failure", () -> CompletableFuture.supplyAsync(() -> {
                throw new IllegalStateException("cf");
            }, fixed).handle((v, e) -> describe(e)).get(WAIT, TimeUnit.SECONDS));
            check("fixed-terminates", () -> terminate(fixed));
        }
    }

    /* --------------- shutdown, shutdownNow, termination --------------- */

    static final class LifecycleChecks {
        static void run() throws Exception {
            check("shutdown-runs-queued", () -> {
                ThreadPoolExecutor one = single();
                List<String> log = new ArrayList<>();
                Blocker b = new Blocker();
                one.execute(b);
                await(b.started);
                for (int i = 0; i < 5; i++) {
                    one.execute(new Named("q" + i, log));
                }
                one.shutdown();
                String during = one.isShutdown() + "/" + one.isTerminating() + "/" + one.isTerminated();
                String rejected;
                try {
                    one.execute(new Named("late"));
                    rejected = "accepted";
                } catch (Exception e) {
                    rejected = describe(e);
                }
                b.release.countDown();
                boolean t = one.awaitTermination(WAIT, TimeUnit.SECONDS);
                return during + " " + rejected + " " + t + " " + one.isTerminating() + "/" + one.isTerminated()
                        + " " + log;
            });
            check("shutdownNow", () -> {
                ThreadPoolExecutor one = single();
                Blocker b = new Blocker();
                one.execute(b);
                await(b.started);
                List<Runnable> mine = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    Runnable r = new Named("n" + i);
                    mine.add(r);
                    one.execute(r);
                }
                Future<?> f = one.submit(() -> "submitted");
                List<Runnable> never = one.shutdownNow();
                boolean t = one.awaitTermination(WAIT, TimeUnit.SECONDS);
                StringBuilder sb = new StringBuilder().append(never.size());
                for (int i = 0; i < 3; i++) {
                    sb.append(' ').append(never.get(i) == mine.get(i));
                }
                sb.append(' ').append(never.get(3) == f).append(' ').append(never.get(3) instanceof java.util.concurrent.FutureTask);
                return sb + " interrupted=" + b.interrupted + " terminated=" + t + " futureDone=" + f.isDone()
                        + " again=" + one.shutdownNow().size();
            });
            check("shutdownNow-single", () -> {
                ExecutorService one = Executors.newSingleThreadExecutor();
                Blocker b = new Blocker();
                one.execute(b);
                await(b.started);
                Runnable r = new Named("s");
                one.execute(r);
                Future<?> f = one.submit(() -> "x");
                List<Runnable> never = one.shutdownNow();
                boolean t = one.awaitTermination(WAIT, TimeUnit.SECONDS);
                return never.size() + " " + (never.get(0) == r) + " " + (never.get(1) == f) + " interrupted="
                        + b.interrupted + " " + t;
            });
            check("terminated-hook", () -> {
                List<String> events = new ArrayList<>();
                ThreadPoolExecutor p = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>()) {
                    @Override
                    protected void terminated() {
                        synchronized (events) {
                            events.add("terminated " + isTerminating() + "/" + isTerminated());
                        }
                    }
                };
                p.execute(() -> { });
                p.shutdown();
                p.awaitTermination(WAIT, TimeUnit.SECONDS);
                p.shutdown();
                p.shutdownNow();
                return events + " " + p.isTerminated();
            });
            check("terminated-unused", () -> {
                AtomicInteger n = new AtomicInteger();
                ThreadPoolExecutor p = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>()) {
                    @Override
                    protected void terminated() {
                        n.incrementAndGet();
                    }
                };
                String before = p.isShutdown() + "/" + p.isTerminated();
                p.shutdown();
                return before + " " + p.isTerminated() + " " + p.awaitTermination(0, TimeUnit.SECONDS) + " " + n;
            });
            check("awaitTermination-running", () -> {
                ThreadPoolExecutor one = single();
                Blocker b = new Blocker();
                one.execute(b);
                await(b.started);
                boolean early = one.awaitTermination(10, TimeUnit.MILLISECONDS);
                one.shutdown();
                boolean still = one.awaitTermination(10, TimeUnit.MILLISECONDS);
                b.release.countDown();
                return early + " " + still + " " + one.awaitTermination(WAIT, TimeUnit.SECONDS);
            });
            check("close", () -> {
                ThreadPoolExecutor p = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
                AtomicInteger ran = new AtomicInteger();
                for (int i = 0; i < 10; i++) {
                    p.execute(ran::incrementAndGet);
                }
                p.close();
                String r = ran + " " + p.isTerminated();
                p.close();
                return r;
            });
            check("close-single", () -> {
                ExecutorService s = Executors.newSingleThreadExecutor();
                AtomicInteger ran = new AtomicInteger();
                for (int i = 0; i < 10; i++) {
                    s.execute(ran::incrementAndGet);
                }
                s.close();
                return ran + " " + s.isTerminated();
            });
            check("close-virtual", () -> {
                AtomicInteger ran = new AtomicInteger();
                try (ExecutorService v = Executors.newVirtualThreadPerTaskExecutor()) {
                    for (int i = 0; i < 10; i++) {
                        v.execute(ran::incrementAndGet);
                    }
                }
                return ran;
            });
            check("close-interrupted", () -> {
                ThreadPoolExecutor one = single();
                Blocker b = new Blocker();
                one.execute(b);
                await(b.started);
                Thread.currentThread().interrupt();
                one.close(); // interrupted while waiting: shutdownNow, then waits
                boolean flag = Thread.interrupted();
                return flag + " " + b.interrupted + " " + one.isTerminated();
            });
        }
    }

    /* --------------- rejection --------------- */

    static final class RejectionChecks {
        static String bounded(String name, RejectedExecutionHandler h, boolean handOff) throws Exception {
            List<String> log = new ArrayList<>();
            BlockingQueue<Runnable> q = handOff ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(1);
            ThreadPoolExecutor p = new ThreadPoolExecutor(handOff ? 0 : 1, 1, 1, TimeUnit.SECONDS, q, h);
            Blocker b = new Blocker();
            p.execute(b);
            await(b.started);
            String result;
            try {
                if (!handOff) {
                    p.execute(new Named("r1", log));
                }
                p.execute(new Named("r2", log));
                result = "accepted";
            } catch (Exception e) {
                result = describe(e);
            }
            String queue = p.getQueue().toString();
            b.release.countDown();
            terminate(p);
            return result + " queue=" + queue + " ran=" + log + " completed=" + p.getCompletedTaskCount();
        }

        static void run() throws Exception {
            for (boolean handOff : new boolean[] {false, true}) {
                String q = handOff ? "sync" : "array";
                check("reject-abort-" + q, () -> bounded("abort", new ThreadPoolExecutor.AbortPolicy(), handOff));
                check("reject-callerRuns-" + q, () -> bounded("cr", (r, e) -> {
                    new ThreadPoolExecutor.CallerRunsPolicy().rejectedExecution(r, e);
                    System.out.println("  callerRuns on main: " + (Thread.currentThread().getName().equals("main")));
                }, handOff));
                check("reject-discard-" + q, () -> bounded("d", new ThreadPoolExecutor.DiscardPolicy(), handOff));
                check("reject-discardOldest-" + q, () -> bounded("do", new ThreadPoolExecutor.DiscardOldestPolicy(), handOff));
                check("reject-custom-" + q, () -> {
                    List<String> seen = new ArrayList<>();
                    String r = bounded("c", (task, ex) -> seen.add(task + " by " + (ex instanceof ThreadPoolExecutor)
                            + " shutdown=" + ex.isShutdown()), handOff);
                    return r + " " + seen;
                });
            }
            check("reject-after-shutdown", () -> {
                ThreadPoolExecutor p = single();
                p.shutdown();
                try {
                    p.execute(new Named("late"));
                    return "accepted";
                } catch (Exception e) {
                    return describe(e).replaceAll("rejected from \\S+@H", "rejected from POOL");
                }
            });
            check("reject-after-shutdown-handler", () -> {
                List<String> seen = new ArrayList<>();
                ThreadPoolExecutor p = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                        (r, e) -> seen.add(r + " " + e.isShutdown()));
                p.shutdown();
                p.execute(new Named("late"));
                return seen;
            });
            check("reject-message", () -> {
                ThreadPoolExecutor p = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1));
                Blocker b = new Blocker();
                p.execute(b);
                await(b.started);
                p.execute(new Named("r1"));
                try {
                    p.execute(new Named("r2"));
                    return "accepted";
                } catch (Exception e) {
                    return describe(e).replaceAll("rejected from \\S+@H", "rejected from POOL");
                } finally {
                    b.release.countDown();
                    terminate(p);
                }
            });
            check("reject-single-after-shutdown", () -> {
                ExecutorService s = Executors.newSingleThreadExecutor();
                s.shutdown();
                try {
                    s.execute(new Named("late"));
                    return "accepted";
                } catch (Exception e) {
                    return e.getClass().getName();
                }
            });
        }
    }

    /* --------------- sizes and settings --------------- */

    static final class SettingsChecks {
        static void run() throws Exception {
            check("ctor-core-negative", () -> new ThreadPoolExecutor(-1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>()));
            check("ctor-max-zero", () -> new ThreadPoolExecutor(0, 0, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>()));
            check("ctor-max-below-core", () -> new ThreadPoolExecutor(2, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>()));
            check("ctor-keepalive-negative", () -> new ThreadPoolExecutor(1, 1, -1, TimeUnit.SECONDS, new LinkedBlockingQueue<>()));
            check("ctor-null-queue", () -> new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, null));
            check("ctor-null-factory", () -> new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    (ThreadFactory) null));
            check("ctor-null-handler", () -> new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    (RejectedExecutionHandler) null));
            check("ctor-null-unit", () -> new ThreadPoolExecutor(1, 1, 0, null, new LinkedBlockingQueue<>()));
            check("ctor-bad-and-null", () -> new ThreadPoolExecutor(-1, 1, 0, TimeUnit.SECONDS, null));
            check("fixed-zero", () -> Executors.newFixedThreadPool(0));
            check("fixed-null-factory", () -> Executors.newFixedThreadPool(1, null));
            check("scheduled-negative", () -> Executors.newScheduledThreadPool(-1));
            check("stealing-zero", () -> Executors.newWorkStealingPool(0));
            check("single-null-factory", () -> Executors.newSingleThreadExecutor(null));
            check("single-scheduled-null-factory", () -> Executors.newSingleThreadScheduledExecutor(null));
            check("cached-null-factory", () -> Executors.newCachedThreadPool(null));
            check("scheduled-null-factory", () -> Executors.newScheduledThreadPool(1, null));
            check("stpe-null-factory", () -> new ScheduledThreadPoolExecutor(1, (ThreadFactory) null));
            check("stealing-negative", () -> Executors.newWorkStealingPool(-3));
            check("execute-null", () -> {
                ThreadPoolExecutor p = single();
                try {
                    p.execute(null);
                    return "accepted";
                } finally {
                    terminate(p);
                }
            });
            check("execute-null-fixed", () -> {
                ExecutorService p = Executors.newFixedThreadPool(1);
                try {
                    p.execute(null);
                    return "accepted";
                } finally {
                    terminate(p);
                }
            });
            check("execute-null-single", () -> {
                ExecutorService p = Executors.newSingleThreadExecutor();
                try {
                    p.execute(null);
                    return "accepted";
                } finally {
                    terminate(p);
                }
            });
            check("submit-null", () -> {
                ExecutorService p = Executors.newFixedThreadPool(1);
                try {
                    return p.submit((Runnable) null);
                } finally {
                    terminate(p);
                }
            });
            check("invokeAll-null", () -> {
                ExecutorService p = Executors.newFixedThreadPool(1);
                try {
                    return p.invokeAll(null);
                } finally {
                    terminate(p);
                }
            });
            check("sizes", () -> {
                ThreadPoolExecutor p = new ThreadPoolExecutor(2, 4, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(4));
                List<String> out = new ArrayList<>();
                for (Callable<Object> c : List.<Callable<Object>>of(
                        () -> { p.setCorePoolSize(-1); return "ok"; },
                        () -> { p.setCorePoolSize(5); return "ok"; },
                        () -> { p.setMaximumPoolSize(0); return "ok"; },
                        () -> { p.setMaximumPoolSize(1); return "ok"; },
                        () -> { p.setMaximumPoolSize(6); return "ok"; },
                        () -> { p.setCorePoolSize(6); return "ok"; },
                        () -> { p.setCorePoolSize(1); return "ok"; },
                        () -> { p.setKeepAliveTime(-1, TimeUnit.SECONDS); return "ok"; },
                        () -> { p.setKeepAliveTime(0, TimeUnit.SECONDS); return "ok"; },
                        () -> { p.allowCoreThreadTimeOut(true); return "ok"; },
                        () -> { p.setKeepAliveTime(5, TimeUnit.SECONDS); p.allowCoreThreadTimeOut(true); return "ok"; },
                        () -> { p.setKeepAliveTime(0, TimeUnit.SECONDS); return "ok"; },
                        () -> { p.setThreadFactory(null); return "ok"; },
                        () -> { p.setRejectedExecutionHandler(null); return "ok"; })) {
                    try {
                        out.add(String.valueOf(c.call()));
                    } catch (Exception e) {
                        out.add(describe(e));
                    }
                }
                out.add(p.getCorePoolSize() + "/" + p.getMaximumPoolSize() + "/" + p.getKeepAliveTime(TimeUnit.MILLISECONDS)
                        + "/" + p.allowsCoreThreadTimeOut() + "/" + p.getRejectedExecutionHandler().getClass().getSimpleName());
                terminate(p);
                return out;
            });
            check("prestart", () -> {
                ThreadPoolExecutor p = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
                String r = p.prestartCoreThread() + " " + p.prestartAllCoreThreads() + " " + p.prestartCoreThread()
                        + " " + p.prestartAllCoreThreads() + " pool=" + p.getPoolSize() + " largest=" + p.getLargestPoolSize();
                terminate(p);
                return r;
            });
            check("prestartAll", () -> {
                ThreadPoolExecutor p = new ThreadPoolExecutor(3, 3, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
                String r = p.prestartAllCoreThreads() + " pool=" + p.getPoolSize();
                terminate(p);
                return r;
            });
            check("stats-fixed", () -> {
                ThreadPoolExecutor p = (ThreadPoolExecutor) Executors.newFixedThreadPool(2);
                String fresh = p.getPoolSize() + "/" + p.getActiveCount() + "/" + p.getLargestPoolSize() + "/" + p.getTaskCount();
                List<Future<?>> fs = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    fs.add(p.submit(() -> { }));
                }
                for (Future<?> f : fs) {
                    f.get();
                }
                String idle = p.getPoolSize() + "/" + p.getLargestPoolSize();
                terminate(p);
                return fresh + " idle " + idle + " end " + p.getPoolSize() + "/" + p.getActiveCount() + "/"
                        + p.getCompletedTaskCount() + "/" + p.getTaskCount() + "/" + p.getLargestPoolSize();
            });
            check("stats-busy", () -> {
                ThreadPoolExecutor p = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
                CountDownLatch release = new CountDownLatch(1);
                CyclicBarrier both = new CyclicBarrier(3);
                for (int i = 0; i < 2; i++) {
                    p.execute(() -> {
                        try {
                            both.await();
                            release.await();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                }
                p.execute(() -> { });
                p.execute(() -> { });
                both.await(WAIT, TimeUnit.SECONDS);
                String busy = p.getPoolSize() + "/" + p.getActiveCount() + "/" + p.getTaskCount() + "/"
                        + p.getQueue().size() + "/" + p.getCompletedTaskCount();
                release.countDown();
                terminate(p);
                return busy + " end " + p.getCompletedTaskCount() + "/" + p.getTaskCount() + "/" + p.getLargestPoolSize();
            });
            check("stats-cached", () -> {
                ThreadPoolExecutor p = (ThreadPoolExecutor) Executors.newCachedThreadPool();
                CountDownLatch release = new CountDownLatch(1);
                CyclicBarrier all = new CyclicBarrier(4);
                for (int i = 0; i < 3; i++) {
                    p.execute(() -> {
                        try {
                            all.await();
                            release.await();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                }
                all.await(WAIT, TimeUnit.SECONDS);
                String busy = p.getPoolSize() + "/" + p.getActiveCount() + "/" + p.getLargestPoolSize() + "/"
                        + p.getQueue().size() + " " + p.getQueue().getClass().getSimpleName();
                release.countDown();
                terminate(p);
                return busy + " end " + p.getPoolSize() + "/" + p.getCompletedTaskCount() + "/" + p.getLargestPoolSize();
            });
            check("coreTimeOut-pool", () -> {
                ThreadPoolExecutor p = new ThreadPoolExecutor(2, 2, 1, TimeUnit.HOURS, new LinkedBlockingQueue<>());
                p.allowCoreThreadTimeOut(true);
                String r = p.allowsCoreThreadTimeOut() + " " + p.getKeepAliveTime(TimeUnit.MINUTES);
                terminate(p);
                return r;
            });
            check("toString", () -> {
                ThreadPoolExecutor p = single();
                Blocker b = new Blocker();
                p.execute(b);
                await(b.started);
                p.execute(() -> { });
                String running = p.toString();
                b.release.countDown();
                terminate(p);
                return tail(running); // once terminated, the JDK's pool size races with its exiting worker
            });
            check("toString-left-alone", () -> {
                // a queue class of its own: left alone by the agent (docs/agent.md), a plain JDK pool
                ThreadPoolExecutor p = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>() { });
                String r = strip(p.toString());
                terminate(p);
                return r;
            });
            check("toString-left-alone-scheduled", () -> {
                // a factory making threads of a class of its own: left alone by the agent (docs/agent.md)
                ScheduledThreadPoolExecutor p = new ScheduledThreadPoolExecutor(1, r -> new Thread(r) { });
                String r = strip(p.toString());
                terminate(p);
                return r;
            });
            check("toString-fresh", () -> {
                ThreadPoolExecutor p = (ThreadPoolExecutor) Executors.newFixedThreadPool(3);
                String r = tail(p.toString());
                terminate(p);
                return r;
            });
        }

        /** toString without the class name and hash code (the part an application would parse). */
        static String tail(String s) {
            int i = s.indexOf('[');
            return i < 0 ? s : s.substring(i);
        }
    }

    /* --------------- the queue --------------- */

    static final class QueueChecks {
        static void run() throws Exception {
            check("queue-contents-remove", () -> {
                LinkedBlockingQueue<Runnable> given = new LinkedBlockingQueue<>();
                ThreadPoolExecutor p = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, given);
                List<String> log = new ArrayList<>();
                Blocker b = new Blocker();
                p.execute(b);
                await(b.started);
                Runnable r1 = new Named("r1", log), r2 = new Named("r2", log), r3 = new Named("r3", log);
                p.execute(r1);
                p.execute(r2);
                p.execute(r3);
                BlockingQueue<Runnable> q = p.getQueue();
                String s = (q == given) + " " + q + " " + p.remove(r2) + " " + p.remove(r2) + " " + p.remove(b) + " " + q;
                b.release.countDown();
                terminate(p);
                return s + " ran=" + log + " completed=" + p.getCompletedTaskCount();
            });
            check("queue-fixed", () -> {
                ThreadPoolExecutor p = (ThreadPoolExecutor) Executors.newFixedThreadPool(1);
                List<String> log = new ArrayList<>();
                Blocker b = new Blocker();
                p.execute(b);
                await(b.started);
                for (int i = 0; i < 4; i++) {
                    p.execute(new Named("f" + i, log));
                }
                String s = p.getQueue().size() + " " + p.getQueue() + " " + p.getTaskCount() + " "
                        + p.getQueue().getClass().getSimpleName();
                b.release.countDown();
                terminate(p);
                return s + " ran=" + log;
            });
            check("purge", () -> {
                ThreadPoolExecutor p = single();
                Blocker b = new Blocker();
                p.execute(b);
                await(b.started);
                Future<String> f1 = p.submit(() -> "1");
                Future<String> f2 = p.submit(() -> "2");
                Future<String> f3 = p.submit(() -> "3");
                f2.cancel(false);
                int before = p.getQueue().size();
                p.purge();
                int after = p.getQueue().size();
                b.release.countDown();
                terminate(p);
                return before + " " + after + " " + outcome(f1) + " " + f2.isCancelled() + " " + outcome(f3)
                        + " completed=" + p.getCompletedTaskCount() + " tasks=" + p.getTaskCount();
            });
            check("queue-offer-direct", () -> {
                // a task put straight into the queue runs once a thread looks at the queue
                ThreadPoolExecutor p = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(4));
                CountDownLatch ran = new CountDownLatch(2);
                p.getQueue().offer(ran::countDown);
                p.execute(ran::countDown);
                boolean ok = ran.await(WAIT, TimeUnit.SECONDS);
                terminate(p);
                return ok;
            });
            check("priority-order", () -> {
                List<String> log = new ArrayList<>();
                ThreadPoolExecutor p = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
                        new java.util.concurrent.PriorityBlockingQueue<>(11,
                                (a, c) -> a.toString().compareTo(c.toString())));
                Blocker b = new Blocker();
                p.execute(b);
                await(b.started);
                for (String n : List.of("c", "a", "d", "b")) {
                    p.execute(new Named(n, log));
                }
                b.release.countDown();
                terminate(p);
                return log;
            });
        }
    }

    /* --------------- hooks --------------- */

    static final class HookChecks {
        static void run() throws Exception {
            check("before-after-execute", () -> {
                List<String> events = new ArrayList<>();
                List<String> uncaught = new ArrayList<>(); // apart: the JDK's replacement thread may start the next task first
                CountDownLatch done = new CountDownLatch(3);
                ThreadPoolExecutor p = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                        reporting("hooked", uncaught, "", done)) {
                    @Override
                    protected void beforeExecute(Thread t, Runnable r) {
                        synchronized (events) {
                            events.add("before " + (t == Thread.currentThread()) + " " + (r instanceof Future));
                        }
                    }

                    @Override
                    protected void afterExecute(Runnable r, Throwable t) {
                        synchronized (events) {
                            events.add("after " + (r instanceof Future) + " " + describe(t));
                        }
                        if (r instanceof Future) {
                            done.countDown();
                        }
                    }
                };
                p.execute(() -> {
                    throw new IllegalStateException("from execute");
                });
                p.submit(() -> {
                    throw new IllegalStateException("from submit");
                });
                p.submit(() -> "fine");
                awaitReport(done);
                terminate(p);
                return events + " uncaught " + uncaught;
            });
            check("beforeExecute-throws", () -> {
                List<String> events = new ArrayList<>();
                CountDownLatch reported = new CountDownLatch(1);
                ThreadPoolExecutor p = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                        reporting("hooked", events, "uncaught ", reported)) {
                    @Override
                    protected void beforeExecute(Thread t, Runnable r) {
                        if (r.toString().equals("first")) {
                            throw new IllegalStateException("before failed");
                        }
                    }

                    @Override
                    protected void afterExecute(Runnable r, Throwable t) {
                        synchronized (events) {
                            events.add("after " + r + " " + describe(t));
                        }
                    }
                };
                p.execute(new Named("first", events));
                awaitReport(reported);
                p.execute(new Named("second", events));
                terminate(p);
                return events + " completed=" + p.getCompletedTaskCount();
            });
            check("afterExecute-throws", () -> {
                List<String> events = new ArrayList<>();
                CountDownLatch reported = new CountDownLatch(1);
                ThreadPoolExecutor p = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                        reporting("hooked", events, "uncaught ", reported)) {
                    @Override
                    protected void afterExecute(Runnable r, Throwable t) {
                        throw new IllegalStateException("after failed");
                    }
                };
                p.execute(new Named("first", events));
                awaitReport(reported);
                terminate(p);
                return events + " completed=" + p.getCompletedTaskCount();
            });
            check("subclass-newTaskFor", () -> {
                List<String> events = new ArrayList<>();
                ThreadPoolExecutor p = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>()) {
                    @Override
                    protected <T> java.util.concurrent.RunnableFuture<T> newTaskFor(Callable<T> c) {
                        events.add("newTaskFor");
                        return super.newTaskFor(c);
                    }
                };
                Future<String> f = p.submit(() -> "x");
                String r = outcome(f) + " " + events + " " + f.getClass().getName();
                terminate(p);
                return r;
            });
        }
    }

    /* --------------- failures reaching uncaught-exception handlers --------------- */

    static final class FailureChecks {
        static void run() throws Exception {
            Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
            try {
                check("uncaught-default-handler-fixed", () -> viaDefault(Executors.newFixedThreadPool(1)));
                check("uncaught-default-handler-tpe", () -> viaDefault(new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
                        new LinkedBlockingQueue<>())));
                check("uncaught-default-handler-cached", () -> viaDefault(Executors.newCachedThreadPool()));
                check("uncaught-default-handler-single", () -> viaDefault(Executors.newSingleThreadExecutor()));
                check("uncaught-default-handler-stealing", () -> viaDefault(Executors.newWorkStealingPool(1)));
                check("uncaught-factory-handler-fixed", () -> viaFactory(f -> Executors.newFixedThreadPool(1, f)));
                check("uncaught-factory-handler-tpe", () -> viaFactory(f -> new ThreadPoolExecutor(1, 1, 0,
                        TimeUnit.SECONDS, new LinkedBlockingQueue<>(), f)));
                check("uncaught-factory-handler-bounded", () -> viaFactory(f -> new ThreadPoolExecutor(1, 1, 0,
                        TimeUnit.SECONDS, new ArrayBlockingQueue<>(2), f)));
                check("uncaught-factory-handler-cached", () -> viaFactory(Executors::newCachedThreadPool));
                check("uncaught-factory-handler-single", () -> viaFactory(Executors::newSingleThreadExecutor));
                check("uncaught-group-handler-fixed", () -> viaGroup(f -> Executors.newFixedThreadPool(1, f)));
                check("uncaught-factory-handler-set-later", () -> viaFactory(f -> {
                    ThreadPoolExecutor p = (ThreadPoolExecutor) Executors.newFixedThreadPool(1);
                    p.setThreadFactory(f); // before any thread is made: the JDK makes them all with it
                    return p;
                }));
                check("uncaught-factory-handler-set-later-scheduled", () -> {
                    CountDownLatch reported = new CountDownLatch(1);
                    AtomicReference<String> seen = new AtomicReference<>();
                    ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1) {
                        @Override
                        protected void afterExecute(Runnable r, Throwable t) {
                            throw new IllegalStateException("after failed");
                        }
                    };
                    s.setThreadFactory(r -> {
                        Thread t = new Thread(r, "later-1");
                        t.setUncaughtExceptionHandler((th, e) -> {
                            seen.set(describe(e));
                            reported.countDown();
                        });
                        return t;
                    });
                    s.execute(() -> { });
                    boolean r = reported.await(5, TimeUnit.SECONDS);
                    terminate(s);
                    return r + " " + seen.get();
                });
                check("uncaught-stderr-fixed", () -> viaStderr(Executors.newFixedThreadPool(1)));
                check("uncaught-stderr-single", () -> viaStderr(Executors.newSingleThreadExecutor()));
                check("uncaught-submit-silent", () -> {
                    AtomicInteger calls = new AtomicInteger();
                    Thread.setDefaultUncaughtExceptionHandler((t, e) -> calls.incrementAndGet());
                    ExecutorService e = Executors.newFixedThreadPool(1);
                    Future<?> f = e.submit(() -> {
                        throw new IllegalStateException("kept");
                    });
                    String r = outcome(f);
                    terminate(e);
                    return r + " handler calls " + calls;
                });
            } finally {
                Thread.setDefaultUncaughtExceptionHandler(previous);
            }
        }

        static String viaDefault(ExecutorService e) throws Exception {
            CountDownLatch reported = new CountDownLatch(1);
            AtomicReference<String> seen = new AtomicReference<>();
            AtomicReference<Thread> ranOn = new AtomicReference<>();
            Thread.setDefaultUncaughtExceptionHandler((t, ex) -> {
                seen.set(describe(ex) + " sameThread=" + (t == ranOn.get()));
                reported.countDown();
            });
            e.execute(() -> {
                ranOn.set(Thread.currentThread());
                throw new IllegalStateException("boom");
            });
            boolean r = reported.await(5, TimeUnit.SECONDS);
            terminate(e);
            return r + " " + seen.get();
        }

        static String viaFactory(java.util.function.Function<ThreadFactory, ExecutorService> make) throws Exception {
            CountDownLatch reported = new CountDownLatch(1);
            AtomicReference<String> seen = new AtomicReference<>();
            AtomicInteger defaults = new AtomicInteger();
            Thread.setDefaultUncaughtExceptionHandler((t, ex) -> defaults.incrementAndGet());
            AtomicInteger n = new AtomicInteger();
            ExecutorService e = make.apply(r -> {
                Thread t = new Thread(r, "handled-" + n.incrementAndGet());
                t.setUncaughtExceptionHandler((th, ex) -> {
                    seen.set("factory handler " + describe(ex));
                    reported.countDown();
                });
                return t;
            });
            e.execute(() -> {
                throw new IllegalStateException("boom");
            });
            boolean r = reported.await(5, TimeUnit.SECONDS);
            terminate(e);
            return r + " " + seen.get() + " default handler calls " + defaults;
        }

        static String viaGroup(java.util.function.Function<ThreadFactory, ExecutorService> make) throws Exception {
            CountDownLatch reported = new CountDownLatch(1);
            AtomicReference<String> seen = new AtomicReference<>();
            Thread.setDefaultUncaughtExceptionHandler((t, ex) -> { });
            ThreadGroup g = new ThreadGroup("handled-group") {
                @Override
                public void uncaughtException(Thread t, Throwable ex) {
                    seen.set("group handler " + describe(ex));
                    reported.countDown();
                }
            };
            ExecutorService e = make.apply(r -> new Thread(g, r, "grouped-1"));
            e.execute(() -> {
                throw new IllegalStateException("boom");
            });
            boolean r = reported.await(5, TimeUnit.SECONDS);
            terminate(e);
            return r + " " + seen.get();
        }

        /** What the JVM prints for an uncaught exception, the thread's name taken out. */
        static String viaStderr(ExecutorService e) throws Exception {
            Thread.setDefaultUncaughtExceptionHandler(null);
            PrintStream err = System.err;
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            PrintStream capture = new PrintStream(buf, true);
            System.setErr(capture);
            try {
                e.execute(() -> {
                    throw new IllegalStateException("printed");
                });
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (!captured(buf).contains("\tat ") && System.nanoTime() < end) {
                    Thread.onSpinWait(); // waits for the print itself, not for time to pass
                    Thread.yield();
                }
                terminate(e);
            } finally {
                System.setErr(err);
            }
            String[] lines = captured(buf).split("\n");
            return lines[0].replaceAll("\"[^\"]*\"", "\"T\"") + (lines.length > 1 ? " / " + lines[1].trim() : "");
        }

        static String captured(ByteArrayOutputStream buf) {
            synchronized (buf) {
                return buf.toString();
            }
        }
    }

    /* --------------- the threads tasks run on --------------- */

    static final class ThreadChecks {
        static final ThreadLocal<String> LOCAL = new ThreadLocal<>();

        static void run() throws Exception {
            check("interrupt-not-leaking", () -> {
                ThreadPoolExecutor p = single();
                p.execute(() -> Thread.currentThread().interrupt());
                Future<Boolean> f = p.submit(() -> Thread.currentThread().isInterrupted());
                String r = outcome(f);
                terminate(p);
                return r;
            });
            check("interrupt-not-leaking-fixed", () -> {
                ExecutorService p = Executors.newFixedThreadPool(1);
                p.execute(() -> Thread.currentThread().interrupt());
                Future<Boolean> f = p.submit(() -> Thread.currentThread().isInterrupted());
                String r = outcome(f);
                terminate(p);
                return r;
            });
            check("interrupt-not-leaking-single", () -> {
                ExecutorService p = Executors.newSingleThreadExecutor();
                p.execute(() -> Thread.currentThread().interrupt());
                Future<Boolean> f = p.submit(() -> Thread.currentThread().isInterrupted());
                String r = outcome(f);
                terminate(p);
                return r;
            });
            check("cancel-interrupts", () -> {
                ThreadPoolExecutor p = single();
                Blocker b = new Blocker();
                Future<?> f = p.submit(b);
                await(b.started);
                f.cancel(true);
                Future<Boolean> next = p.submit(() -> Thread.currentThread().isInterrupted());
                String r = outcome(next);
                terminate(p);
                return b.interrupted + " " + r + " " + f.isCancelled();
            });
            check("threadlocal-fixed1", () -> {
                ExecutorService p = Executors.newFixedThreadPool(1);
                p.execute(() -> LOCAL.set("kept"));
                String r = outcome(p.submit(LOCAL::get));
                terminate(p);
                return r;
            });
            check("threadlocal-across-executors", () -> {
                // the JDK's pools have threads of their own: what one pool's task leaves in a
                // ThreadLocal is never seen by another pool's tasks (docs/agent.md: under the agent it is)
                ExecutorService a = Executors.newFixedThreadPool(1), b = Executors.newFixedThreadPool(1);
                int seen = 0;
                for (int i = 0; i < 20; i++) {
                    a.submit(() -> LOCAL.set("left by a")).get(WAIT, TimeUnit.SECONDS);
                    if ("left by a".equals(b.submit(LOCAL::get).get(WAIT, TimeUnit.SECONDS))) {
                        seen++;
                    }
                }
                terminate(a);
                terminate(b);
                return "seen by the other pool " + (seen > 0);
            });
            check("context-loader", () -> {
                ClassLoader mine = new ClassLoader(ContractSweep.class.getClassLoader()) { };
                Thread me = Thread.currentThread();
                ClassLoader old = me.getContextClassLoader();
                me.setContextClassLoader(mine);
                ExecutorService p;
                Future<Boolean> f;
                try {
                    p = Executors.newFixedThreadPool(1);
                    f = p.submit(() -> Thread.currentThread().getContextClassLoader() == mine);
                } finally {
                    me.setContextClassLoader(old);
                }
                String r = outcome(f);
                terminate(p);
                return r;
            });
            check("single-order", () -> {
                ExecutorService s = Executors.newSingleThreadExecutor();
                List<Integer> seen = new ArrayList<>();
                for (int i = 0; i < 200; i++) {
                    int n = i;
                    s.execute(() -> seen.add(n));
                }
                terminate(s);
                for (int i = 0; i < 200; i++) {
                    if (seen.get(i) != i) {
                        return "out of order at " + i;
                    }
                }
                return "in order " + seen.size();
            });
            check("single-cast", () -> {
                ExecutorService s = Executors.newSingleThreadExecutor();
                String r = (s instanceof ThreadPoolExecutor) + " " + (s instanceof ScheduledExecutorService);
                try {
                    ThreadPoolExecutor t = (ThreadPoolExecutor) s;
                    r += " cast ok " + t.getCorePoolSize();
                } catch (ClassCastException e) {
                    r += " ClassCastException";
                }
                terminate(s);
                return r;
            });
            check("single-scheduled-cast", () -> {
                ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor();
                String r = String.valueOf(s instanceof ScheduledThreadPoolExecutor);
                terminate(s);
                return r;
            });
            check("unconfigurable", () -> {
                ExecutorService u = Executors.unconfigurableExecutorService(Executors.newFixedThreadPool(2));
                String r = (u instanceof ThreadPoolExecutor) + " " + outcome(u.submit(() -> "u"));
                terminate(u);
                return r + " " + u.isTerminated();
            });
            check("unconfigurable-scheduled", () -> {
                ScheduledExecutorService u = Executors.unconfigurableScheduledExecutorService(
                        Executors.newScheduledThreadPool(1));
                String r = (u instanceof ScheduledThreadPoolExecutor) + " " + outcome(u.schedule(() -> "s", 1,
                        TimeUnit.MILLISECONDS));
                terminate(u);
                return r;
            });
            check("work-stealing", () -> {
                ExecutorService w = Executors.newWorkStealingPool(2);
                List<String> out = new ArrayList<>();
                for (Future<Integer> f : w.invokeAll(List.<Callable<Integer>>of(() -> 1, () -> 2, () -> {
                    throw new IllegalStateException("ws");
                }))) {
                    try {
                        out.add("value " + f.get());
                    } catch (ExecutionException e) {
                        out.add("failed " + e.getCause().getClass().getName()); // ForkJoinPool may copy the exception
                    }
                }
                boolean t = terminate(w);
                return out + " " + t + " " + w.isTerminated();
            });
            check("work-stealing-shutdownNow", () -> {
                ExecutorService w = Executors.newWorkStealingPool(1);
                Blocker b = new Blocker();
                w.execute(b);
                await(b.started);
                w.shutdownNow();
                boolean t = w.awaitTermination(WAIT, TimeUnit.SECONDS);
                return b.interrupted + " " + t;
            });
            check("work-stealing-nested-get", () -> {
                ExecutorService w = Executors.newWorkStealingPool(1);
                Future<String> outer = w.submit(() -> {
                    Future<String> inner = w.submit(() -> "inner");
                    return "outer+" + inner.get(WAIT, TimeUnit.SECONDS);
                });
                String r = outcome(outer);
                terminate(w);
                return r;
            });
            check("work-stealing-nested-invokeAll", () -> {
                ExecutorService w = Executors.newWorkStealingPool(1);
                Future<Integer> outer = w.submit(() -> {
                    int sum = 0;
                    for (Future<Integer> f : w.invokeAll(List.<Callable<Integer>>of(() -> 1, () -> 2, () -> 3))) {
                        sum += f.get();
                    }
                    return sum;
                });
                String r = outcome(outer);
                terminate(w);
                return r;
            });
            check("work-stealing-nested-joins", () -> {
                // Joins nested two deeper than the parallelism (the CPUs, the default): ForkJoinPool
                // meets the blocked joins with spare threads. Not terminated: a hung chain never ends.
                ExecutorService w = Executors.newWorkStealingPool();
                String r = outcome(nestedJoins(w, Runtime.getRuntime().availableProcessors() + 2));
                w.shutdownNow();
                return r;
            });
            check("work-stealing-shutdownNow-queued", () -> {
                ExecutorService w = Executors.newWorkStealingPool(1);
                Blocker b = new Blocker();
                w.execute(b);
                await(b.started);
                Future<String> f = w.submit(() -> "never");
                w.execute(new Named("never either"));
                List<Runnable> never = w.shutdownNow();
                boolean t = w.awaitTermination(WAIT, TimeUnit.SECONDS);
                String rejected;
                try {
                    w.execute(() -> { });
                    rejected = "accepted";
                } catch (Exception e) {
                    rejected = e.getClass().getName();
                }
                return never.size() + " " + f.isCancelled() + " " + outcome(f) + " " + b.interrupted + " " + t + " " + rejected;
            });
            check("work-stealing-types", () -> {
                ExecutorService w = Executors.newWorkStealingPool(1);
                String r = (w instanceof ScheduledExecutorService) + " " + (w instanceof ThreadPoolExecutor);
                try {
                    w.execute(null);
                } catch (NullPointerException e) {
                    r += " " + describe(e);
                }
                terminate(w);
                return r;
            });
            check("work-stealing-daemon", () -> {
                ExecutorService w = Executors.newWorkStealingPool(1);
                String r = outcome(w.submit(() -> Thread.currentThread().isDaemon()));
                terminate(w);
                return r;
            });
        }
    }

    /* --------------- ThreadFactory --------------- */

    static final class FactoryChecks {
        static void run() throws Exception {
            check("factory-daemon-priority-group", () -> {
                ThreadGroup g = new ThreadGroup("app-group");
                ThreadFactory f = r -> {
                    Thread t = new Thread(g, r, "custom-1");
                    t.setDaemon(false);
                    t.setPriority(Thread.MAX_PRIORITY);
                    return t;
                };
                ExecutorService p = Executors.newFixedThreadPool(1, f);
                String r = outcome(p.submit(() -> {
                    Thread t = Thread.currentThread();
                    return t.isDaemon() + " " + t.getPriority() + " " + t.getThreadGroup().getName();
                }));
                terminate(p);
                return r;
            });
            check("factory-daemon-true", () -> {
                ThreadFactory f = r -> {
                    Thread t = new Thread(r, "dae-1");
                    t.setDaemon(true);
                    return t;
                };
                ExecutorService p = Executors.newFixedThreadPool(1, f);
                String r = outcome(p.submit(() -> Thread.currentThread().isDaemon()));
                terminate(p);
                return r;
            });
            check("default-factory-thread", () -> {
                ExecutorService p = Executors.newFixedThreadPool(1);
                String r = outcome(p.submit(() -> {
                    Thread t = Thread.currentThread();
                    return t.isDaemon() + " " + t.getPriority();
                }));
                terminate(p);
                return r;
            });
            check("factory-calls", () -> {
                AtomicInteger calls = new AtomicInteger();
                ThreadFactory f = r -> {
                    calls.incrementAndGet();
                    return new Thread(r, "counted-" + calls.get());
                };
                ExecutorService p = Executors.newFixedThreadPool(2, f);
                CyclicBarrier both = new CyclicBarrier(2);
                List<Future<?>> fs = List.of(p.submit(() -> both.await()), p.submit(() -> both.await()));
                for (Future<?> fu : fs) {
                    fu.get(WAIT, TimeUnit.SECONDS);
                }
                terminate(p);
                return calls.get();
            });
            check("factory-returns-null", () -> {
                ThreadPoolExecutor p = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                        r -> null);
                String r;
                try {
                    p.execute(() -> { });
                    r = "accepted";
                } catch (Exception e) {
                    r = describe(e);
                }
                p.shutdownNow();
                return r + " " + p.getPoolSize();
            });
            check("getThreadFactory", () -> {
                ThreadFactory f = named("tf");
                ThreadPoolExecutor p = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), f);
                boolean same = p.getThreadFactory() == f;
                terminate(p);
                return same;
            });
        }
    }

    /* --------------- sizes at work, inheritance, odd corners --------------- */

    static final class MoreChecks {
        static final InheritableThreadLocal<String> INHERITED = new InheritableThreadLocal<>();

        static void run() throws Exception {
            check("inheritable-threadlocal", () -> {
                INHERITED.set("from-main");
                try {
                    ExecutorService p = Executors.newFixedThreadPool(1);
                    String r = outcome(p.submit(INHERITED::get));
                    terminate(p);
                    return r;
                } finally {
                    INHERITED.remove();
                }
            });
            check("activeCount-inside-task", () -> {
                ThreadPoolExecutor p = (ThreadPoolExecutor) Executors.newFixedThreadPool(2);
                String r = outcome(p.submit(() -> p.getActiveCount() + "/" + p.getPoolSize()));
                terminate(p);
                return r;
            });
            check("raise-core-runs-queued", () -> {
                ThreadPoolExecutor p = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
                CyclicBarrier three = new CyclicBarrier(4);
                CountDownLatch release = new CountDownLatch(1);
                for (int i = 0; i < 3; i++) {
                    p.execute(() -> {
                        try {
                            three.await();
                            release.await();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                }
                p.setMaximumPoolSize(3);
                p.setCorePoolSize(3);
                three.await(WAIT, TimeUnit.SECONDS); // all three run at once
                String busy = p.getActiveCount() + "/" + p.getPoolSize() + "/" + p.getQueue().size();
                release.countDown();
                p.submit(() -> { }).get(WAIT, TimeUnit.SECONDS);
                String idle = "largest=" + p.getLargestPoolSize();
                terminate(p);
                return busy + " " + idle + " " + p.getCompletedTaskCount();
            });
            check("core-zero-unbounded", () -> {
                ThreadPoolExecutor p = new ThreadPoolExecutor(0, 5, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
                Blocker b = new Blocker();
                p.execute(b);
                await(b.started);
                p.execute(() -> { });
                String busy = p.getActiveCount() + "/" + p.getPoolSize() + "/" + p.getQueue().size();
                b.release.countDown();
                terminate(p);
                return busy + " " + p.getCompletedTaskCount() + " largest=" + p.getLargestPoolSize();
            });
            check("scheduled-core-zero", () -> {
                ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(0);
                String r = outcome(s.schedule(() -> "ran", 0, TimeUnit.SECONDS)) + " " + s.getCorePoolSize();
                terminate(s);
                return r;
            });
            check("scheduled-huge-delay", () -> {
                ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1);
                ScheduledFuture<?> f = s.schedule(() -> { }, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
                ScheduledFuture<?> g = s.scheduleAtFixedRate(() -> { }, Long.MAX_VALUE, Long.MAX_VALUE, TimeUnit.DAYS);
                String r = (f.getDelay(TimeUnit.DAYS) > 100_000) + " " + (g.getDelay(TimeUnit.DAYS) > 100_000)
                        + " " + (f.compareTo(g) < 0);
                s.shutdownNow();
                return r + " " + s.awaitTermination(WAIT, TimeUnit.SECONDS);
            });
            check("callerRuns-after-shutdown", () -> {
                ThreadPoolExecutor p = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1),
                        new ThreadPoolExecutor.CallerRunsPolicy());
                p.shutdown();
                AtomicInteger ran = new AtomicInteger();
                p.execute(ran::incrementAndGet);
                return ran.get();
            });
            check("discardOldest-after-shutdown", () -> {
                ThreadPoolExecutor p = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1),
                        new ThreadPoolExecutor.DiscardOldestPolicy());
                p.shutdown();
                AtomicInteger ran = new AtomicInteger();
                p.execute(ran::incrementAndGet);
                return ran.get() + " " + p.getQueue().size();
            });
            check("single-after-failure", () -> {
                Thread.UncaughtExceptionHandler prev = Thread.getDefaultUncaughtExceptionHandler();
                // The failure reaches the default handler on the thread that ran it: on the JDK's
                // pool as that thread dies, which can be after the pool has terminated. Waiting for
                // it before the handler is put back keeps its report from reaching the JVM's own
                // (a stack trace on standard error in one run and not the other).
                CountDownLatch reported = new CountDownLatch(1);
                Thread.setDefaultUncaughtExceptionHandler((t, e) -> reported.countDown());
                try {
                    ExecutorService s = Executors.newSingleThreadExecutor();
                    List<String> log = new ArrayList<>();
                    s.execute(new Named("one", log));
                    s.execute(() -> {
                        throw new IllegalStateException("fails");
                    });
                    s.execute(new Named("two", log));
                    terminate(s);
                    return log + " reported " + reported.await(10, TimeUnit.SECONDS);
                } finally {
                    Thread.setDefaultUncaughtExceptionHandler(prev);
                }
            });
            check("invokeAny-cancels-rest", () -> {
                ExecutorService p = Executors.newFixedThreadPool(2);
                CountDownLatch slowStarted = new CountDownLatch(1);
                CountDownLatch slowEnded = new CountDownLatch(1);
                AtomicReference<String> slow = new AtomicReference<>("not run");
                String v = p.invokeAny(List.of(() -> {
                    slowStarted.await();
                    return "fast";
                }, () -> {
                    slowStarted.countDown();
                    try {
                        new CountDownLatch(1).await();
                        slow.set("not interrupted");
                    } catch (InterruptedException e) {
                        slow.set("interrupted");
                    } finally {
                        slowEnded.countDown();
                    }
                    return "slow";
                }));
                await(slowEnded);
                terminate(p);
                return v + " " + slow.get();
            });
            check("shutdownNow-from-task", () -> {
                ThreadPoolExecutor p = single();
                AtomicReference<String> seen = new AtomicReference<>();
                CountDownLatch queued = new CountDownLatch(1);
                p.execute(() -> {
                    try {
                        queued.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    List<Runnable> never = p.shutdownNow();
                    seen.set(never.size() + " " + Thread.currentThread().isInterrupted() + " " + p.isTerminated());
                });
                p.execute(() -> { });
                p.execute(() -> { });
                queued.countDown();
                boolean t = p.awaitTermination(WAIT, TimeUnit.SECONDS);
                return seen.get() + " " + t + " " + p.getCompletedTaskCount();
            });
            check("awaitTermination-never-shut", () -> {
                ExecutorService p = Executors.newFixedThreadPool(1);
                boolean r = p.awaitTermination(1, TimeUnit.MILLISECONDS);
                terminate(p);
                return r;
            });
            check("stpe-queue-remove-direct", () -> {
                ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1);
                ScheduledFuture<?> f = s.schedule(() -> { }, 1, TimeUnit.HOURS);
                boolean removed = s.getQueue().remove(f);
                s.shutdown();
                return removed + " " + f.isDone() + " " + s.awaitTermination(WAIT, TimeUnit.SECONDS);
            });
            check("stpe-keepalive-max", () -> {
                ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(2);
                List<String> out = new ArrayList<>();
                for (Callable<Object> c : List.<Callable<Object>>of(
                        () -> { s.setKeepAliveTime(0, TimeUnit.SECONDS); return "ok"; },
                        () -> { s.setMaximumPoolSize(1); return "ok"; },
                        () -> { s.setMaximumPoolSize(5); return s.getMaximumPoolSize(); },
                        () -> { s.allowCoreThreadTimeOut(true); return "ok"; },
                        () -> { s.setKeepAliveTime(1, TimeUnit.SECONDS); s.allowCoreThreadTimeOut(true); return "ok"; })) {
                    try {
                        out.add(String.valueOf(c.call()));
                    } catch (Exception e) {
                        out.add(describe(e));
                    }
                }
                String r = outcome(s.schedule(() -> "still", 0, TimeUnit.SECONDS));
                terminate(s);
                return out + " " + r;
            });
            check("cached-idle-pool-size", () -> {
                ThreadPoolExecutor p = (ThreadPoolExecutor) Executors.newCachedThreadPool();
                CyclicBarrier all = new CyclicBarrier(3);
                List<Future<?>> fs = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    fs.add(p.submit(() -> all.await()));
                }
                for (Future<?> f : fs) {
                    f.get(WAIT, TimeUnit.SECONDS);
                }
                String idle = p.getPoolSize() + "/" + p.getLargestPoolSize();
                terminate(p);
                return idle;
            });
            check("stpe-queue-order", () -> {
                ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1);
                for (int h : new int[] {3, 1, 2, 5, 4}) {
                    s.schedule(() -> { }, h, TimeUnit.HOURS);
                }
                List<Long> order = new ArrayList<>();
                for (Runnable r : s.getQueue()) {
                    order.add(Math.round(((ScheduledFuture<?>) r).getDelay(TimeUnit.MINUTES) / 60.0));
                }
                Object[] arr = s.getQueue().toArray();
                long head = Math.round(((ScheduledFuture<?>) s.getQueue().peek()).getDelay(TimeUnit.MINUTES) / 60.0);
                String r = order + " " + arr.length + " head=" + head + " poll=" + s.getQueue().poll();
                s.shutdownNow();
                return r;
            });
            check("hooks-see-counts", () -> {
                List<String> events = new ArrayList<>();
                CountDownLatch done = new CountDownLatch(1);
                ThreadPoolExecutor p = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>()) {
                    @Override
                    protected void beforeExecute(Thread t, Runnable r) {
                        events.add("before active=" + getActiveCount() + " completed=" + getCompletedTaskCount()
                                + " tasks=" + getTaskCount());
                    }

                    @Override
                    protected void afterExecute(Runnable r, Throwable t) {
                        events.add("after active=" + getActiveCount() + " completed=" + getCompletedTaskCount()
                                + " tasks=" + getTaskCount());
                        done.countDown();
                    }
                };
                p.execute(() -> { });
                await(done);
                terminate(p);
                return events;
            });
            check("close-single-interrupted", () -> {
                ExecutorService s = Executors.newSingleThreadExecutor();
                Blocker b = new Blocker();
                s.execute(b);
                await(b.started);
                Thread.currentThread().interrupt();
                s.close();
                return Thread.interrupted() + " " + b.interrupted + " " + s.isTerminated();
            });
            check("close-scheduled-delayed", () -> {
                ScheduledExecutorService s = Executors.newScheduledThreadPool(1);
                AtomicInteger ran = new AtomicInteger();
                s.schedule(ran::incrementAndGet, 20, TimeUnit.MILLISECONDS);
                s.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.HOURS);
                s.close(); // the delayed task still runs, the periodic one is dropped
                return ran + " " + s.isTerminated();
            });
            check("close-single-scheduled-delayed", () -> {
                ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor();
                AtomicInteger ran = new AtomicInteger();
                s.schedule(ran::incrementAndGet, 20, TimeUnit.MILLISECONDS);
                s.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.HOURS);
                s.close();
                return ran + " " + s.isTerminated();
            });
            check("single-scheduled-periodic-throws", () -> {
                ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor();
                AtomicInteger runs = new AtomicInteger();
                ScheduledFuture<?> f = s.scheduleWithFixedDelay(() -> {
                    if (runs.incrementAndGet() == 2) {
                        throw new IllegalStateException("second");
                    }
                }, 0, 1, TimeUnit.MILLISECONDS);
                String r = outcome(f) + " " + f.isDone();
                terminate(s);
                return r + " runs=" + runs;
            });
            check("single-scheduled-args", () -> {
                ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor();
                List<String> out = new ArrayList<>();
                for (Callable<Object> c : List.<Callable<Object>>of(
                        () -> s.scheduleAtFixedRate(() -> { }, 0, 0, TimeUnit.SECONDS),
                        () -> s.scheduleWithFixedDelay(() -> { }, 0, -1, TimeUnit.SECONDS),
                        () -> s.schedule((Runnable) null, 0, TimeUnit.SECONDS),
                        () -> s.schedule(() -> { }, 0, null),
                        () -> { s.execute(null); return "ok"; })) {
                    try {
                        out.add(String.valueOf(c.call()));
                    } catch (Exception e) {
                        out.add(describe(e));
                    }
                }
                terminate(s);
                return out;
            });
            check("single-scheduled-reject", () -> {
                ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor();
                s.shutdown();
                try {
                    s.schedule(() -> { }, 0, TimeUnit.SECONDS);
                    return "accepted";
                } catch (Exception e) {
                    return e.getClass().getName();
                }
            });
            check("default-factory-group", () -> {
                ExecutorService p = Executors.newFixedThreadPool(1);
                String r = outcome(p.submit(() -> Thread.currentThread().getThreadGroup().getName()));
                terminate(p);
                return r;
            });
            check("submit-future-toString-single", () -> {
                ExecutorService s = Executors.newSingleThreadExecutor();
                Future<String> f = s.submit(() -> "v");
                outcome(f);
                terminate(s);
                return strip(f.toString()).replaceAll("\\$\\$Lambda\\S*", "LAMBDA");
            });
        }
    }

    /* --------------- ScheduledThreadPoolExecutor --------------- */

    static final class ScheduledChecks {
        static void run() throws Exception {
            check("sched-delay-cancel", () -> {
                ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1);
                ScheduledFuture<?> f = s.schedule(() -> { }, 1, TimeUnit.HOURS);
                long minutes = f.getDelay(TimeUnit.MINUTES);
                String before = (minutes >= 58 && minutes <= 60) + " " + s.getQueue().size();
                boolean c = f.cancel(false);
                String after = c + " " + f.isCancelled() + " " + f.isDone() + " queue=" + s.getQueue().size();
                s.purge();
                String purged = "purged=" + s.getQueue().size();
                terminate(s);
                return before + " " + after + " " + purged + " " + s.isTerminated();
            });
            check("sched-cancel-running", () -> {
                ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1);
                Blocker b = new Blocker();
                ScheduledFuture<?> f = s.schedule(b, 0, TimeUnit.SECONDS);
                await(b.started);
                boolean c = f.cancel(true);
                Future<Boolean> next = s.submit(() -> Thread.currentThread().isInterrupted());
                String r = c + " " + outcome(next);
                terminate(s);
                return r + " " + b.interrupted + " " + f.isCancelled() + " " + s.getCompletedTaskCount();
            });
            check("sched-removeOnCancel", () -> {
                ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1);
                s.setRemoveOnCancelPolicy(true);
                ScheduledFuture<?> f = s.schedule(() -> { }, 1, TimeUnit.HOURS);
                f.cancel(false);
                String r = s.getRemoveOnCancelPolicy() + " " + s.getQueue().size();
                terminate(s);
                return r;
            });
            check("sched-callable", () -> {
                ScheduledExecutorService s = Executors.newScheduledThreadPool(2);
                ScheduledFuture<String> f = s.schedule(() -> "called", 10, TimeUnit.MILLISECONDS);
                ScheduledFuture<String> g = s.schedule(() -> {
                    throw new IllegalStateException("sched");
                }, 0, TimeUnit.MILLISECONDS);
                String r = outcome(f) + " " + outcome(g) + " " + f.getDelay(TimeUnit.HOURS);
                terminate(s);
                return r;
            });
            check("sched-negative-delay", () -> {
                ScheduledExecutorService s = Executors.newScheduledThreadPool(1);
                String r = outcome(s.schedule(() -> "neg", -5, TimeUnit.SECONDS));
                terminate(s);
                return r;
            });
            check("sched-fixed-rate-cancel", () -> periodic(true));
            check("sched-fixed-delay-cancel", () -> periodic(false));
            check("sched-periodic-throws", () -> {
                ScheduledExecutorService s = Executors.newScheduledThreadPool(1);
                AtomicInteger runs = new AtomicInteger();
                ScheduledFuture<?> f = s.scheduleAtFixedRate(() -> {
                    if (runs.incrementAndGet() == 2) {
                        throw new IllegalStateException("second run");
                    }
                }, 0, 1, TimeUnit.MILLISECONDS);
                String r = outcome(f) + " " + f.isDone() + " " + f.isCancelled();
                terminate(s);
                return r + " runs=" + runs;
            });
            check("sched-periodic-throws-delay", () -> {
                ScheduledExecutorService s = Executors.newScheduledThreadPool(1);
                AtomicInteger runs = new AtomicInteger();
                ScheduledFuture<?> f = s.scheduleWithFixedDelay(() -> {
                    if (runs.incrementAndGet() == 3) {
                        throw new IllegalStateException("third run");
                    }
                }, 0, 1, TimeUnit.MILLISECONDS);
                String r = outcome(f);
                terminate(s);
                return r + " runs=" + runs;
            });
            check("sched-args", () -> {
                ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1);
                List<String> out = new ArrayList<>();
                for (Callable<Object> c : List.<Callable<Object>>of(
                        () -> s.scheduleAtFixedRate(() -> { }, 0, 0, TimeUnit.SECONDS),
                        () -> s.scheduleWithFixedDelay(() -> { }, 0, -1, TimeUnit.SECONDS),
                        () -> s.schedule((Runnable) null, 0, TimeUnit.SECONDS),
                        () -> s.schedule(() -> { }, 0, null),
                        () -> s.scheduleAtFixedRate(null, 0, 1, TimeUnit.SECONDS),
                        () -> { s.execute(null); return "ok"; },
                        () -> { s.setCorePoolSize(-1); return "ok"; },
                        () -> { s.setMaximumPoolSize(0); return "ok"; },
                        () -> s.getMaximumPoolSize(),
                        () -> s.getKeepAliveTime(TimeUnit.MILLISECONDS))) {
                    try {
                        out.add(String.valueOf(c.call()));
                    } catch (Exception e) {
                        out.add(describe(e));
                    }
                }
                terminate(s);
                return out;
            });
            check("sched-shutdown-default-policies", () -> {
                ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1);
                ScheduledFuture<?> delayed = s.schedule(() -> { }, 1, TimeUnit.HOURS);
                ScheduledFuture<?> periodic = s.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.HOURS);
                s.shutdown();
                String r = s.getQueue().size() + " delayedCancelled=" + delayed.isCancelled() + " periodicCancelled="
                        + periodic.isCancelled() + " terminated=" + s.isTerminated() + " "
                        + s.awaitTermination(10, TimeUnit.MILLISECONDS);
                List<Runnable> never = s.shutdownNow();
                return r + " never=" + never.size() + " " + (never.size() == 1 && never.get(0) == delayed)
                        + " " + s.awaitTermination(WAIT, TimeUnit.SECONDS);
            });
            check("sched-shutdown-no-delayed", () -> {
                ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1);
                s.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
                ScheduledFuture<?> delayed = s.schedule(() -> { }, 1, TimeUnit.HOURS);
                ScheduledFuture<String> now = s.schedule(() -> "now", 0, TimeUnit.SECONDS);
                String o = outcome(now);
                s.shutdown();
                return o + " " + delayed.isCancelled() + " " + s.getQueue().size() + " "
                        + s.awaitTermination(WAIT, TimeUnit.SECONDS);
            });
            check("sched-shutdown-continue-periodic", () -> {
                ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1);
                s.setContinueExistingPeriodicTasksAfterShutdownPolicy(true);
                CountDownLatch after = new CountDownLatch(3);
                AtomicInteger shutdownSeen = new AtomicInteger();
                ScheduledFuture<?> f = s.scheduleAtFixedRate(() -> {
                    if (s.isShutdown()) {
                        shutdownSeen.incrementAndGet();
                        after.countDown();
                    }
                }, 0, 1, TimeUnit.MILLISECONDS);
                s.shutdown();
                boolean ran = after.await(WAIT, TimeUnit.SECONDS);
                String mid = ran + " " + s.isTerminated() + " " + f.isCancelled();
                s.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
                boolean t = s.awaitTermination(WAIT, TimeUnit.SECONDS);
                return mid + " " + t + " " + f.isCancelled() + " " + f.isDone();
            });
            check("sched-shutdownNow", () -> {
                ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1);
                Blocker b = new Blocker();
                s.execute(b);
                await(b.started);
                ScheduledFuture<?> a = s.schedule(() -> { }, 1, TimeUnit.HOURS);
                ScheduledFuture<?> p = s.scheduleWithFixedDelay(() -> { }, 1, 1, TimeUnit.HOURS);
                Future<?> c = s.submit(() -> { });
                List<Runnable> never = s.shutdownNow();
                boolean t = s.awaitTermination(WAIT, TimeUnit.SECONDS);
                return never.size() + " " + never.contains(a) + " " + never.contains(p) + " " + never.contains(c)
                        + " interrupted=" + b.interrupted + " " + t + " " + a.isCancelled() + " " + a.isDone();
            });
            check("sched-decorateTask", () -> {
                List<String> events = new ArrayList<>();
                ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1) {
                    @Override
                    protected <V> RunnableScheduledFuture<V> decorateTask(Runnable r, RunnableScheduledFuture<V> task) {
                        synchronized (events) {
                            events.add("decorate runnable periodic=" + task.isPeriodic());
                        }
                        return new Wrapped<>(task);
                    }

                    @Override
                    protected <V> RunnableScheduledFuture<V> decorateTask(Callable<V> c, RunnableScheduledFuture<V> task) {
                        synchronized (events) {
                            events.add("decorate callable");
                        }
                        return new Wrapped<>(task);
                    }

                    @Override
                    protected void beforeExecute(Thread t, Runnable r) {
                        synchronized (events) {
                            events.add("before " + (r instanceof Wrapped));
                        }
                    }

                    @Override
                    protected void afterExecute(Runnable r, Throwable t) {
                        synchronized (events) {
                            events.add("after " + (r instanceof Wrapped) + " " + describe(t));
                        }
                    }
                };
                ScheduledFuture<String> f = s.schedule(() -> "deco", 0, TimeUnit.SECONDS);
                String o = outcome(f);
                CountDownLatch twice = new CountDownLatch(2);
                ScheduledFuture<?> p = s.scheduleAtFixedRate(twice::countDown, 0, 1, TimeUnit.MILLISECONDS);
                await(twice);
                p.cancel(false);
                Future<?> sub = s.submit(() -> { });
                outcome(sub);
                String types = (f instanceof Wrapped) + " " + (p instanceof Wrapped) + " " + (sub instanceof Wrapped);
                terminate(s);
                java.util.Set<String> distinct;
                synchronized (events) {
                    distinct = new java.util.TreeSet<>(events); // the main thread's and the tasks' events interleave
                }
                return o + " " + types + " " + distinct;
            });
            check("sched-execute-throws", () -> {
                AtomicInteger calls = new AtomicInteger();
                Thread.UncaughtExceptionHandler prev = Thread.getDefaultUncaughtExceptionHandler();
                Thread.setDefaultUncaughtExceptionHandler((t, e) -> calls.incrementAndGet());
                try {
                    List<String> events = new ArrayList<>();
                    ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1) {
                        @Override
                        protected void afterExecute(Runnable r, Throwable t) {
                            synchronized (events) {
                                events.add("after " + describe(t) + " " + (r instanceof Future<?> f && f.isDone()));
                            }
                        }
                    };
                    s.execute(() -> {
                        throw new IllegalStateException("swallowed");
                    });
                    s.execute(() -> { });
                    terminate(s);
                    return events + " handler calls " + calls;
                } finally {
                    Thread.setDefaultUncaughtExceptionHandler(prev);
                }
            });
            check("sched-afterExecute-throws-factory-handler", () -> {
                List<String> seen = new ArrayList<>();
                CountDownLatch reported = new CountDownLatch(1);
                ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, reporting("sched-handled", seen, "", reported)) {
                    @Override
                    protected void afterExecute(Runnable r, Throwable t) {
                        throw new IllegalStateException("after failed");
                    }
                };
                ScheduledFuture<String> f = s.schedule(() -> "done anyway", 0, TimeUnit.SECONDS);
                String o = outcome(f);
                awaitReport(reported);
                terminate(s);
                return o + " " + seen + " " + s.getCompletedTaskCount();
            });
            check("sched-stats", () -> {
                ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(2);
                String fresh = s.getPoolSize() + "/" + s.getLargestPoolSize() + "/" + s.getTaskCount();
                for (int i = 0; i < 4; i++) {
                    s.schedule(() -> { }, 0, TimeUnit.SECONDS).get();
                }
                String idle = s.getPoolSize() + "/" + s.getLargestPoolSize();
                ScheduledFuture<?> later = s.schedule(() -> { }, 1, TimeUnit.HOURS);
                String withDelayed = s.getQueue().size() + " " + s.getQueue().contains(later);
                s.shutdownNow();
                s.awaitTermination(WAIT, TimeUnit.SECONDS);
                return fresh + " " + idle + " " + withDelayed + " end " + s.getPoolSize() + "/" + s.getCompletedTaskCount()
                        + "/" + s.getLargestPoolSize(); // toString once terminated races in the JDK (pool size)
            });
            check("sched-prestart", () -> {
                ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(2);
                String r = s.prestartCoreThread() + " " + s.prestartAllCoreThreads() + " pool=" + s.getPoolSize();
                terminate(s);
                return r;
            });
            check("sched-reject-after-shutdown", () -> {
                ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1);
                s.shutdown();
                try {
                    s.schedule(() -> { }, 0, TimeUnit.SECONDS);
                    return "accepted";
                } catch (Exception e) {
                    return describe(e).replaceAll("rejected from \\S+@H", "rejected from POOL")
                            .replaceAll("Task \\S+@H", "Task TASK");
                }
            });
            check("single-scheduled", () -> {
                ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor();
                ScheduledFuture<?> delayed = s.schedule(() -> { }, 1, TimeUnit.HOURS);
                ScheduledFuture<?> periodic = s.scheduleAtFixedRate(() -> { }, 1, 1, TimeUnit.HOURS);
                ScheduledFuture<String> now = s.schedule(() -> "now", 0, TimeUnit.SECONDS);
                String o = outcome(now);
                s.shutdown();
                String mid = delayed.isCancelled() + " " + periodic.isCancelled() + " " + s.isTerminated();
                List<Runnable> never = s.shutdownNow();
                return o + " " + mid + " never=" + never.size() + " " + (never.size() == 1 && never.get(0) == delayed)
                        + " " + s.awaitTermination(WAIT, TimeUnit.SECONDS);
            });
        }

        static String periodic(boolean rate) throws Exception {
            ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1);
            CountDownLatch three = new CountDownLatch(3);
            AtomicInteger runs = new AtomicInteger();
            AtomicReference<ScheduledFuture<?>> self = new AtomicReference<>();
            CountDownLatch scheduled = new CountDownLatch(1);
            Runnable task = () -> {
                try {
                    scheduled.await();
                } catch (InterruptedException e) {
                    return;
                }
                if (runs.incrementAndGet() == 3) {
                    self.get().cancel(false);
                }
                three.countDown();
            };
            ScheduledFuture<?> f = rate ? s.scheduleAtFixedRate(task, 0, 1, TimeUnit.MILLISECONDS)
                    : s.scheduleWithFixedDelay(task, 0, 1, TimeUnit.MILLISECONDS);
            self.set(f);
            scheduled.countDown();
            await(three);
            String r = f.isCancelled() + " " + f.isDone() + " " + (f instanceof RunnableScheduledFuture<?> rsf && rsf.isPeriodic()) + " " + outcome(f);
            terminate(s);
            return r + " runs=" + runs + " completed=" + s.getCompletedTaskCount() + " queue=" + s.getQueue().size();
        }

        /** A decorated task, as libraries wrap theirs. */
        static final class Wrapped<V> implements RunnableScheduledFuture<V> {
            final RunnableScheduledFuture<V> inner;

            Wrapped(RunnableScheduledFuture<V> inner) {
                this.inner = inner;
            }

            @Override public boolean isPeriodic() { return inner.isPeriodic(); }
            @Override public long getDelay(TimeUnit unit) { return inner.getDelay(unit); }
            @Override public int compareTo(java.util.concurrent.Delayed o) {
                return inner.compareTo(o instanceof Wrapped<?> w ? w.inner : o);
            }
            @Override public void run() { inner.run(); }
            @Override public boolean cancel(boolean b) { return inner.cancel(b); }
            @Override public boolean isCancelled() { return inner.isCancelled(); }
            @Override public boolean isDone() { return inner.isDone(); }
            @Override public V get() throws InterruptedException, ExecutionException { return inner.get(); }
            @Override public V get(long t, TimeUnit u) throws InterruptedException, ExecutionException, TimeoutException {
                return inner.get(t, u);
            }
        }
    }
}
