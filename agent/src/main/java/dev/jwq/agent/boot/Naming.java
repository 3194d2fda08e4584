package dev.jwq.agent.boot;

import java.util.concurrent.ThreadFactory;

/** Names the workqueue of a rewritten executor after its ThreadFactory's threads, or its call site. */
final class Naming {
    /** The JDK's default factory names threads pool-N-thread-M, which says nothing: use the site. */
    private static final String DEFAULT_FACTORY = "java.util.concurrent.Executors$DefaultThreadFactory";

    private Naming() {}

    /**
     * The name of the factory's threads without their trailing counter ("okhttp-worker-3" ->
     * "okhttp-worker"), or {@code site} when there is no factory, it is the JDK's default one, or
     * it gives no usable name. One probe thread is created and never started.
     */
    static String of(ThreadFactory factory, String site) {
        if (factory == null || factory.getClass().getName().equals(DEFAULT_FACTORY)) {
            return site;
        }
        try {
            Thread probe = factory.newThread(() -> { });
            if (probe == null) {
                return site;
            }
            String base = probe.getName().replaceAll("[-_ #]?\\d+$", "");
            return base.isBlank() || base.startsWith("Thread") ? site : base;
        } catch (RuntimeException e) {
            return site; // the factory refuses now; it is not ours to judge here
        }
    }

    /** "com.acme.Foo.start:42" -> "Foo.start:42", short enough for a workqueue name. */
    static String shortSite(String site) {
        int colon = site.lastIndexOf(':');
        int methodDot = site.lastIndexOf('.', colon < 0 ? site.length() : colon);
        int classDot = methodDot <= 0 ? -1 : site.lastIndexOf('.', methodDot - 1);
        return classDot < 0 ? site : site.substring(classDot + 1);
    }
}
