/**
 * jwq: Linux's Concurrency Managed Workqueue for the JVM.
 *
 * <p>The public API is {@link dev.jwq.Workqueue}, {@link dev.jwq.Work},
 * {@link dev.jwq.DelayedWork}, {@link dev.jwq.WqFlag}, {@link dev.jwq.AffinityScope} and
 * {@link dev.jwq.Workqueues}; every other class of this package is the engine and is
 * package-private (the Caffeine layout: interface and engine share one package, the engine is
 * not public). {@code dev.jwq.timer} is internal: public only so that this package can use it.
 * There is no {@code module-info} yet: the jar plugin validates a module descriptor with the
 * JDK that runs Maven, and on a fresh machine that is JDK 17, which cannot read release-21
 * class files.
 *
 * <h2>Conventions of the engine</h2>
 * <ul>
 * <li>Field legends: each shared mutable field says who guards it, with the tags of its
 * class's legend (I: final after construction; L: the pool lock; M: the workqueue mutex;
 * F: the flush mutex; V: volatile or atomic, lock-free; X: owner thread writes, others read
 * racily; O: written only by the owner of a work item's PENDING bit). Methods documented
 * "L:" require the pool lock and assert it ({@code assert lock.isHeldByCurrentThread()}).</li>
 * <li>Lock order: workqueue mutex, then flush mutex, then pool locks, then the pool registry's
 * monitor. A work item's monitor (flush waiters) is a leaf.</li>
 * <li>Memory-mode prefixes on accessors, as in JCTools: {@code lp} load plain, {@code lv} load
 * volatile/acquire, {@code sp} store plain, {@code so} store ordered (release), {@code sv}
 * store volatile, {@code cas} compare-and-set.</li>
 * </ul>
 */
package dev.jwq;
