/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.jmh;

import dev.wirespeed.core.os.Epoll;
import dev.wirespeed.core.os.EventFd;

import java.util.function.BooleanSupplier;

/**
 * The floor under any interrupt-driven wake-up: one thread writes an eventfd, another returns from
 * {@code epoll_wait} on it. Nothing of wirespeed's idle strategy or ports is involved, only the kernel
 * and the scheduler, so this is what the interrupt idle path is compared against.
 */
final class EventFdFloor implements WakeUpScenario {
    private final LatencyProbe probe = new LatencyProbe();
    private final EventFd eventFd = EventFd.create();
    private final Thread consumer;
    private final BooleanSupplier consumerWaiting = this::consumerWaiting;
    private final long settleNanos;
    private volatile boolean running = true;
    /** True from just before the consumer calls epoll_wait until it returns. */
    private volatile boolean waiting;
    private volatile long sentNanos;

    /** @param settleNanos how long after the consumer announced its wait to send, so it is really asleep */
    EventFdFloor(long settleNanos) {
        this.settleNanos = settleNanos;
        consumer = Thread.ofPlatform().name("eventfd-floor-consumer").daemon().start(this::consume);
    }

    private void consume() {
        try (Epoll epoll = new Epoll(1)) {
            epoll.add(eventFd.fd(), 0);
            while (running) {
                waiting = true;
                int ready = epoll.await(100);
                long now = System.nanoTime();
                waiting = false;
                if (ready > 0 && running) {
                    eventFd.drain();
                    probe.record(sentNanos, now);
                }
            }
        }
    }

    private boolean consumerWaiting() {
        return waiting;
    }

    @Override
    public void awaitConsumerIdle() {
        Spin.until(consumerWaiting, "the eventfd consumer to enter epoll_wait");
        Spin.forNanos(settleNanos);
    }

    @Override
    public void send() {
        // Published before the write; the consumer reads it after epoll_wait returned because of that write.
        sentNanos = System.nanoTime();
        eventFd.signal();
    }

    @Override
    public Thread consumerThread() {
        return consumer;
    }

    @Override
    public LatencyProbe probe() {
        return probe;
    }

    @Override
    public void close() {
        running = false;
        eventFd.signal();
        try {
            consumer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (consumer.isAlive()) {
            throw new IllegalStateException("eventfd consumer thread did not stop within 5 s");
        }
        eventFd.close();
    }
}
