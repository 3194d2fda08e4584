package dev.jwq.jmc;

import static org.openjdk.jmc.common.item.Attribute.attr;
import static org.openjdk.jmc.common.unit.UnitLookup.NUMBER;
import static org.openjdk.jmc.common.unit.UnitLookup.PLAIN_TEXT;
import static org.openjdk.jmc.common.unit.UnitLookup.THREAD;
import static org.openjdk.jmc.common.unit.UnitLookup.TIMESPAN;

import dev.jwq.jfr.EventNames;
import org.openjdk.jmc.common.IMCThread;
import org.openjdk.jmc.common.item.IAttribute;
import org.openjdk.jmc.common.unit.IQuantity;

/** The fields of jwq's events (and of {@code jdk.ThreadStart}) as JMC attributes. */
final class JwqAttributes {
    private JwqAttributes() {
    }

    /** The rules' topic: they show together on Mission Control's Automated Analysis page. */
    static final String TOPIC = "jwq";

    static final IAttribute<String> WORKQUEUE = attr(EventNames.F_WORKQUEUE, "Workqueue", PLAIN_TEXT);
    static final IAttribute<String> FUNCTION = attr(EventNames.F_FUNCTION, "Function", PLAIN_TEXT);
    static final IAttribute<IQuantity> POOL = attr(EventNames.F_POOL, "Pool", NUMBER);
    static final IAttribute<IQuantity> CPU = attr(EventNames.F_CPU, "CPU", NUMBER);
    static final IAttribute<IQuantity> QUEUE_LATENCY = attr(EventNames.F_QUEUE_LATENCY, "Queue Latency", TIMESPAN);
    static final IAttribute<IQuantity> STALLED_FOR = attr(EventNames.F_STALLED_FOR, "Stalled For", TIMESPAN);
    static final IAttribute<IQuantity> PENDING = attr(EventNames.F_PENDING, "Pending", NUMBER);
    static final IAttribute<IQuantity> RESCUED = attr(EventNames.F_RESCUED, "Items Rescued", NUMBER);
    /** {@code jdk.ThreadStart}'s started thread. */
    static final IAttribute<IMCThread> STARTED_THREAD = attr("thread", "Thread", THREAD);
}
