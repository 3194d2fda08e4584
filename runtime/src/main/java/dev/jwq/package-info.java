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
 *
 * Field updaters. The engine's atomic fields are reached through AtomicXxxFieldUpdater, not
 * VarHandles (the JDK's own hot concurrency classes use Unsafe for the same reason): before C2
 * compiles a method, a VarHandle access goes through several frames of guards and casts that an
 * updater does not have. Measured on JDK 25 (2026-12-06), a getAcquire, a compareAndSet and a
 * setRelease cost 885-1029 ns interpreted against 473-590 for the updaters' get, compareAndSet
 * and lazySet, 76 against 41 ns in C1's profiled tier, and the same once C2 has them; a jwq
 * pool's first 200,000 tasks ran in the interpreter at 8.4-10.4 us a task against 2.7-2.9 for
 * a ThreadPoolExecutor, a quarter of it in VarHandle frames, and VarHandle guards were about
 * 40% of the bytecodes C2 inlined into the engine's hottest methods. Updaters have fewer modes:
 * an acquire load is a volatile one (the same instruction on x86 and AArch64), a release store
 * is lazySet, and so is a plain store of an updater's field (volatile, so a plain assignment
 * would be a full fence). Array slots (Pools, PwqRouting) keep array VarHandles: there
 * is no updater for array elements, and AtomicReferenceArray is built on a VarHandle itself.
 */
