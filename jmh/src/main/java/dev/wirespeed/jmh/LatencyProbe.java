/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.jmh;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Where a consumer thread records how long each event took to reach it, and where the sending thread sees
 * that the event was handled. Recording is wait-free and allocation-free (HdrHistogram's {@link Recorder});
 * the benchmark thread swaps out the interval histogram between iterations.
 */
final class LatencyProbe {
    /** Anything slower than 10 s is clamped: a hang guard ends the benchmark long before that. */
    static final long HIGHEST_NANOS = 10_000_000_000L;

    private final Recorder recorder = new Recorder(HIGHEST_NANOS, 3);
    private volatile long handled;
    private Histogram interval;

    /** Consumer thread: the event sent at {@code sentNanos} was handled at {@code nowNanos}. */
    void record(long sentNanos, long nowNanos) {
        recorder.recordValue(Math.min(HIGHEST_NANOS, Math.max(0, nowNanos - sentNanos)));
        handled = handled + 1; // one writer
    }

    /** Events handled so far. */
    long handled() {
        return handled;
    }

    /** The values recorded since the last call (the returned histogram is reused by the next call). */
    Histogram takeInterval() {
        interval = recorder.getIntervalHistogram(interval);
        return interval;
    }
}
