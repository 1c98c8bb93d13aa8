/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.port;

/**
 * Software counters of one queue, written only by the thread polling it and read by a stats thread.
 * Plain longs: a reader may see a slightly stale value, never a torn one (64-bit JVMs write longs whole).
 * Padded so two queues' counters polled by two cores never share a cache line.
 */
public final class QueueCounters {
    @SuppressWarnings("unused")
    private long p01, p02, p03, p04, p05, p06, p07;
    public long packets;
    public long bytes;
    /** Packets dropped or refused on this queue. */
    public long drops;
    /** Errors, or rx allocation failures for an rx queue. */
    public long errors;
    @SuppressWarnings("unused")
    private long p11, p12, p13, p14, p15, p16, p17;
}
