/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.jmh;

import dev.wirespeed.core.packet.PacketBatch;
import dev.wirespeed.core.packet.PacketPool;
import dev.wirespeed.core.port.Port;
import org.agrona.concurrent.Agent;

/**
 * The application side of the wake-up benchmarks: polls one rx queue and, for every packet, records
 * now minus the send time the sender stored in the packet's user data, then frees it (back to the
 * sender's pool through its return queue).
 */
final class LatencyRecordingAgent implements Agent {
    private final Port port;
    private final LatencyProbe probe;
    private final PacketBatch batch = new PacketBatch(32);

    LatencyRecordingAgent(Port port, LatencyProbe probe) {
        this.port = port;
        this.probe = probe;
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
            probe.record(PacketPool.of(h).userData(h), now);
        }
        batch.freeAll();
        return n;
    }

    @Override
    public String roleName() {
        return "wake-up-latency-consumer";
    }
}
