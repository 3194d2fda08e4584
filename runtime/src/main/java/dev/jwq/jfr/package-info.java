/**
 * JFR events of jwq and the static facade the engine calls at its tracepoints (internal).
 *
 * <p>{@link dev.jwq.jfr.Tracepoints} has one static method per {@code kernel/workqueue.c}
 * tracepoint; the engine passes names and numbers, never its own objects, and a call costs a
 * flag check and no allocation while no recording wants the event. The event classes are
 * public only so that the engine can hold a started duration event (see
 * {@link dev.jwq.jfr.Tracepoints#executeStart(long)}); their fields are filled by the facade.
 * {@link dev.jwq.jfr.EventNames} lists the event and field names for readers of recordings
 * (the {@code jwq} tool, the Mission Control rules): names are never changed once released.
 *
 * <p>The settings file {@code dev/jwq/jwq.jfc} in the runtime jar chooses which events a
 * recording takes; see {@code docs/observability.md}.
 */
package dev.jwq.jfr;
