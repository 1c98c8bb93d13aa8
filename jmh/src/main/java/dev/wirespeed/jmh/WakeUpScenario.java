/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.jmh;

import org.agrona.concurrent.IdleStrategy;

/**
 * One way of getting an event from the benchmark thread to a consumer thread, for
 * {@link WakeUpLatencyBenchmark}. The consumer records each event's latency in {@link #probe()}.
 * Every method but {@link #close()} runs on the benchmark thread and allocates nothing.
 */
interface WakeUpScenario extends AutoCloseable {

    /**
     * Spins until the consumer is in the state a measurement starts from: asleep in {@code epoll_wait}
     * for the sleeping cases, polling an empty ring for busy-spin.
     */
    void awaitConsumerIdle();

    /** Sends one event stamped with {@link System#nanoTime()} taken just before the send. */
    void send();

    LatencyProbe probe();

    /** The thread that handles the events, for its allocation count. */
    Thread consumerThread();

    /** The consumer's idle strategy, for its counters; null when the consumer is not an lcore. */
    default IdleStrategy idleStrategy() {
        return null;
    }

    @Override
    void close();
}
