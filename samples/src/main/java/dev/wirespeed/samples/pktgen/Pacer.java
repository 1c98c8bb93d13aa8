/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.samples.pktgen;

/**
 * How many frames may be sent now to hold {@code rate} frames per second since the start, never more than
 * one burst at a time (so a stall is not followed by a flood). Rate 0 means unlimited. No allocation.
 */
final class Pacer {
    private final long rate;
    private final long startNanos;
    private long sent;

    Pacer(long rate, long startNanos) {
        if (rate < 0) {
            throw new IllegalArgumentException("rate must be >= 0 frames per second (0 = as fast as possible), got " + rate);
        }
        this.rate = rate;
        this.startNanos = startNanos;
    }

    /** Frames allowed now, at most {@code burst}. */
    int allowed(long nowNanos, int burst) {
        if (rate == 0) {
            return burst;
        }
        long due = (long) ((nowNanos - startNanos) * (rate / 1e9)) + 1;
        long n = due - sent;
        if (n <= 0) {
            return 0;
        }
        if (n > burst) {
            // behind by more than a burst (a stall, a slow port): skip ahead instead of bursting to catch up
            sent = due - burst;
            return burst;
        }
        return (int) n;
    }

    void sent(int n) {
        sent += n;
    }
}
