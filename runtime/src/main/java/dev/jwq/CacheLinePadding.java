package dev.jwq;

import java.util.concurrent.locks.AbstractQueuedSynchronizer;

/*
 * Cache-line padding for the fields that queuers and workers write item after item, as JCTools
 * lays out its queues: on one line, each write by one side takes the line from the other (false
 * sharing). Padding by inheritance, since the JVM lays out a superclass's fields first; in bytes,
 * since it fills a superclass's gaps (the 4 bytes after a compressed header) with a subclass's
 * fields, which bytes of the padding class itself fill first.
 *
 * PendingFifo: the queuers swap the tail and add to the owning pwq's in-flight word, on one line;
 * the workers that hand slots on take the consumer's turn and move the head, on another. The
 * word sat with both ends while a hand-off also uncounted the ended item on it: one line moved
 * per hand-off instead of three (twin-fixed chains 629 -> 581 ns a step with the ends together,
 * -> 467 with the word too). Since a hand-off owes the ended item's unit instead
 * (Worker.oweUnit), only queuers write the word, and with the ends on lines of their own a
 * queuer no longer takes the workers' line per item: bursts from one thread 197 -> 138 ns a
 * task on twin-fixed, 263 -> 184 on an unbound workqueue, chains unchanged (292 / 296,
 * 72 / 70; 3 interleaved forks each, medians, 2026-12-04). Since session 20 the head shares its
 * line with the consumer's turn, an AQS lock word (PendingFifo), and nothing pads it off what
 * was allocated just before (the pwq's inactive list, written only under the pool lock); 64
 * bytes after the tail keep it off whatever comes after.
 *
 * PoolWorkqueue: its worker writes the wq_monitor counters (PwqCounters: started, completed) per
 * item, while queuers read its limits (maxActive, plugged, refuseExternal, retired) per item:
 * 64 bytes between them.
 */

/** Padding between a pwq's counters and its fields that queuers read. */
abstract class PwqCountersPad extends PwqCounters {
    byte c00, c01, c02, c03, c04, c05, c06, c07;
    byte c10, c11, c12, c13, c14, c15, c16, c17;
    byte c20, c21, c22, c23, c24, c25, c26, c27;
    byte c30, c31, c32, c33, c34, c35, c36, c37;
    byte c40, c41, c42, c43, c44, c45, c46, c47;
    byte c50, c51, c52, c53, c54, c55, c56, c57;
    byte c60, c61, c62, c63, c64, c65, c66, c67;
    byte c70, c71, c72, c73, c74, c75, c76, c77;
}

/**
 * The consumer's end, with the consumer's turn: the lock of AQS, whose word the JVM lays out
 * first, with the head on its line (an AQS subclass rather than a lock object beside it, whose
 * word would be on a line apart).
 */
abstract class PendingFifoHead extends AbstractQueuedSynchronizer {
    /** V: the oldest item, or null; written by the consumer, and by the producer that finds the queue empty. */
    volatile Work head;
}

/** Padding between the ends. */
abstract class PendingFifoPad1 extends PendingFifoHead {
    byte m00, m01, m02, m03, m04, m05, m06, m07;
    byte m10, m11, m12, m13, m14, m15, m16, m17;
    byte m20, m21, m22, m23, m24, m25, m26, m27;
    byte m30, m31, m32, m33, m34, m35, m36, m37;
    byte m40, m41, m42, m43, m44, m45, m46, m47;
    byte m50, m51, m52, m53, m54, m55, m56, m57;
    byte m60, m61, m62, m63, m64, m65, m66, m67;
    byte m70, m71, m72, m73, m74, m75, m76, m77;
}

/** The producers' end. */
abstract class PendingFifoTail extends PendingFifoPad1 {
    /** V: the newest item, or null; swapped in by producers, cleared by the consumer's CAS. */
    volatile Work tail;
    /** V: the owning pwq's items in flight (PoolWorkqueue.countInFlight), kept with the tail. */
    volatile long inFlight;
    byte t00, t01, t02, t03, t04, t05, t06, t07;
    byte t10, t11, t12, t13, t14, t15, t16, t17;
    byte t20, t21, t22, t23, t24, t25, t26, t27;
    byte t30, t31, t32, t33, t34, t35, t36, t37;
    byte t40, t41, t42, t43, t44, t45, t46, t47;
    byte t50, t51, t52, t53, t54, t55, t56, t57;
    byte t60, t61, t62, t63, t64, t65, t66, t67;
    byte t70, t71, t72, t73, t74, t75, t76, t77;
}
