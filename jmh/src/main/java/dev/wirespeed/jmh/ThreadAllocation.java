/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.jmh;

import java.lang.management.ManagementFactory;

/**
 * Heap bytes allocated by particular threads since a starting point (HotSpot's per-thread allocation
 * counter). JMH's {@code -prof gc} divides the whole JVM's allocation by the operation count, which for a
 * benchmark doing a few thousand operations a second is dominated by the harness and other threads; this
 * tells the threads under test apart.
 */
final class ThreadAllocation {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final long[] ids;
    private final long[] start;

    ThreadAllocation(Thread... threads) {
        ids = new long[threads.length];
        start = new long[threads.length];
        for (int i = 0; i < threads.length; i++) {
            ids[i] = threads[i].threadId();
            start[i] = THREADS.getThreadAllocatedBytes(ids[i]);
        }
    }

    /** Bytes thread {@code i} (in constructor order) allocated since construction; -1 if it is gone. */
    long bytesSinceStart(int i) {
        long now = THREADS.getThreadAllocatedBytes(ids[i]);
        return now < 0 ? -1 : now - start[i];
    }
}
