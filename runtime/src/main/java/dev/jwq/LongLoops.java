package dev.jwq;

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
 */
final class LongLoops {
    /**
     * Turns (items, mounts) of one activation of a worker's or a carrier's loop. A fresh
     * activation of a method called this rarely starts interpreted and enters the current OSR
     * compilation within about a thousand turns, so the bound costs nothing measurable; caught,
     * a worker runs at most this many items slowly.
     */
    static final int TURNS = 1 << 16;

    private LongLoops() {
    }
}
