package dev.jwq;

/**
 * What a {@link CarriedWorker} needs from the group it belongs to: a place in a run queue for
 * a runnable worker, and the listener's calls. {@link CarrierGroup} is the one implementation;
 * the state machine's Lincheck test puts a recording one in its place.
 */
interface CarriedWorkerHost {
    /** Queues {@code w} (state QUEUED) on a carrier and makes sure it will be run. */
    void submit(CarriedWorker<?> w);

    /** {@link CarrierListener#sleeping}, guarded: never throws. */
    void sleeping(CarriedWorker<?> w);

    /** {@link CarrierListener#running}, guarded: never throws. */
    void running(CarriedWorker<?> w);

    /** {@link CarrierListener#terminated}, guarded: never throws. */
    void terminated(CarriedWorker<?> w);
}
