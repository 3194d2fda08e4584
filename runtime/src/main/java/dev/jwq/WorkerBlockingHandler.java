package dev.jwq;

import dev.jwq.spi.WorkerBlocking;

/**
 * The runtime's side of {@link WorkerBlocking}: blocking reported by the agent's hooks reaches
 * the calling worker's pool as {@link BlockingSource#HOOK}. Nesting is handled by the worker: a
 * call made while it already counts as sleeping returns false, so only the outermost blocking
 * call of an item reports the end of it.
 */
final class WorkerBlockingHandler implements WorkerBlocking.Handler {
    private static final System.Logger LOG = Log.LOG;

    private WorkerBlockingHandler() {}

    /**
     * Installs the handler, and with platform workers asks for the agent's hooks (virtual
     * workers learn of blocking from their carriers); called once, when the pools are created.
     */
    static void install() {
        try {
            WorkerBlocking.install(new WorkerBlockingHandler());
        } catch (IllegalStateException e) {
            // Another copy of the runtime in this process got there first: its workers are
            // served by it, ours fall back on the sampler and explicit calls.
            LOG.log(System.Logger.Level.WARNING, "jwq: blocking hooks serve another jwq runtime in this process: " + e.getMessage());
            return;
        }
        if (!WorkerModel.VIRTUAL) {
            WorkerBlocking.hooksNeeded();
        }
    }

    @Override
    public boolean sleeping() {
        Worker w = Worker.current();
        return w != null && w.beginBlocking(BlockingSource.HOOK);
    }

    @Override
    public void running() {
        Worker w = Worker.current();
        if (w != null) {
            w.endBlocking(BlockingSource.HOOK);
        }
    }
}
