/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.lcore;

/**
 * One thread's consumed CPU time at a wall-clock instant. Two samples give the thread's CPU
 * utilisation in between: about 1.0 for a busy-polling lcore, near 0 for one asleep on interrupts.
 *
 * @param wallNanos {@link System#nanoTime()} when sampled
 * @param cpuNanos  CPU time (user + system) the thread had consumed by then
 */
public record CpuSample(long wallNanos, long cpuNanos) {

    /** CPU time over wall time since {@code earlier}, e.g. 0.05 for 5 % of one CPU. */
    public double utilizationSince(CpuSample earlier) {
        long wall = wallNanos - earlier.wallNanos;
        if (wall <= 0) {
            throw new IllegalArgumentException("sample " + earlier + " is not earlier than " + this);
        }
        return (double) (cpuNanos - earlier.cpuNanos) / wall;
    }
}
