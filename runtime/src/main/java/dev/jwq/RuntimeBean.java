package dev.jwq;

import dev.jwq.jmx.JwqRuntimeMXBean;
import java.util.Map;

/** The runtime's MXBean ({@link JmxExport}). */
final class RuntimeBean implements JwqRuntimeMXBean {
    @Override
    public Map<String, String> getSettings() {
        return Settings.CURRENT.asProperties();
    }

    @Override
    public String getWorkers() {
        return WorkerModel.describe();
    }

    @Override
    public String getTopology() {
        return "usable CPUs " + Cpus.describe() + "\n" + Cpus.topology().describe();
    }

    @Override
    public String dump() {
        return RuntimeDump.dump();
    }

    @Override
    public void freeze() {
        Workqueues.freeze();
    }

    @Override
    public void thaw() {
        Workqueues.thaw();
    }

    @Override
    public boolean isFreezeBusy() {
        return Workqueues.freezeBusy();
    }
}
