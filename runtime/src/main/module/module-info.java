/**
 * jwq's runtime as the named module {@code dev.jwq}, when its jar is on the module path (on the
 * class path, and under the agent, this descriptor is ignored). The API is {@code dev.jwq};
 * {@code dev.jwq.spi} is for the jwq agent and blocking reporters; {@code dev.jwq.jmx} holds the
 * MXBean interfaces. The CPU calls, the timer wheel and the JFR events stay inside: JFR opens an
 * event's package to itself when it registers the event, so events need no export.
 *
 * <p>Compiled with release 17 (see runtime/pom.xml); at run time the module needs
 * {@code --enable-native-access=dev.jwq} and {@code --add-opens java.base/java.lang=dev.jwq} as
 * the class path needs them for {@code ALL-UNNAMED}.
 */
module dev.jwq {
    requires com.github.benmanes.caffeine; // FunctionNames' and CpuHogReport's caches
    requires java.management;              // ThreadMXBean (CPU clock, carrier watch), the MXBeans
    requires jdk.jfr;                      // the events in dev.jwq.jfr

    exports dev.jwq;
    exports dev.jwq.spi;
    // Not to java.management alone: the platform MBean server calls an MXBean's interface by
    // reflection from a class of its own in an unnamed module (sun.reflect.misc.Trampoline),
    // which a qualified export refuses at the first getAttribute. JMX clients use them too.
    exports dev.jwq.jmx;
}
