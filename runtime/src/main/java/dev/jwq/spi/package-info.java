/**
 * Service-provider interfaces of the jwq runtime for agents and libraries, not for application
 * code: how blocking is reported to concurrency management ({@link dev.jwq.spi.WorkerBlocking});
 * and what the jwq agent needs beyond the public API: the settings check its premain makes
 * ({@link dev.jwq.spi.SettingsCheck}), a workqueue's pending items
 * ({@link dev.jwq.spi.PendingWork}), one-shot items queued as execute() queues its own
 * ({@link dev.jwq.spi.FreshWork}), what a workqueue counts ({@link dev.jwq.spi.WorkCounts}) and an action on its termination
 * ({@link dev.jwq.spi.OnTermination}), daemon workqueues ({@link dev.jwq.spi.DaemonWorkqueues}),
 * native access for the runtime's FFM setup ({@link dev.jwq.spi.NativeAccess}), and the one
 * {@code ScheduledFutureTask} of the runtime's and the agent's scheduled executors
 * ({@link dev.jwq.spi.ScheduledFutureTask}). {@link dev.jwq.spi.RuntimeSide} is how these reach
 * the runtime's package-private parts.
 */
package dev.jwq.spi;
