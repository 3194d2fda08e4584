package dev.jwq;

/**
 * What the carriers tell the engine about its virtual workers: the JVM's
 * {@code wq_worker_sleeping} and {@code wq_worker_running}. A {@link CarrierGroup} calls it;
 * {@code W} is whatever the engine uses for a worker.
 *
 * <p>For one worker the calls strictly alternate, {@code sleeping}, {@code running},
 * {@code sleeping}, ..., never two at once and never out of order, however the unpark races
 * the carrier ({@link CarriedWorker} has the state machine). A worker that is runnable but
 * waits in a run queue for its carrier counts as running, as a task waiting for its CPU does in
 * Linux: a continuation that returns and is submitted again before the carrier looks
 * ({@code Thread.yield}, an unpark that raced the park) causes no call at all, and a worker's
 * first start causes none either (it has never been reported sleeping).
 *
 * <p>Every call must be cheap and must never wait for a lock that a virtual thread may wait
 * for or hold. {@code sleeping} runs on the carrier, which runs nothing else meanwhile, and a
 * worker submitted during that call is queued only after it returns. A {@code
 * java.util.concurrent} lock queues its waiters and hands itself to the first one: if that is a
 * virtual worker of this carrier (the one being reported, say, parked on the same lock), the
 * carrier waits for a worker that waits for the carrier, forever. The pattern that works (the
 * test {@code CarrierConcurrencyManagementTest.MiniPool} uses it): queue the call as an event
 * in a lock-free queue and apply it under the pool lock taken with {@code tryLock}, now or by
 * the holder, which applies queued events after every unlock. {@code running} may also be
 * called from inside {@code LockSupport.unpark}, i.e. from any code that unparks a worker,
 * the engine's own included while it holds its lock.
 */
interface CarrierListener<W> {
    /**
     * {@code worker}'s continuation returned to its carrier and the worker is not runnable: it
     * parked, sleeps, waits on a monitor or in {@code Object.wait}, or blocks on a socket. Also
     * called for an idle worker that parks waiting for work: the engine tells the two apart.
     * Called on the carrier thread.
     */
    void sleeping(W worker);

    /**
     * {@code worker}, last reported {@link #sleeping}, has been made runnable again (its
     * continuation submitted). Called on the submitting thread (the unparker, the JDK's
     * timer or unblocker thread, a socket poller), or on the carrier when the submission raced
     * the {@code sleeping} call, right after that call returns; always before the worker can
     * run again.
     */
    void running(W worker);

    /**
     * {@code worker}'s thread has ended; no call for it follows. Called on the carrier thread.
     */
    default void terminated(W worker) {}
}
