/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.wire;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.LongSupplier;

/**
 * Frames arriving from a traffic generator ({@code wire=gen}): {@link GenFrameFormat} frames of one size,
 * round-robin over {@code flows} flows (distinct source address and UDP port, so RSS spreads them),
 * numbered 0, 1, 2, … across flows, at most {@code rate} frames per second (0 = as fast as the port
 * takes them) and {@code count} frames in all (0 = no end). When the inbound queue is full the
 * generator waits rather than drops, so every frame it numbers reaches the port's rx: the sink (or the
 * rx ring) sees loss only where the model or the driver loses frames.
 *
 * <p>Allocation-free in steady state: one off-heap template per flow, rewritten in place.
 */
public final class TrafficGenerator implements RxSource {
    private static final int BURST = 32;

    private final int length;
    private final int flows;
    private final long rate;
    private final long count;
    private final MemorySegment templates;
    private final long stride;
    private final LongSupplier nanoClock;
    private long startNanos = -1;
    private long nextSeq;
    private int nextFlow;
    private volatile long generated;

    /**
     * @param length frame length without CRC, {@link GenFrameFormat#MIN_LENGTH}..{@link GenFrameFormat#MAX_LENGTH}
     * @param flows  1..65536
     * @param rate   frames per second, 0 = unlimited
     * @param count  frames in all, 0 = unlimited
     */
    public TrafficGenerator(long dstMac, long srcMac, int length, int flows, long rate, long count) {
        this(dstMac, srcMac, length, flows, rate, count, System::nanoTime);
    }

    /** With the clock the rate is measured by, in nanoseconds (tests pass a manual one). */
    public TrafficGenerator(long dstMac, long srcMac, int length, int flows, long rate, long count, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        GenFrameFormat.checkLength(length);
        if (flows < 1 || flows > 65_536) {
            throw new IllegalArgumentException("flows " + flows + " out of range 1..65536");
        }
        if (rate < 0 || count < 0) {
            throw new IllegalArgumentException("rate and count must be ≥ 0 (0 = unlimited): rate=" + rate + " count=" + count);
        }
        this.length = length;
        this.flows = flows;
        this.rate = rate;
        this.count = count;
        this.stride = (length + 63) & ~63L;
        this.templates = Arena.ofAuto().allocate(stride * flows, 64);
        for (int f = 0; f < flows; f++) {
            GenFrameFormat.writeHeaders(templates, stride * f, length, dstMac, srcMac, f);
        }
    }

    @Override
    public int fill(FrameQueue inbound) {
        long budget = BURST;
        if (count != 0) {
            budget = Math.min(budget, count - nextSeq);
        }
        if (rate != 0) {
            long now = nanoClock.getAsLong();
            if (startNanos < 0) {
                startNanos = now;
            }
            long due = (long) ((now - startNanos) * 1e-9 * rate) + 1;
            budget = Math.min(budget, due - nextSeq);
        }
        int n = 0;
        while (n < budget) {
            long t = stride * nextFlow;
            GenFrameFormat.writeSequence(templates, t, length, nextSeq);
            if (!inbound.offer(templates, t, length)) {
                break; // the port is behind: hold this number and retry next round
            }
            nextSeq++;
            nextFlow = nextFlow + 1 == flows ? 0 : nextFlow + 1;
            n++;
        }
        if (n > 0) {
            generated = nextSeq;
        }
        return n;
    }

    /** Frames handed to the port so far. */
    public long generated() {
        return generated;
    }

    /** Whether {@code count} frames have been generated (never, for an endless generator). */
    public boolean finished() {
        return count != 0 && generated >= count;
    }

    public int length() {
        return length;
    }
}
