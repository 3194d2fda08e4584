package jwq.app;

import dev.jwq.Work;
import dev.jwq.Workqueue;
import dev.jwq.WqFlag;
import java.lang.invoke.MethodHandles;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * Uses jwq from a named module and prints what it saw, one {@code key value} line each, for
 * {@code ModulePathIT} to judge: where jwq's classes live, which of its packages this module
 * may use, what its items ran on, what its MXBeans say and which of its events were recorded.
 */
public final class Main {
    private static final int ITEMS = 8;

    private Main() {}

    public static void main(String[] args) throws Exception {
        Module jwq = Workqueue.class.getModule();
        System.out.println("module " + jwq.getName());
        // The FFM class exists only under META-INF/versions/22 of the multi-release jar.
        System.out.println("linuxcpu " + Class.forName("dev.jwq.cpu.LinuxCpu").getModule().getName());
        for (String c : List.of("dev.jwq.Workqueue", "dev.jwq.spi.SettingsCheck", "dev.jwq.cpu.CpuLists",
                "dev.jwq.timer.Timer", "dev.jwq.jfr.EventNames", "dev.jwq.jmx.JwqRuntimeMXBean")) {
            System.out.println("access " + c + " " + access(Class.forName(c)));
        }

        Path jfr = Files.createTempFile("jwq-app", ".jfr");
        try (Recording rec = new Recording()) {
            rec.enable("dev.jwq.WorkQueued");
            rec.enable("dev.jwq.WorkExecution").withThreshold(Duration.ZERO).with("sampleOneIn", "1");
            rec.start();
            try (Workqueue percpu = Workqueue.builder("app-percpu").flags(WqFlag.PERCPU).build();
                    Workqueue unbound = Workqueue.builder("app-unbound").build()) {
                for (Workqueue wq : List.of(percpu, unbound)) {
                    for (int i = 0; i < ITEMS; i++) {
                        Work w = new Work(() -> System.out.println("item " + wq.name() + " "
                                + Thread.currentThread().isVirtual() + " " + allowedCpus()));
                        wq.queue(w);
                        w.flush();
                    }
                }
                jmx();
            }
            rec.stop();
            rec.dump(jfr);
        }
        Map<String, Integer> events = new TreeMap<>();
        Set<String> functions = new TreeSet<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            String type = e.getEventType().getName();
            if (type.startsWith("dev.jwq.")) {
                events.merge(type, 1, Integer::sum);
            }
            if (type.equals("dev.jwq.WorkExecution")) {
                functions.add(e.getString("function"));
            }
        }
        Files.delete(jfr);
        events.forEach((type, n) -> System.out.println("event " + type + " " + n));
        functions.forEach(f -> System.out.println("function " + f));
        System.out.println("done");
    }

    /** Whether this module may use {@code c}: its package exported to us, the class public. */
    private static String access(Class<?> c) {
        try {
            MethodHandles.lookup().accessClass(c);
            return "ok";
        } catch (IllegalAccessException e) {
            return "refused";
        }
    }

    /** The runtime's and one workqueue's MXBean, read by attribute name as any JMX client does. */
    private static void jmx() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName runtime = new ObjectName("dev.jwq:type=Runtime");
        ObjectName wq = new ObjectName("dev.jwq:type=Workqueue,name=" + ObjectName.quote("app-percpu"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        // Registration is asynchronous (jwq's jwq/jmx thread).
        while (!(server.isRegistered(runtime) && server.isRegistered(wq)) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        System.out.println("mxbean-workers " + server.getAttribute(runtime, "Workers"));
        System.out.println("mxbean-flags " + server.getAttribute(wq, "Flags"));
    }

    /** The CPUs the calling thread (for a virtual thread, its carrier) may run on, or "?" off Linux. */
    private static String allowedCpus() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/thread-self/status"))) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return "?";
    }
}
