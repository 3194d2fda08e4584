package dev.jwq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.management.Attribute;
import javax.management.AttributeNotFoundException;
import javax.management.MBeanServer;
import javax.management.MBeanServerDelegate;
import javax.management.MBeanServerNotification;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.Test;

/** The JMX export: workqueues, pools and the runtime as MXBeans; max_active writable on SYSFS workqueues. */
class JmxExportTest extends WorkqueueFixture {
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
                assertTrue(changed.await(WAIT_S, TimeUnit.SECONDS), name + (registered ? " never registered" : " never unregistered"));
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
        assertFalse(bothRunning.await(QUIET_MS, TimeUnit.MILLISECONDS), "max_active 1 holds the second item back");
        assertEquals(1, SERVER.getAttribute(name, "Inactive"));
        SERVER.setAttribute(name, new Attribute("MaxActive", 2));
        assertEquals(2, wq.maxActive());
        assertTrue(bothRunning.await(WAIT_S, TimeUnit.SECONDS), "raising max_active over JMX starts the waiting item");
        assertEquals(2, SERVER.getAttribute(name, "Active"));
        assertEquals("[UNBOUND, SYSFS]", SERVER.getAttribute(name, "Flags"));
        gate.countDown();
        wq.flush();
        assertEquals(2L, SERVER.getAttribute(name, "Completed"));
        wq.close();
        awaitRegistered(name, false);
    }

    @Test
    void withoutSysfsMaxActiveIsReadOnly() throws Exception {
        track(Workqueue.builder("jmx-plain").build());
        ObjectName name = new ObjectName("dev.jwq:type=Workqueue,name=" + ObjectName.quote("jmx-plain"));
        awaitRegistered(name, true);
        assertEquals(Workqueue.DEFAULT_ACTIVE, SERVER.getAttribute(name, "MaxActive"));
        assertThrows(AttributeNotFoundException.class, () -> SERVER.setAttribute(name, new Attribute("MaxActive", 3)));
    }

    @Test
    void equalNamesGetSuffixesAndPoolsAndRuntimeAreExported() throws Exception {
        track(Workqueue.builder("jmx-twin").build());
        track(Workqueue.builder("jmx-twin").build());
        awaitRegistered(new ObjectName("dev.jwq:type=Workqueue,name=" + ObjectName.quote("jmx-twin#2")), true);
        ObjectName pool0 = new ObjectName("dev.jwq:type=WorkerPool,id=0");
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
