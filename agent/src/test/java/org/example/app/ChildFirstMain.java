package org.example.app;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.concurrent.Callable;

/**
 * A servlet container in miniature: a child-first class loader loads the application class
 * {@link LoadedApp} itself (not from its parent), and that class creates executors.
 */
public final class ChildFirstMain {
    /** Loads org.example.app.Loaded* from its own URLs before asking its parent. */
    static final class ChildFirstLoader extends URLClassLoader {
        ChildFirstLoader(URL[] urls, ClassLoader parent) {
            super("child-first", urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null && name.startsWith("org.example.app.Loaded")) {
                    c = findClass(name);
                }
                if (c == null) {
                    return super.loadClass(name, resolve);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }

    public static void main(String[] args) throws Exception {
        URL classes = ChildFirstMain.class.getProtectionDomain().getCodeSource().getLocation();
        try (ChildFirstLoader loader = new ChildFirstLoader(new URL[] {classes}, ChildFirstMain.class.getClassLoader())) {
            Class<?> app = loader.loadClass("org.example.app.LoadedApp");
            System.out.println("loader " + app.getClassLoader().getName());
            @SuppressWarnings("unchecked")
            Callable<String> call = (Callable<String>) app.getDeclaredConstructor().newInstance();
            System.out.println("result " + call.call());
        }
    }
}
