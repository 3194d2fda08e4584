/**
 * Service-provider interfaces of the jwq runtime for agents and libraries: how blocking is
 * reported to concurrency management ({@link dev.jwq.spi.WorkerBlocking}). Not for application
 * code.
 */
package dev.jwq.spi;
