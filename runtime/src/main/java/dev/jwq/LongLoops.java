package dev.jwq;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Why the engine's endless loops run in activations that return and are called again
 * ({@code Worker.serve}, {@code CarrierThread.drain}, {@code PoolMonitor.sampleRounds}, the timer
 * wheel's {@code TimerWheel.passes}) instead of one frame for a thread's whole life.
 *
 * <p>A loop that never returns runs in an OSR compilation of its method. HotSpot makes such a
 * compilation not entrant when any thread hits one of its uncommon traps (a branch its profile
 * never saw), while the other threads inside it run on; and the calls that a frame of a
 * not-entrant compilation makes are never bound again to their callees' newer compiled code
 * (HotSpot's {@code SharedRuntime::fixup_callers_callsite} passes over callers not in use), so
 * once a callee is recompiled, every call from that frame goes to the interpreter for good. A
 * worker caught that way ran {@code processOneWork}, its whole per-item path, interpreted for
 * the rest of its life: per-CPU chains on virtual workers went from 15-17 to 75-85 ns a step in
 * about one JVM in three here, one CPU busy and the other mostly idle (JFR's execution samples
 * show the callee's frames "Interpreted" under a "JIT compiled" loop; bench/README.md, session
 * 38). A fresh activation starts from its method's current code, so a thread is caught for at
 * most one activation.
 *
 * <p>A worker's loop has a second reason, {@link #workerActivationTurns} says which.
 */
final class LongLoops {
    /**
     * Turns (items, mounts) of one activation of a worker's or a carrier's loop. A fresh
     * activation of a method called this rarely starts interpreted and enters the current OSR
     * compilation within about a thousand turns, so the bound costs nothing measurable; caught,
     * a worker runs at most this many items slowly.
     */
    static final int TURNS = 1 << 16;

    /** Turns of a worker's activation while the process is young ({@link #workerActivationTurns}). */
    static final int WORKER_TURNS_COLD = 64;

    /** Turns of a worker's activation after that: a return now and then costs nothing measurable. */
    static final int WORKER_TURNS_WARM = 4096;

    /**
     * Activations of all workers together that are short: enough calls of {@code Worker.serve}
     * for HotSpot's tiered policy to compile it by its calls (100 whose calls and back edges
     * reach 2,000, which 64-turn activations do), twice over. No more: every short activation's
     * return costs the worker's next park the slow path (see below), about 100 bytes an item
     * more on a sparse blocking load while they last (bench/README.md, "Session 45").
     */
    static final int COLD_ACTIVATIONS = 200;

    /** Short activations left in this process; any worker takes one as its activation starts. */
    private static final AtomicInteger coldActivationsLeft = new AtomicInteger(COLD_ACTIVATIONS);

    /**
     * Turns (items and idle turns) of the activation of a worker's loop ({@code Worker.serve})
     * that starts now: {@link #WORKER_TURNS_COLD} for the process's first
     * {@link #COLD_ACTIVATIONS}, {@link #WORKER_TURNS_WARM} after.
     *
     * <p>Why short at first: a loop method called once per thread is compiled only by on-stack
     * replacement, after 60,000 back edges, and each thread's interpreted frame enters that
     * compilation only when one of its own back edges meets the interpreter's counter overflow
     * (every 1,024 back edges of all threads), so a pool's workers ran {@code serve} interpreted
     * for seconds. For a virtual worker an interpreted frame on its stack costs more than slow
     * code: the JDK then freezes and thaws the worker's stack by its slow path at every park,
     * which thaws two frames at a time and leaves the rest in the heap, and a park deeper than
     * the room left in the stack chunk allocates a new chunk. The flagship demo's workers
     * allocated a chunk at almost every park that way (2 KB a request, a third of the run's
     * allocation, until their frames entered the OSR compilation about 10 s in;
     * bench/README.md, "Session 45"). Short activations call {@code serve} often enough to have
     * it compiled within the first few thousand turns. Why not short for good: every return
     * puts the caller's frame ({@code Worker.run}, entered once and so interpreted) back on the
     * stack until the next park, which then takes the slow path and often a new chunk.
     */
    static int workerActivationTurns() {
        if (coldActivationsLeft.get() > 0 && coldActivationsLeft.getAndDecrement() > 0) {
            return WORKER_TURNS_COLD;
        }
        return WORKER_TURNS_WARM;
    }

    private LongLoops() {
    }
}
