/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.port.soft;

import dev.wirespeed.core.idle.WakeSource;
import dev.wirespeed.core.packet.MacAddress;
import dev.wirespeed.core.packet.PacketBatch;
import dev.wirespeed.core.packet.PacketPool;
import dev.wirespeed.core.port.LinkStatus;
import dev.wirespeed.core.port.Port;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.core.port.PortStats;
import dev.wirespeed.core.port.QueueCounters;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A port with no wire, like DPDK's {@code net_null}: rx hands out freshly allocated buffers of a fixed
 * size, as many as asked; tx frees what it is given. With {@code copy} on, rx writes a frame into every
 * buffer and tx reads every frame, so the data is touched as a real port would.
 *
 * <p>The rx pool must be owned by the polling thread ({@link PacketPool#adopt()}).
 */
public final class NullPort implements Port {
    private final int id;
    private final String name;
    private final PacketPool pool;
    private final int frameSize;
    private final boolean copy;
    private final MacAddress mac;
    private final QueueCounters[] rxCounters;
    private final QueueCounters[] txCounters;
    private final Arena arena = Arena.ofShared();
    /** Frame written by rx in copy mode: broadcast to us, from a fixed source, payload counting up. */
    private final MemorySegment template;
    /** Where tx copies frames to in copy mode, one per tx queue so queues don't share it. */
    private final MemorySegment[] sinks;
    private volatile boolean started;
    private boolean promiscuous;
    private boolean allMulticast;

    NullPort(int id, String name, PortConfig config, PacketPool pool, int frameSize, boolean copy) {
        this.id = id;
        this.name = name;
        this.pool = pool;
        this.frameSize = frameSize;
        this.copy = copy;
        this.mac = new MacAddress(0x0200_0000_0000L | 0xA0_0000L | id);
        this.rxCounters = counters(config.rxQueues());
        this.txCounters = counters(config.txQueues());
        this.template = arena.allocate(frameSize, 64);
        for (int i = 0; i < frameSize; i++) {
            template.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) i);
        }
        long dst = mac.value();
        for (int i = 0; i < 6; i++) {
            template.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) (dst >>> (40 - 8 * i)));
        }
        this.sinks = new MemorySegment[config.txQueues()];
        for (int q = 0; q < sinks.length; q++) {
            sinks[q] = arena.allocate(Math.max(frameSize, 16 * 1024), 64);
        }
    }

    private static QueueCounters[] counters(int n) {
        QueueCounters[] c = new QueueCounters[n];
        for (int i = 0; i < n; i++) {
            c[i] = new QueueCounters();
        }
        return c;
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
        if (pool.allocBulk(handles, first, n) == 0) {
            c.errors++; // rx_nombuf
            return 0;
        }
        PacketPool p = pool;
        for (int i = first, end = first + n; i < end; i++) {
            int h = handles[i];
            p.setLength(h, frameSize);
            p.setPort(h, id);
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
        PacketPool.freeAll(handles, 0, n);
        batch.clear();
        c.packets += n;
        c.bytes += bytes;
        return n;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int rxQueueCount() {
        return rxCounters.length;
    }

    @Override
    public int txQueueCount() {
        return txCounters.length;
    }

    @Override
    public void start() {
        started = true;
    }

    @Override
    public void stop() {
        started = false; // a null port holds no buffers
    }

    @Override
    public boolean isStarted() {
        return started;
    }

    @Override
    public MacAddress macAddress() {
        return mac;
    }

    @Override
    public boolean setPromiscuous(boolean enabled) {
        promiscuous = enabled;
        return enabled;
    }

    @Override
    public boolean isPromiscuous() {
        return promiscuous;
    }

    @Override
    public boolean setAllMulticast(boolean enabled) {
        allMulticast = enabled;
        return allMulticast;
    }

    @Override
    public int mtu() {
        return pool.dataRoom() - 14;
    }

    @Override
    public LinkStatus linkStatus() {
        return new LinkStatus(true, 0, true);
    }

    @Override
    public PortStats stats(PortStats into) {
        into.clear();
        for (QueueCounters c : rxCounters) {
            into.ipackets += c.packets;
            into.ibytes += c.bytes;
            into.rxNombuf += c.errors;
        }
        for (QueueCounters c : txCounters) {
            into.opackets += c.packets;
            into.obytes += c.bytes;
        }
        return into;
    }

    @Override
    public Map<String, Long> extendedStats() {
        Map<String, Long> x = new LinkedHashMap<>();
        SoftPortStats.basic(stats(new PortStats()), x);
        SoftPortStats.perQueue("rx", rxCounters, x);
        SoftPortStats.perQueue("tx", txCounters, x);
        return x;
    }

    @Override
    public WakeSource rxWakeSource(int queue) {
        throw new UnsupportedOperationException(name + ": a null port always has packets to receive, so it has no rx interrupt; "
                + "use a spinning or backoff idle strategy");
    }

    @Override
    public void close() {
        started = false;
        arena.close();
    }

    @Override
    public String toString() {
        return "port " + id + " (" + name + ")";
    }
}
