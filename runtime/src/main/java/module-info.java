/**
 * jwq's runtime. Only {@code dev.jwq} is exported: the engine, the timer and (later) the SPI
 * for the agent stay inside, so the boundary is enforced, not just documented.
 */
module dev.jwq {
    exports dev.jwq;
}
