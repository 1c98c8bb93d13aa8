/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.port.soft;

import dev.wirespeed.core.packet.MacAddress;
import dev.wirespeed.core.port.Port;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.core.port.PortStats;
import dev.wirespeed.core.port.QueueCounters;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the software ports have in common: identity, per-queue software counters, the start flag, and
 * modes that a port without a PF simply grants. Subclasses implement the burst calls.
 */
abstract sealed class SoftPort implements Port permits NullPort, RingPort {
    private final int id;
    private final String name;
    private final MacAddress mac;
    final QueueCounters[] rxCounters;
    final QueueCounters[] txCounters;
    volatile boolean started;
    private boolean promiscuous;
    private boolean allMulticast;

    SoftPort(int id, String name, PortConfig config, long macPrefix) {
        this.id = id;
        this.name = name;
        this.mac = new MacAddress(0x0200_0000_0000L | macPrefix | (id & 0xFFFF));
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

    @Override
    public void start() {
        started = true;
    }

    @Override
    public final boolean isStarted() {
        return started;
    }

    @Override
    public final MacAddress macAddress() {
        return mac;
    }

    @Override
    public final boolean setPromiscuous(boolean enabled) {
        promiscuous = enabled;
        return enabled;
    }

    @Override
    public final boolean isPromiscuous() {
        return promiscuous;
    }

    @Override
    public final boolean setAllMulticast(boolean enabled) {
        allMulticast = enabled;
        return enabled;
    }

    /** Sums the queue counters: rx errors count buffer allocation failures. */
    @Override
    public final PortStats stats(PortStats into) {
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

    /** The basic counters under DPDK's xstats names, then per queue. */
    @Override
    public final Map<String, Long> extendedStats() {
        PortStats s = stats(new PortStats());
        Map<String, Long> x = new LinkedHashMap<>();
        s.putNamed(x);
        perQueue("rx", rxCounters, x);
        perQueue("tx", txCounters, x);
        return x;
    }

    private static void perQueue(String dir, QueueCounters[] counters, Map<String, Long> x) {
        for (int q = 0; q < counters.length; q++) {
            x.put(dir + "_q" + q + "_packets", counters[q].packets);
            x.put(dir + "_q" + q + "_bytes", counters[q].bytes);
        }
    }

    @Override
    public final String toString() {
        return "port " + id + " (" + name + ")";
    }
}
