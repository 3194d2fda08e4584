/**
 * Internal: CPU topology from sysfs, and the Linux calls that pin worker threads and find the
 * caller's CPU ({@code sched_getaffinity}, {@code sched_setaffinity}, {@code sched_getcpu},
 * {@code setpriority}) made through the FFM API where the JDK has it.
 *
 * <p>Not part of jwq's API: the classes are public only so that the engine in {@code dev.jwq}
 * can use them. They may change or go away in any release. See {@code docs/engine-cpu.md}.
 */
package dev.jwq.cpu;
