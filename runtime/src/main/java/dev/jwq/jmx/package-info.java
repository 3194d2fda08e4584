/**
 * The MXBean interfaces under which the runtime exports itself to JMX (the JVM's sysfs):
 * {@code dev.jwq:type=Workqueue,name=...}, {@code dev.jwq:type=WorkerPool,id=...} and
 * {@code dev.jwq:type=Runtime}. Internal: public only because JMX needs public interfaces; the
 * implementations live in {@code dev.jwq}.
 */
package dev.jwq.jmx;
