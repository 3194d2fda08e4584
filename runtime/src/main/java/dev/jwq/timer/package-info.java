/**
 * Internal: the timer behind delayed work (not exported by the module).
 *
 * <p>All delayed work in the process shares one hierarchical timing wheel,
 * {@link dev.jwq.timer.TimerWheel#shared()}, driven by a single daemon thread named
 * {@code jwq/timer}, as Linux drives {@code delayed_work} from one timer wheel rather than a
 * thread per queue. Timers are intrusive ({@link dev.jwq.timer.Timer} carries its own list links),
 * so arming and cancelling are O(1), allocation-free, and take one short lock; this matters
 * because delayed work is typically armed and cancelled far more often than it fires. The wheel
 * has four levels of 64 slots at a 1 ms tick, each level 64 times coarser, plus an overflow list
 * beyond about 4.7 hours; entries cascade down to finer levels as the wheel turns, so a timer
 * fires at or after its deadline and normally within one tick of it at any distance. The thread
 * jumps from one non-empty slot to the next and parks in between (indefinitely when nothing is
 * armed). Expiry callbacks run on that thread outside the lock, after the entry has been
 * unlinked, which makes cancel and expiry mutually exclusive and lets callbacks re-arm; they
 * must therefore be short, and typically just queue the work.
 */
package dev.jwq.timer;
