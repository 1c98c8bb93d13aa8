/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.port.soft;

import dev.wirespeed.core.packet.MacAddress;
import dev.wirespeed.core.port.CountedPort;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.core.port.PortStats;
import dev.wirespeed.core.port.QueueCounters;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the software ports have in common: identity, per-queue software counters, the start flag, and
 * modes that a port without a PF simply grants. Subclasses implement the burst calls.
 */
abstract sealed class SoftPort extends CountedPort permits NullPort, RingPort {
    private boolean promiscuous;
    private boolean allMulticast;

    SoftPort(int id, String name, PortConfig config, long macPrefix) {
        super(id, name, config, new MacAddress(0x0200_0000_0000L | macPrefix | (id & 0xFFFF)));
    }

    @Override
    public void start() {
        started = true;
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
        sumTraffic(into);
        for (QueueCounters c : rxCounters) {
            into.rxNombuf += c.errors;
        }
        return into;
    }

    /** The basic counters under DPDK's xstats names, then per queue. */
    @Override
    public final Map<String, Long> extendedStats() {
        PortStats s = stats(new PortStats());
        Map<String, Long> x = new LinkedHashMap<>();
        s.putNamed(x);
        putPerQueue("rx", rxCounters, x);
        putPerQueue("tx", txCounters, x);
        return x;
    }
}
