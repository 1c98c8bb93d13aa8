/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.port;

import dev.wirespeed.core.packet.MacAddress;

import java.util.Arrays;
import java.util.Map;

/**
 * The part every software-counted port shares (the in-process soft ports, pmd-vdev's kernel-interface
 * ports): identity, MAC, the start flag and one {@link QueueCounters} per queue, written by the queue's
 * polling thread. What the counters mean and how they sum up into {@link PortStats} is the port's.
 */
public abstract class CountedPort implements Port {
    private final int id;
    private final String name;
    private final MacAddress mac;
    protected final QueueCounters[] rxCounters;
    protected final QueueCounters[] txCounters;
    protected volatile boolean started;

    protected CountedPort(int id, String name, PortConfig config, MacAddress mac) {
        this.id = id;
        this.name = name;
        this.mac = mac;
        rxCounters = new QueueCounters[config.rxQueues()];
        txCounters = new QueueCounters[config.txQueues()];
        Arrays.setAll(rxCounters, q -> new QueueCounters());
        Arrays.setAll(txCounters, q -> new QueueCounters());
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
    public final boolean isStarted() {
        return started;
    }

    @Override
    public final MacAddress macAddress() {
        return mac;
    }

    /** Clears {@code into} and adds up every queue's packets and bytes; the port adds what its other counters mean. */
    protected final PortStats sumTraffic(PortStats into) {
        into.clear();
        for (QueueCounters c : rxCounters) {
            into.ipackets += c.packets;
            into.ibytes += c.bytes;
        }
        for (QueueCounters c : txCounters) {
            into.opackets += c.packets;
            into.obytes += c.bytes;
        }
        return into;
    }

    /** Each queue's packets and bytes as {@code rx_q0_packets}, {@code rx_q0_bytes}, … ({@code dir} is rx or tx). */
    protected static void putPerQueue(String dir, QueueCounters[] counters, Map<String, Long> x) {
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
