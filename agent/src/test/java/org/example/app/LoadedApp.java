package org.example.app;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Application code loaded by {@link ChildFirstMain}'s child-first loader. Creates executors with
 * its own loader as the context class loader, as a web application's code runs, and reports the
 * thread and context class loader its tasks see.
 */
public final class LoadedApp implements Callable<String> {
    @Override
    public String call() throws Exception {
        ClassLoader mine = LoadedApp.class.getClassLoader();
        Thread.currentThread().setContextClassLoader(mine);
        ExecutorService fixed = Executors.newFixedThreadPool(2);
        ThreadPoolExecutor tpe = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        Thread.currentThread().setContextClassLoader(ClassLoader.getSystemClassLoader());
        Callable<String> probe = () -> Thread.currentThread().getName().replaceAll(":\\d+$", "") + ","
                + (Thread.currentThread().getContextClassLoader() == mine);
        String out = fixed.submit(probe).get(30, TimeUnit.SECONDS) + ";" + tpe.submit(probe).get(30, TimeUnit.SECONDS)
                + ";" + fixed.getClass().getSimpleName();
        fixed.shutdown();
        tpe.shutdown();
        return out;
    }
}
