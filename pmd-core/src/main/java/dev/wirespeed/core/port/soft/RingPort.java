/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.port.soft;

import dev.wirespeed.core.idle.WakeSource;
import dev.wirespeed.core.packet.HandleRing;
import dev.wirespeed.core.packet.MacAddress;
import dev.wirespeed.core.packet.PacketBatch;
import dev.wirespeed.core.port.LinkStatus;
import dev.wirespeed.core.port.Port;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.core.port.PortStats;
import dev.wirespeed.core.port.QueueCounters;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One end of an in-process link, like DPDK's {@code net_ring}: open {@code ring:NAME} twice and what one
 * port transmits on queue q, the other receives on queue q. Packets cross as handles, with no copy; the
 * receiver frees them to their own pool, from whichever thread (see {@code PacketPool}).
 * Rx interrupts are supported, so a ring port can drive the interrupt idle strategy.
 */
public final class RingPort implements Port {
    private final int id;
    private final String name;
    private final RingLink link;
    private final HandleRing[] incoming;
    private final HandleRing[] outgoing;
    private final RingWake[] myWakes;
    private final RingWake[] peerWakes;
    private final QueueCounters[] rxCounters;
    private final QueueCounters[] txCounters;
    private final boolean rxInterrupts;
    private final MacAddress mac;
    private volatile boolean started;
    private boolean closed;
    private boolean promiscuous;
    private boolean allMulticast;

    RingPort(int id, String name, String linkName, PortConfig config) {
        this.id = id;
        this.name = name;
        int queues = Math.max(config.rxQueues(), config.txQueues());
        this.link = RingLink.attach(linkName, queues, Math.max(config.rxRingSize(), config.txRingSize()), this);
        boolean a = link.sideOf(this) == 0;
        this.incoming = a ? link.bToA : link.aToB;
        this.outgoing = a ? link.aToB : link.bToA;
        this.myWakes = a ? link.wakeA : link.wakeB;
        this.peerWakes = a ? link.wakeB : link.wakeA;
        this.rxCounters = counters(config.rxQueues());
        this.txCounters = counters(config.txQueues());
        this.rxInterrupts = config.rxInterrupts();
        this.mac = new MacAddress(0x0200_0000_0000L | 0xB0_0000L | id);
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
        if (!started) {
            return 0;
        }
        int first = batch.size();
        int n = incoming[queue].poll(batch.handles(), first, batch.remaining());
        batch.setSize(first + n);
        c.packets += n;
        return n;
    }

    @Override
    public int tx(int queue, PacketBatch batch) {
        QueueCounters c = txCounters[queue];
        int size = batch.size();
        if (size == 0 || !started) {
            return 0;
        }
        int n = outgoing[queue].offer(batch.handles(), 0, size);
        if (n > 0) {
            peerWakes[queue].notifyArrival();
            batch.removeFirst(n);
            c.packets += n;
        }
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

    /** Stops and frees every packet waiting for this port to receive it. */
    @Override
    public void stop() {
        started = false;
        for (HandleRing ring : incoming) {
            RingLink.drain(ring);
        }
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
        return PortConfig.MAX_MTU;
    }

    @Override
    public LinkStatus linkStatus() {
        return link.peerOf(this) == null ? LinkStatus.DOWN : new LinkStatus(true, 0, true);
    }

    @Override
    public PortStats stats(PortStats into) {
        into.clear();
        for (QueueCounters c : rxCounters) {
            into.ipackets += c.packets;
        }
        for (QueueCounters c : txCounters) {
            into.opackets += c.packets;
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
        if (!rxInterrupts) {
            throw new IllegalStateException(name + ": rx interrupts are off; open the port with PortConfig.builder().rxInterrupts(true)");
        }
        return myWakes[queue];
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            stop();
            link.detach(this);
        }
    }

    @Override
    public String toString() {
        return "port " + id + " (" + name + ")";
    }
}
