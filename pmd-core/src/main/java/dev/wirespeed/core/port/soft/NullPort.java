/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.port.soft;

import dev.wirespeed.core.idle.WakeSource;
import dev.wirespeed.core.packet.PacketBatch;
import dev.wirespeed.core.packet.PacketPool;
import dev.wirespeed.core.port.LinkStatus;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.core.port.QueueCounters;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * A port with no wire, like DPDK's {@code net_null}: rx hands out freshly allocated buffers of a fixed
 * size, as many as asked; tx frees what it is given, a burst at a time ({@link PacketPool#freeBulk}, as a
 * NIC PMD's tx completion with FAST_FREE). With {@code copy} on, rx writes a frame into every buffer and
 * tx reads every frame, so the data is touched as a real port would.
 *
 * <p>Each rx queue's pool must be owned by the thread polling it ({@link PacketPool#adopt()}).
 */
public final class NullPort extends SoftPort {
    private final PacketPool[] pools; // per rx queue
    private final int mtu;
    private final int frameSize;
    private final boolean copy;
    private final Arena arena = Arena.ofShared();
    /** Frame written by rx in copy mode: addressed to this port, bytes counting up after the address. */
    private final MemorySegment template;
    /** Where tx copies frames to in copy mode, one per tx queue so queues don't share it. */
    private final MemorySegment[] sinks;

    NullPort(int id, String name, PortConfig config, PacketPool[] pools, int frameSize, boolean copy) {
        super(id, name, config, 0xA0_0000L);
        this.pools = pools.clone();
        this.mtu = smallestDataRoom(pools) - 14;
        this.frameSize = frameSize;
        this.copy = copy;
        this.template = arena.allocate(frameSize, 64);
        for (int i = 0; i < frameSize; i++) {
            template.set(JAVA_BYTE, i, (byte) i);
        }
        long dst = macAddress().value();
        for (int i = 0; i < 6; i++) {
            template.set(JAVA_BYTE, i, (byte) (dst >>> (40 - 8 * i)));
        }
        this.sinks = new MemorySegment[config.txQueues()];
        for (int q = 0; q < sinks.length; q++) {
            sinks[q] = arena.allocate(Math.max(frameSize, 16 * 1024), 64);
        }
    }

    @Override
    public int rx(int queue, PacketBatch batch) {
        QueueCounters c = rxCounters[queue];
        int n = batch.remaining();
        if (n == 0 || !started) {
            return 0;
        }
        int first = batch.size();
        int[] handles = batch.handles();
        int portId = id();
        PacketPool p = pools[queue];
        if (p.allocBulk(handles, first, n) == 0) {
            c.errors++; // rx_nombuf
            return 0;
        }
        for (int i = first, end = first + n; i < end; i++) {
            int h = handles[i];
            p.setLength(h, frameSize);
            p.setPort(h, portId);
            if (copy) {
                MemorySegment.copy(template, 0, p.memory(), p.dataOffset(h), frameSize);
            }
        }
        batch.setSize(first + n);
        c.packets += n;
        c.bytes += (long) n * frameSize;
        return n;
    }

    @Override
    public int tx(int queue, PacketBatch batch) {
        QueueCounters c = txCounters[queue];
        int n = batch.size();
        if (n == 0) {
            return 0;
        }
        int[] handles = batch.handles();
        long bytes = 0;
        PacketPool p = null;
        for (int i = 0; i < n; i++) {
            int h = handles[i];
            if (p == null || p.id() != (h >>> 24)) {
                p = PacketPool.of(h);
            }
            int len = p.packetLength(h);
            bytes += len;
            if (copy) {
                MemorySegment.copy(p.memory(), p.dataOffset(h), sinks[queue], 0, Math.min(len, p.dataLength(h)));
            }
        }
        // As a NIC PMD's tx completion with FAST_FREE: the burst goes back to its pool at once (packets of
        // other pools, chains and double frees are handled exactly by freeBulk's per-packet path).
        PacketPool.of(handles[0]).freeBulk(handles, 0, n);
        batch.clear();
        c.packets += n;
        c.bytes += bytes;
        return n;
    }

    @Override
    public void stop() {
        started = false; // a null port holds no buffers
    }

    @Override
    public int mtu() {
        return mtu;
    }

    /** The data room of the smallest buffers among {@code pools}: the largest frame every rx queue can take. */
    static int smallestDataRoom(PacketPool[] pools) {
        int room = Integer.MAX_VALUE;
        for (PacketPool p : pools) {
            room = Math.min(room, p.dataRoom());
        }
        return room;
    }

    @Override
    public LinkStatus linkStatus() {
        return new LinkStatus(true, 0, true);
    }

    @Override
    public WakeSource rxWakeSource(int queue) {
        throw new UnsupportedOperationException(name() + ": a null port always has packets to receive, so it has no rx interrupt; "
                + "use a spinning or backoff idle strategy");
    }

    @Override
    public void close() {
        started = false;
        arena.close();
    }
}
