package dev.jwq.agent.boot;

/** Names the workqueue of a rewritten executor after its ThreadFactory's threads, or its call site. */
final class Naming {
    private Naming() {}

    /** The factory's thread name without its counter, or the short call site when it says nothing. */
    static String of(FactoryProbe probe, String site) {
        return probe.baseName() != null ? probe.baseName() : shortSite(site);
    }

    /** "com.acme.Foo.start:42" -> "Foo.start:42", short enough for a workqueue name. */
    static String shortSite(String site) {
        int colon = site.lastIndexOf(':');
        int methodDot = site.lastIndexOf('.', colon < 0 ? site.length() : colon);
        int classDot = methodDot <= 0 ? -1 : site.lastIndexOf('.', methodDot - 1);
        return classDot < 0 ? site : site.substring(classDot + 1);
    }

    /**
     * The class name an executor's toString shows: the JDK class's where the application made
     * the JDK class itself (the agent made {@code jwqClass} instead), else the application's subclass.
     */
    static String className(Class<?> made, Class<?> jwqClass, Class<?> jdkClass) {
        return (made == jwqClass ? jdkClass : made).getName();
    }

    /**
     * What the application called, for the report: {@code fallback} for the JDK's own classes,
     * or the subclass the agent made extend jwq's ({@code new com.acme.Pool (extends ThreadPoolExecutor)}).
     */
    static String origin(Class<?> made, Class<?> jwqClass, String jdkName, String fallback) {
        return made == jwqClass ? fallback : "new " + made.getName() + " (extends " + jdkName + ")";
    }
}
