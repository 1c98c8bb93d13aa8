/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.packet;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A bounded single-producer, single-consumer ring of packet handles, moved in bursts: what connects
 * two threads in a pipeline (DPDK's {@code rte_ring} in SP/SC mode). Lock-free and allocation-free: the
 * producer publishes a burst with one release store of the tail, the consumer frees slots with one
 * release store of the head. Each side caches the other's index to avoid reading it on every call.
 */
public final class HandleRing {
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(HandleRing.class, "head", long.class);
            TAIL = l.findVarHandle(HandleRing.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int[] slots;
    private final int mask;

    // Producer side (own cache lines, so the two threads don't false-share).
    @SuppressWarnings("unused")
    private long p01, p02, p03, p04, p05, p06, p07;
    private volatile long tail;
    private long headCache;
    @SuppressWarnings("unused")
    private long q01, q02, q03, q04, q05, q06, q07;
    // Consumer side.
    private volatile long head;
    private long tailCache;
    @SuppressWarnings("unused")
    private long r01, r02, r03, r04, r05, r06, r07;

    /** A ring of at least {@code minCapacity} slots (rounded up to a power of two). */
    public HandleRing(int minCapacity) {
        if (minCapacity < 1 || minCapacity > 1 << 30) {
            throw new IllegalArgumentException("ring capacity must be 1.." + (1 << 30) + ", got " + minCapacity);
        }
        int capacity = Integer.highestOneBit(Math.max(2, minCapacity) * 2 - 1);
        slots = new int[capacity];
        mask = capacity - 1;
    }

    public int capacity() {
        return slots.length;
    }

    /**
     * Producer: appends as many of {@code src[from..from+n)} as fit; returns how many.
     */
    public int offer(int[] src, int from, int n) {
        long t = tail;
        long free = slots.length - (t - headCache);
        if (free < n) {
            headCache = (long) HEAD.getAcquire(this);
            free = slots.length - (t - headCache);
        }
        int count = (int) Math.min(free, n);
        for (int i = 0; i < count; i++) {
            slots[(int) ((t + i) & mask)] = src[from + i];
        }
        if (count > 0) {
            TAIL.setRelease(this, t + count);
        }
        return count;
    }

    /** Consumer: moves up to {@code n} handles into {@code dst[from..]}; returns how many. */
    public int poll(int[] dst, int from, int n) {
        long h = head;
        long avail = tailCache - h;
        if (avail < n) {
            tailCache = (long) TAIL.getAcquire(this);
            avail = tailCache - h;
        }
        int count = (int) Math.min(avail, n);
        for (int i = 0; i < count; i++) {
            dst[from + i] = slots[(int) ((h + i) & mask)];
        }
        if (count > 0) {
            HEAD.setRelease(this, h + count);
        }
        return count;
    }

    /** Consumer: whether a handle is waiting (reads the producer's index). */
    public boolean hasItems() {
        return (long) TAIL.getAcquire(this) != head;
    }

    /** Handles in the ring; exact only when neither side is active. */
    public int size() {
        return (int) ((long) TAIL.getAcquire(this) - (long) HEAD.getAcquire(this));
    }
}
