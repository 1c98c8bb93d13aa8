/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.samples.pktgen;

/**
 * How many frames may be sent now to hold {@code rate} frames per second since the start. Rate 0 means
 * unlimited. No allocation.
 *
 * <p>After a stall (a descheduled thread, a full tx ring) the frames that fell due meanwhile stay owed, as
 * in a token bucket that keeps the whole backlog, and are caught up one burst at a time at no more than
 * {@link #CATCH_UP} times the asked rate: the average over the run is then the asked rate, yet the receiver
 * never sees more than a burst at once nor a flood at line rate after a long stall (issue 16 point 16: the
 * pacer used to forget what a stall owed, so a run with stalls averaged less than the asked rate).
 */
final class Pacer {
    /** How much faster than the asked rate a backlog is caught up. */
    static final int CATCH_UP = 2;

    private final long rate;
    private final long startNanos;
    private long sent;
    private boolean catchingUp;
    /** While catching up: the time of the next catch-up burst. */
    private long nextCatchUpNanos;

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
        // frames due by now, the first at the start; in double, so that long runs at high rates do not overflow
        long due = (long) ((nowNanos - startNanos) * (rate / 1e9)) + 1;
        long owed = due - sent;
        if (owed <= burst) {
            catchingUp = false;
            return (int) Math.max(owed, 0); // on schedule
        }
        if (catchingUp && nowNanos < nextCatchUpNanos) {
            return 0;
        }
        // behind by more than a burst: one burst now, the next when CATCH_UP x the rate allows it. Scheduled from
        // the previous catch-up time, not from now, so that polls late by a few microseconds do not slow it down.
        long interval = (long) (burst * 1e9 / (CATCH_UP * (double) rate));
        nextCatchUpNanos = (catchingUp && nowNanos - nextCatchUpNanos < interval ? nextCatchUpNanos : nowNanos) + interval;
        catchingUp = true;
        return burst;
    }

    void sent(int n) {
        sent += n;
    }
}
