/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.jmh;

import dev.wirespeed.core.packet.PacketBatch;
import dev.wirespeed.core.packet.PacketPool;
import dev.wirespeed.core.port.Port;
import org.agrona.concurrent.Agent;

/**
 * The application side of the wake-up benchmarks: polls rx queue 0 of a port and, for every packet,
 * records now minus the send time the sender stored in it ({@link #sentAt}), then frees it. By default
 * the stamp is the packet's user data (a {@code ring:} port carries it from the sender's pool).
 */
class LatencyRecordingAgent implements Agent {
    private final Port port;
    private final LatencyProbe probe;
    private final PacketBatch batch = new PacketBatch(32);

    LatencyRecordingAgent(Port port, LatencyProbe probe) {
        this.port = port;
        this.probe = probe;
    }

    /** The sender's {@link System#nanoTime()} stamp carried by packet {@code handle}. */
    long sentAt(int handle) {
        return PacketPool.of(handle).userData(handle);
    }

    @Override
    public int doWork() {
        int n = port.rx(0, batch);
        if (n == 0) {
            return 0;
        }
        long now = System.nanoTime();
        int[] handles = batch.handles();
        for (int i = 0; i < n; i++) {
            int h = handles[i];
            probe.record(sentAt(h), now);
        }
        batch.freeAll();
        return n;
    }

    @Override
    public String roleName() {
        return "wake-up-latency-consumer";
    }
}
