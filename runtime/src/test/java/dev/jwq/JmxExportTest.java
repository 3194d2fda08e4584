package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jwq.cpu.CpuLists;
import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.management.Attribute;
import javax.management.AttributeNotFoundException;
import javax.management.MBeanServer;
import javax.management.MBeanServerDelegate;
import javax.management.MBeanServerNotification;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.Test;

/** The JMX export: workqueues, pools and the runtime as MXBeans; max_active writable on SYSFS workqueues. */
class JmxExportTest extends WorkqueueFixture {
    /** Made here if nothing in this JVM made it: jwq (jwq.jmx=auto) registers once it exists. */
    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

    /**
     * Waits for the asynchronous export to (un)register {@code name}: a listener on the MBean
     * server delegate's registration notifications opens a latch; the state is checked after the
     * listener is added, so a registration that came first is not missed.
     */
    private static void awaitRegistered(ObjectName name, boolean registered) throws Exception {
        CountDownLatch changed = new CountDownLatch(1);
        String type = registered ? MBeanServerNotification.REGISTRATION_NOTIFICATION
                : MBeanServerNotification.UNREGISTRATION_NOTIFICATION;
        NotificationListener listener = (n, handback) -> {
            if (n instanceof MBeanServerNotification m && m.getType().equals(type) && m.getMBeanName().equals(name)) {
                changed.countDown();
            }
        };
        SERVER.addNotificationListener(MBeanServerDelegate.DELEGATE_NAME, listener, null, null);
        try {
            if (SERVER.isRegistered(name) != registered) {
                assertTrue(changed.await(MUST_HAPPEN_S, TimeUnit.SECONDS), name + (registered ? " never registered" : " never unregistered"));
            }
        } finally {
            SERVER.removeNotificationListener(MBeanServerDelegate.DELEGATE_NAME, listener);
        }
    }


    @Test
    void writingMaxActiveOfASysfsWorkqueueChangesTheRunningLimit() throws Exception {
        Workqueue wq = track(Workqueue.builder("jmx-sysfs").flags(WqFlag.SYSFS, WqFlag.UNBOUND).maxActive(1).build());
        ObjectName name = new ObjectName("dev.jwq:type=Workqueue,name=" + ObjectName.quote("jmx-sysfs"));
        awaitRegistered(name, true);
        CountDownLatch gate = gate();
        CountDownLatch bothRunning = new CountDownLatch(2);
        for (int i = 0; i < 2; i++) {
            wq.execute(() -> {
                bothRunning.countDown();
                block(gate, "jmx item");
            });
        }
        assertNotWithin(bothRunning, "max_active 1 holds the second item back");
        assertEquals(1, SERVER.getAttribute(name, "Inactive"));
        SERVER.setAttribute(name, new Attribute("MaxActive", 2));
        assertEquals(2, wq.maxActive());
        assertTrue(bothRunning.await(MUST_HAPPEN_S, TimeUnit.SECONDS), "raising max_active over JMX starts the waiting item");
        assertEquals(2, SERVER.getAttribute(name, "Active"));
        assertEquals("[UNBOUND, SYSFS]", SERVER.getAttribute(name, "Flags"));
        gate.countDown();
        wq.flush();
        assertEquals(2L, SERVER.getAttribute(name, "Completed"));
        wq.close();
        awaitRegistered(name, false);
    }

    /**
     * An unbound SYSFS workqueue's attributes written over JMX: each write is an
     * applyAttributes, so the next item runs in a pool of the new attributes; bad values are
     * refused with the problem named.
     */
    @Test
    void writingTheAttributesOfAnUnboundSysfsWorkqueueChangesWhereItsItemsRun() throws Exception {
        Workqueue wq = track(Workqueue.builder("jmx-attrs").flags(WqFlag.SYSFS, WqFlag.UNBOUND).build());
        ObjectName name = new ObjectName("dev.jwq:type=Workqueue,name=" + ObjectName.quote("jmx-attrs"));
        awaitRegistered(name, true);
        assertEquals(CpuLists.format(Cpus.usableSet()), SERVER.getAttribute(name, "Cpus"));
        assertEquals(false, SERVER.getAttribute(name, "HighPriority"));

        SERVER.setAttribute(name, new Attribute("HighPriority", true));
        CompletableFuture<Boolean> ranHighPri = new CompletableFuture<>();
        wq.execute(() -> ranHighPri.complete(Worker.current().pool.highPri));
        assertTrue(ranHighPri.get(MUST_HAPPEN_S, TimeUnit.SECONDS), "the next item runs in a high-priority pool");
        SERVER.setAttribute(name, new Attribute("AffinityScope", "CPU"));
        assertEquals("cpu", SERVER.getAttribute(name, "AffinityScope"));
        SERVER.setAttribute(name, new Attribute("AffinityStrict", true));
        assertTrue(wq.unboundAttributes().strict());
        int cpu = Cpus.cpuAt(0);
        SERVER.setAttribute(name, new Attribute("Cpus", String.valueOf(cpu)));
        assertEquals(String.valueOf(cpu), SERVER.getAttribute(name, "Cpus"));
        assertEquals(new UnboundAttributes(true, Set.of(cpu), AffinityScope.CPU, true), wq.unboundAttributes());

        assertRefused(name, new Attribute("Cpus", "3-1"), "not a CPU list");
        assertRefused(name, new Attribute("Cpus", ""), "cpus is empty");
        assertRefused(name, new Attribute("AffinityScope", "tiny"), "not an affinity scope");
        Workqueue percpu = track(Workqueue.builder("jmx-attrs-percpu").flags(WqFlag.PERCPU, WqFlag.SYSFS).build());
        ObjectName percpuName = new ObjectName("dev.jwq:type=Workqueue,name=" + ObjectName.quote("jmx-attrs-percpu"));
        awaitRegistered(percpuName, true);
        assertEquals("", SERVER.getAttribute(percpuName, "Cpus"));
        assertRefused(percpuName, new Attribute("AffinityStrict", true), "is per-CPU");
        assertEquals(new UnboundAttributes(true, Set.of(cpu), AffinityScope.CPU, true), wq.unboundAttributes(),
                "refused writes change nothing");
    }

    /** A write refused by the workqueue: the MBean server hands the exception back, with its message. */
    private static void assertRefused(ObjectName name, Attribute attribute, String problem) {
        RuntimeMBeanException e = assertThrows(RuntimeMBeanException.class, () -> SERVER.setAttribute(name, attribute));
        assertTrue(String.valueOf(e.getCause().getMessage()).contains(problem),
                attribute.getName() + "=" + attribute.getValue() + ": " + e.getCause());
    }

    @Test
    void withoutSysfsMaxActiveIsReadOnly() throws Exception {
        track(Workqueue.builder("jmx-plain").build());
        ObjectName name = new ObjectName("dev.jwq:type=Workqueue,name=" + ObjectName.quote("jmx-plain"));
        awaitRegistered(name, true);
        assertEquals(Workqueue.DEFAULT_ACTIVE, SERVER.getAttribute(name, "MaxActive"));
        assertThrows(AttributeNotFoundException.class, () -> SERVER.setAttribute(name, new Attribute("MaxActive", 3)));
        assertThrows(AttributeNotFoundException.class, () -> SERVER.setAttribute(name, new Attribute("AffinityStrict", true)));
    }

    @Test
    void equalNamesGetSuffixesAndPoolsAndRuntimeAreExported() throws Exception {
        track(Workqueue.builder("jmx-twin").build());
        track(Workqueue.builder("jmx-twin").build());
        awaitRegistered(new ObjectName("dev.jwq:type=Workqueue,name=" + ObjectName.quote("jmx-twin#2")), true);
        ObjectName pool0 = new ObjectName("dev.jwq:type=WorkerPool,id=0");
        Pools.bound(0, false); // bound pools are made, and exported, when first used
        awaitRegistered(pool0, true);
        assertEquals(Cpus.cpuAt(0), SERVER.getAttribute(pool0, "Cpu"));
        ObjectName runtime = new ObjectName("dev.jwq:type=Runtime");
        awaitRegistered(runtime, true);
        String dump = (String) SERVER.invoke(runtime, "dump", null, null);
        for (String section : new String[] {"Affinity Scopes", "Worker Pools", "Workqueue CPU -> pool", "Workqueue -> rescuer",
                "Unbound workqueue -> max_active", "jmx-twin"}) {
            assertTrue(dump.contains(section), "dump has " + section + ":\n" + dump);
        }
        TabularData settings = (TabularData) SERVER.getAttribute(runtime, "Settings");
        boolean found = false;
        for (Object row : settings.values()) {
            CompositeData cd = (CompositeData) row;
            if (cd.get("key").equals("jwq.idleTimeout")) {
                found = cd.get("value").equals(Settings.format(Settings.CURRENT.idleTimeoutNanos()));
            }
        }
        assertTrue(found, "settings carry the idle timeout");
        assertFalse((Boolean) SERVER.getAttribute(runtime, "FreezeBusy"));
    }
}
