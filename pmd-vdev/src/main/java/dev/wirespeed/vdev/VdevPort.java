/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.vdev;

import dev.wirespeed.core.port.Port;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.core.port.PortStats;
import dev.wirespeed.core.port.QueueCounters;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the kernel-interface ports (af_packet, tap) share: identity, per-queue software counters and
 * their sums. Counter meaning per queue: rx {@code drops} are frames the port received but could not
 * hand over (larger than a buffer, or than the MTU: say GSO), rx {@code errors} buffer allocation
 * failures; tx {@code drops} frames refused (too long), tx {@code errors} failed sends.
 */
public abstract class VdevPort implements Port {
    private final int id;
    private final String name;
    protected final QueueCounters[] rxCounters;
    protected final QueueCounters[] txCounters;

    protected VdevPort(int id, String name, PortConfig config) {
        this.id = id;
        this.name = name;
        this.rxCounters = counters(config.rxQueues());
        this.txCounters = counters(config.txQueues());
    }

    private static QueueCounters[] counters(int n) {
        QueueCounters[] c = new QueueCounters[n];
        for (int i = 0; i < n; i++) {
            c[i] = new QueueCounters();
        }
        return c;
    }

    @Override
    public final int id() {
        return id;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int rxQueueCount() {
        return rxCounters.length;
    }

    @Override
    public final int txQueueCount() {
        return txCounters.length;
    }

    /** Frames the kernel dropped before the port saw them (a full rx ring); 0 if the kernel does not say. */
    protected abstract long kernelDrops();

    @Override
    public final PortStats stats(PortStats into) {
        into.clear();
        for (QueueCounters c : rxCounters) {
            into.ipackets += c.packets;
            into.ibytes += c.bytes;
            into.ierrors += c.drops;
            into.rxNombuf += c.errors;
        }
        for (QueueCounters c : txCounters) {
            into.opackets += c.packets;
            into.obytes += c.bytes;
            into.oerrors += c.drops + c.errors;
        }
        into.imissed = kernelDrops();
        return into;
    }

    /** The port's own counters for {@link #extendedStats()}, after the basic and per-queue ones. */
    protected abstract void driverStats(Map<String, Long> into);

    @Override
    public final Map<String, Long> extendedStats() {
        Map<String, Long> x = new LinkedHashMap<>();
        stats(new PortStats()).putNamed(x);
        for (int q = 0; q < rxCounters.length; q++) {
            x.put("rx_q" + q + "_packets", rxCounters[q].packets);
            x.put("rx_q" + q + "_bytes", rxCounters[q].bytes);
            x.put("rx_q" + q + "_oversize_drops", rxCounters[q].drops);
        }
        for (int q = 0; q < txCounters.length; q++) {
            x.put("tx_q" + q + "_packets", txCounters[q].packets);
            x.put("tx_q" + q + "_bytes", txCounters[q].bytes);
            x.put("tx_q" + q + "_oversize_drops", txCounters[q].drops);
            x.put("tx_q" + q + "_errors", txCounters[q].errors);
        }
        driverStats(x);
        return x;
    }

    @Override
    public final String toString() {
        return "port " + id + " (" + name + ")";
    }
}
