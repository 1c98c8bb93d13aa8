/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.device.vf;

import dev.wirespeed.core.port.QueueCounters;

import java.lang.foreign.MemorySegment;

/**
 * What an rx and a tx ring both are: a queue index, {@code size} 16-byte descriptors in DMA memory the
 * device reaches at {@code ringIova}, the gate the control thread shuts between bursts, and the burst
 * path's own packet and byte counters.
 */
public abstract class DescriptorRing {
    protected final int index;
    protected final MemorySegment ring;
    protected final long ringIova;
    protected final int size;
    public final QueueGate gate = new QueueGate();
    public final QueueCounters counters = new QueueCounters();

    protected DescriptorRing(int index, MemorySegment ring, long ringIova, int size) {
        this.index = index;
        this.ring = ring;
        this.ringIova = ringIova;
        this.size = size;
    }

    public int index() {
        return index;
    }

    public int size() {
        return size;
    }

    public long ringIova() {
        return ringIova;
    }
}
