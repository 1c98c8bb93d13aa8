/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.vdev;

import dev.wirespeed.core.packet.MacAddress;
import dev.wirespeed.core.port.CountedPort;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.core.port.PortStats;
import dev.wirespeed.core.port.QueueCounters;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the kernel-interface ports (af_packet, tap) share beyond {@link CountedPort}: the interface's MTU
 * as read at open, closing once, and how their counters add up. Frames are copied between the kernel and
 * pool buffers, so such a port holds no buffer between calls and stopping has nothing to return.
 *
 * <p>Counter meaning per queue: rx {@code drops} are frames the port received but could not hand over
 * (larger than a buffer or the MTU: say GSO), rx {@code errors} buffer allocation failures; tx
 * {@code drops} frames refused (too long), tx {@code errors} failed sends.
 */
public abstract class VdevPort extends CountedPort {
    private final int mtu;
    private boolean closed;

    protected VdevPort(int id, String name, PortConfig config, MacAddress mac, int mtu) {
        super(id, name, config, mac);
        this.mtu = mtu;
    }

    @Override
    public final int mtu() {
        return mtu;
    }

    /** Stops the queues; the port holds no pool buffers between calls, so there is nothing to return. */
    @Override
    public final void stop() {
        started = false;
    }

    /** Releases the descriptors and mappings, once. */
    @Override
    public final synchronized void close() {
        started = false;
        if (!closed) {
            closed = true;
            release();
        }
    }

    /** Closes what the port opened (called once, by {@link #close()}). */
    protected abstract void release();

    /** Frames the kernel dropped before the port saw them (a full rx ring); 0 if the kernel does not say. */
    protected abstract long kernelDrops();

    @Override
    public final PortStats stats(PortStats into) {
        sumTraffic(into);
        for (QueueCounters c : rxCounters) {
            into.ierrors += c.drops;
            into.rxNombuf += c.errors;
        }
        for (QueueCounters c : txCounters) {
            into.oerrors += c.drops + c.errors;
        }
        into.imissed = kernelDrops();
        return into;
    }

    /**
     * Granted, and nothing to switch: the kernel hands a packet socket or a TAP every frame the interface
     * accepts, multicast included.
     */
    @Override
    public final boolean setAllMulticast(boolean enabled) {
        return true;
    }

    /** The port's own counters for {@link #extendedStats()}, after the basic and per-queue ones. */
    protected abstract void driverStats(Map<String, Long> into);

    @Override
    public final Map<String, Long> extendedStats() {
        Map<String, Long> x = new LinkedHashMap<>();
        stats(new PortStats()).putNamed(x);
        putPerQueue("rx", rxCounters, x);
        putPerQueue("tx", txCounters, x);
        for (int q = 0; q < rxCounters.length; q++) {
            x.put("rx_q" + q + "_oversize_drops", rxCounters[q].drops);
        }
        for (int q = 0; q < txCounters.length; q++) {
            x.put("tx_q" + q + "_oversize_drops", txCounters[q].drops);
            x.put("tx_q" + q + "_errors", txCounters[q].errors);
        }
        driverStats(x);
        return x;
    }
}
