package dev.jwq;

import dev.jwq.jmx.JwqRuntimeMXBean;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;

/** The runtime's MXBean ({@link JmxExport}). */
final class RuntimeBean implements JwqRuntimeMXBean {
    @Override
    public Map<String, String> getSettings() {
        Map<String, String> out = new LinkedHashMap<>();
        Settings s = Settings.CURRENT;
        try {
            for (RecordComponent c : Settings.class.getRecordComponents()) {
                out.put(c.getName(), String.valueOf(c.getAccessor().invoke(s)));
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        return out;
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
