package dev.jwq;

import java.util.function.Function;

/**
 * The kinds of workqueue a semantic test runs over (a {@code @WorkqueueSpec}-style matrix):
 * use {@code @ParameterizedTest @EnumSource(WorkqueueKind.class)} and {@link #create(String)}.
 */
enum WorkqueueKind {
    PERCPU(n -> Workqueue.builder(n).flags(WqFlag.PERCPU)),
    UNBOUND(n -> Workqueue.builder(n)),
    ORDERED(n -> Workqueue.builder(n).ordered()),
    HIGHPRI(n -> Workqueue.builder(n).flags(WqFlag.PERCPU, WqFlag.HIGHPRI)),
    MAX_ACTIVE_1(n -> Workqueue.builder(n).flags(WqFlag.PERCPU).maxActive(1)),
    MAX_ACTIVE_N(n -> Workqueue.builder(n).flags(WqFlag.UNBOUND).maxActive(4)),
    /** Unbound with one pool per CPU (affinity scope CPU, strict): max_active 4 counted across the pods. */
    UNBOUND_PODS(n -> Workqueue.builder(n).flags(WqFlag.UNBOUND).affinityScope(AffinityScope.CPU, true).maxActive(4));

    private final Function<String, Workqueue.Builder> builder;

    WorkqueueKind(Function<String, Workqueue.Builder> builder) {
        this.builder = builder;
    }

    Workqueue create(String name) {
        return builder.apply(name + "-" + name().toLowerCase()).build();
    }

    /** Items of one workqueue may run concurrently (on one CPU's pool or across the process). */
    boolean allowsConcurrency() {
        return this != ORDERED && this != MAX_ACTIVE_1;
    }
}
