/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.samples.l2fwd;

import dev.wirespeed.core.packet.Ethernet;
import dev.wirespeed.core.packet.PacketBatch;
import dev.wirespeed.core.packet.PacketPool;
import dev.wirespeed.core.port.Port;
import org.agrona.concurrent.Agent;

/**
 * One lcore's work: for each rx port it owns, receive a burst, optionally rewrite the MACs (destination
 * 02:00:00:00:00:&lt;tx port&gt;, source = the tx port's MAC), and send it on the paired port's queue 0.
 * What the tx ring refuses is freed and counted as dropped, as DPDK's l2fwd does.
 */
final class ForwardingAgent implements Agent {
    private final String name;
    private final Port[] rxPorts;
    private final Port[] txPorts;
    private final PacketBatch[] batches;
    private final ForwardCounters[] rxCounters;
    private final ForwardCounters[] txCounters;
    private final long[] dstMacs;
    private final long[] srcMacs;
    private final boolean macUpdating;
    private final PacketPool pool;

    ForwardingAgent(String name, Port[] rxPorts, Port[] txPorts, ForwardCounters[] rxCounters, ForwardCounters[] txCounters,
                    int burst, boolean macUpdating, PacketPool pool) {
        this.name = name;
        this.rxPorts = rxPorts;
        this.txPorts = txPorts;
        this.rxCounters = rxCounters;
        this.txCounters = txCounters;
        this.macUpdating = macUpdating;
        this.pool = pool;
        this.batches = new PacketBatch[rxPorts.length];
        this.dstMacs = new long[rxPorts.length];
        this.srcMacs = new long[rxPorts.length];
        for (int i = 0; i < rxPorts.length; i++) {
            batches[i] = new PacketBatch(burst);
            dstMacs[i] = 0x0200_0000_0000L | (txPorts[i].id() & 0xFF);
            srcMacs[i] = txPorts[i].macAddress().value();
        }
    }

    @Override
    public void onStart() {
        pool.adopt(); // rx buffers are allocated on this thread from now on
    }

    @Override
    public int doWork() {
        int work = 0;
        for (int i = 0; i < rxPorts.length; i++) {
            PacketBatch batch = batches[i];
            int n = rxPorts[i].rx(0, batch);
            if (n == 0) {
                continue;
            }
            work += n;
            ForwardCounters rc = rxCounters[i];
            rc.rxPackets += n;
            if (macUpdating) {
                rewrite(batch, dstMacs[i], srcMacs[i]);
            }
            int sent = txPorts[i].tx(0, batch);
            ForwardCounters tc = txCounters[i];
            tc.txPackets += sent;
            if (!batch.isEmpty()) {
                tc.dropped += batch.size();
                batch.freeAll();
            }
        }
        return work;
    }

    private static void rewrite(PacketBatch batch, long dst, long src) {
        int[] handles = batch.handles();
        PacketPool p = PacketPool.of(handles[0]);
        for (int j = 0, n = batch.size(); j < n; j++) {
            int h = handles[j];
            if ((h >>> 24) != p.id()) {
                p = PacketPool.of(h);
            }
            Ethernet.setAddresses(p, h, dst, src);
        }
    }

    /** Frees whatever a burst left behind (nothing, normally); called after the thread stopped. */
    void drain() {
        for (PacketBatch b : batches) {
            b.freeAll();
        }
    }

    Port[] rxPorts() {
        return rxPorts.clone();
    }

    @Override
    public String roleName() {
        return name;
    }
}
