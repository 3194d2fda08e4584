package org.example.app;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Executors made as libraries make them since Spring 6.1, Reactor and httpcore5: anonymous and
 * named subclasses of ThreadPoolExecutor and ScheduledThreadPoolExecutor with overridden hooks,
 * and executors whose ThreadFactory makes threads of a class of its own. For each it prints the
 * thread its task ran on, the thread's class and the hooks called, in the order called.
 */
public final class Subclasses {
    static final List<String> HOOKS = Collections.synchronizedList(new ArrayList<>());

    /** How a library marks its threads (RxJava's NonBlockingThread, Netty's FastThreadLocalThread). */
    static final class MarkedThread extends Thread {
        MarkedThread(Runnable r) {
            super(r, "marked-" + r.hashCode());
        }
    }

    static final class NamedPool extends ThreadPoolExecutor {
        NamedPool() {
            super(2, 2, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> new Thread(r, "named-pool-1"));
        }

        @Override
        protected void beforeExecute(Thread t, Runnable r) {
            HOOKS.add("named before");
        }

        @Override
        protected void afterExecute(Runnable r, Throwable t) {
            HOOKS.add("named after");
        }

        @Override
        protected void terminated() {
            HOOKS.add("named terminated");
        }
    }

    static final class NamedScheduler extends ScheduledThreadPoolExecutor {
        NamedScheduler() {
            super(1);
        }

        @Override
        protected <V> RunnableScheduledFuture<V> decorateTask(Callable<V> c, RunnableScheduledFuture<V> task) {
            HOOKS.add("scheduler decorate");
            return task;
        }

        @Override
        protected void afterExecute(Runnable r, Throwable t) {
            HOOKS.add("scheduler after");
        }
    }

    /** A subclass whose threads mean something: it must keep them. */
    static final class MarkedPool extends ThreadPoolExecutor {
        MarkedPool() {
            super(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), MarkedThread::new);
        }
    }

    public static void main(String[] args) throws Exception {
        ThreadPoolExecutor anonymous = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>()) {
            @Override
            protected void beforeExecute(Thread t, Runnable r) {
                HOOKS.add("anonymous before " + (t == Thread.currentThread()));
            }

            @Override
            public void execute(Runnable command) {
                HOOKS.add("anonymous execute");
                super.execute(command);
            }
        };
        report("anonymous", anonymous);
        report("named", new NamedPool());
        ScheduledThreadPoolExecutor anonymousScheduler = new ScheduledThreadPoolExecutor(1) {
            @Override
            protected void beforeExecute(Thread t, Runnable r) {
                HOOKS.add("anonymous-scheduler before");
            }
        };
        System.out.println("anonymous-scheduler " + ran(anonymousScheduler.schedule(Subclasses::where, 1, TimeUnit.MILLISECONDS).get()));
        finish(anonymousScheduler);
        NamedScheduler scheduler = new NamedScheduler();
        System.out.println("scheduler " + ran(scheduler.schedule(Subclasses::where, 1, TimeUnit.MILLISECONDS).get()));
        finish(scheduler);
        report("marked-pool", new MarkedPool());
        report("marked-single", Executors.newSingleThreadExecutor(MarkedThread::new));
        System.out.println("hooks " + HOOKS);
    }

    private static Thread where() {
        return Thread.currentThread();
    }

    private static String ran(Thread t) {
        return (t.getName().matches("(.+@)?jwq/.*") ? "jwq" : t.getName().replaceAll("-\\d+$", "")) + " " + t.getClass().getName();
    }

    private static void report(String what, ExecutorService e) throws Exception {
        System.out.println(what + " " + ran(e.submit(Subclasses::where).get()));
        finish(e);
    }

    private static void finish(ExecutorService e) throws InterruptedException {
        e.shutdown();
        if (!e.awaitTermination(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("did not terminate: " + e);
        }
    }
}
