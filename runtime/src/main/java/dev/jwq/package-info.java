/**
 * jwq: Linux's Concurrency Managed Workqueue for the JVM.
 *
 * <p>The public API is {@link dev.jwq.Workqueue}, {@link dev.jwq.Work},
 * {@link dev.jwq.DelayedWork}, {@link dev.jwq.WqFlag}, {@link dev.jwq.AffinityScope},
 * {@link dev.jwq.UnboundAttributes} and {@link dev.jwq.Workqueues}; every other class of this
 * package is the engine and is package-private (the Caffeine layout: interface and engine share
 * one package, the engine is not public).
 */
package dev.jwq;

/*
 * Conventions of the engine (an implementation comment: nothing here is API).
 *
 * One legend for the whole package. Each shared mutable field carries the tag of what guards
 * it; a class's own legend line only says which tags it uses, and what L or X mean for it when
 * that needs saying:
 *
 *   I  final after construction (or written once before the object is shared)
 *   L  the pool lock (WorkerPool.lock) of the pool the object belongs to; for a work item, the
 *      pool it is queued or running on. Methods documented "L:" require it and assert it
 *      (assert pool.isLocked()).
 *   W  the workqueue's mutex (Workqueue.mutex)
 *   F  the flush mutex (WorkqueueFlusher.lock)
 *   P  the pool registry's monitor (Pools)
 *   Z  the freeze lock (WorkqueueRegistry.FREEZE_LOCK)
 *   Q  a rescuer's mayday monitor (wq_mayday_lock)
 *   C  a pwq's consumer's turn of its pending queue (PendingFifo, an AQS lock)
 *   J  JmxExport's monitor: whether creations are exported yet
 *   V  volatile, atomic or VarHandle access, lock-free; the access mode is named at the use
 *   X  confined to one thread: written and read by it (a worker for its own fields, the jmx
 *      thread for its bookkeeping: the field says which); another thread's read is racy and the
 *      read says why that is benign
 *   D  written by a carrier's draining thread only
 *   O  written only by the owner of a work item's PENDING bit
 *   M  confined to the monitor thread (jwq/monitor)
 *   T  confined to the timer thread (jwq/timer), the carrier watch included
 *   H  a hint read racily: a stale value costs a wake-up, a look or another choice, never
 *      correctness; the read says why
 *
 * A field may carry two tags: "L, H" is written under the pool lock and read racily as a hint.
 *
 * Lock order: Z, then W, then F, then pool locks (one at a time; UnboundActive only tries a
 * second one), then P (no pool lock is taken while holding P). Q, C, J and the striped monitors
 * of flush waiters are leaves. Carriers, hooks and the sampler never wait for a pool lock: they
 * change worker state by CAS and ask for a kick (WorkerPool.requestKick). Nor does the timer
 * thread, which runs the carrier watch: its callbacks try a pool lock (and a workqueue mutex,
 * whose holders wait for pool locks: PwqSet's releaser) and, when it is busy, come back a tick
 * later (WorkerPool.BUSY_RETRY_NANOS) or, if periodic, skip the pool that period; a delayed
 * item whose pwq queues under the lock is left to the lock's holder (WorkerPool.insertFromTimer).
 * Still taken with lock() there, on rare paths: a timer's item refused after a flush moved its
 * color (PoolWorkqueue.uncountRefused), and a workqueue's termination dropping its last pool.
 *
 * Memory-mode prefixes on accessors, as in JCTools: lp load plain, lv load volatile/acquire,
 * sp store plain, so store ordered (release), sv store volatile, cas compare-and-set.
 */
