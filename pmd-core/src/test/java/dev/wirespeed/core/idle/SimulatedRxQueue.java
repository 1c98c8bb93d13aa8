/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.idle;

import dev.wirespeed.core.os.EventFd;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link WakeSource} that behaves like one rx queue of a NIC whose interrupt can be masked, backed by a
 * real eventfd. The "device" side ({@link #post()}, any one thread) publishes a packet into the ring and
 * then raises the interrupt <em>only if the queue is armed</em>; a packet posted while disarmed raises
 * nothing, ever. That is what makes the lost-wake-up race between the last empty poll and
 * {@link #arm()} real.
 *
 * <p>The ring records each packet's post time so the consumer can measure how long it waited.
 */
public final class SimulatedRxQueue implements WakeSource, AutoCloseable {
    private final EventFd eventFd = EventFd.create();
    private final AtomicBoolean armed = new AtomicBoolean();
    /** Packets the device has published (the ring's producer index). */
    private final AtomicLong produced = new AtomicLong();
    /** Packets the poll thread has taken; written by the poll thread only. */
    private final AtomicLong consumed = new AtomicLong();
    private final long[] postedAtNanos;
    private final AtomicLong interruptsRaised = new AtomicLong();
    private final AtomicLong hasWorkChecks = new AtomicLong();
    private long arms;
    private long maxLatencyNanos;

    public SimulatedRxQueue(int ringSize) {
        this.postedAtNanos = new long[ringSize];
    }

    // ------------------------------------------------------------------ device side

    /** Publishes one packet, then interrupts if (and only if) the queue is armed right now. */
    public void post() {
        long seq = produced.get();
        if (seq - consumed.get() >= postedAtNanos.length) {
            throw new IllegalStateException("simulated ring full: " + postedAtNanos.length + " packets unconsumed");
        }
        postedAtNanos[(int) (seq % postedAtNanos.length)] = System.nanoTime();
        produced.set(seq + 1); // volatile store: publishes the slot, and orders before the armed check below
        if (armed.get()) {
            interruptsRaised.incrementAndGet();
            eventFd.signal();
        }
    }

    // ------------------------------------------------------------------ poll-thread side

    /** Takes every published packet; returns how many (the workCount for the idle strategy). */
    public int poll() {
        long end = produced.get();
        long start = consumed.get();
        if (end == start) {
            return 0;
        }
        long now = System.nanoTime();
        for (long seq = start; seq < end; seq++) {
            maxLatencyNanos = Math.max(maxLatencyNanos, now - postedAtNanos[(int) (seq % postedAtNanos.length)]);
        }
        consumed.set(end);
        return (int) (end - start);
    }

    @Override
    public EventFd eventFd() {
        return eventFd;
    }

    @Override
    public void arm() {
        arms++;
        armed.set(true); // volatile store, ordered before the hasWork() load the strategy does next
    }

    @Override
    public void disarm() {
        armed.set(false);
    }

    @Override
    public boolean hasWork() {
        boolean work = produced.get() != consumed.get();
        hasWorkChecks.incrementAndGet();
        return work;
    }

    // ------------------------------------------------------------------ observations for tests

    /** How long the oldest unconsumed packet has been waiting, 0 if none (poll thread only). */
    public long oldestWaitingNanos() {
        long start = consumed.get();
        if (produced.get() == start) {
            return 0;
        }
        return System.nanoTime() - postedAtNanos[(int) (start % postedAtNanos.length)];
    }

    public boolean isArmed() {
        return armed.get();
    }

    public long produced() {
        return produced.get();
    }

    public long consumed() {
        return consumed.get();
    }

    /** How often the poll thread armed the queue (read it from that thread or after joining it). */
    public long arms() {
        return arms;
    }

    /** How often the strategy asked {@link #hasWork()}: once per arm, after arming, if it re-checks. */
    public long hasWorkChecks() {
        return hasWorkChecks.get();
    }

    public long interruptsRaised() {
        return interruptsRaised.get();
    }

    /** The longest any packet waited from post to poll (read from the poll thread or after joining it). */
    public long maxLatencyNanos() {
        return maxLatencyNanos;
    }

    @Override
    public void close() {
        eventFd.close();
    }
}
