/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.samples.pktgen;

import dev.wirespeed.core.packet.PacketBatch;
import dev.wirespeed.core.packet.PacketPool;
import dev.wirespeed.core.port.Port;

/**
 * The transmit side: writes numbered frames into buffers from {@code pool} and sends them on queue 0 of
 * {@code port}, paced by a {@link Pacer}. Frames the tx ring refuses stay in the batch and go first next
 * time, so the frames on the wire are exactly 0, 1, 2, … {@link #sent()} - 1. No allocation per burst.
 */
final class TxGenerator {
    private final Port port;
    private final PacketPool pool;
    private final PacketBatch batch;
    private final int length;
    private final int flows;
    private final long count;
    private final long dst;
    private final long src;
    private final Pacer pacer;
    private long written;
    private long sent;

    /** @param count frames to send, 0 for no limit */
    TxGenerator(Port port, PacketPool pool, int burst, int length, int flows, long count, long rate, long dst, long src, long startNanos) {
        this.port = port;
        this.pool = pool;
        this.batch = new PacketBatch(burst);
        this.length = length;
        this.flows = flows;
        this.count = count;
        this.dst = dst;
        this.src = src;
        this.pacer = new Pacer(rate, startNanos);
    }

    /** One round: top the batch up as the pacer allows, send what the ring takes. Returns frames sent. */
    int poll(long nowNanos) {
        int room = batch.remaining();
        if (count > 0) {
            room = (int) Math.min(room, count - written);
        }
        int n = room > 0 ? pacer.allowed(nowNanos, room) : 0;
        for (int i = 0; i < n; i++) {
            int h = pool.alloc();
            if (h == PacketPool.NO_PACKET) {
                break; // every buffer is in flight; the next round retries
            }
            pool.setLength(h, length);
            TestFrame.write(pool.memory(), pool.dataOffset(h), length, dst, src, written, (int) (written % flows), nowNanos);
            batch.add(h);
            written++;
            pacer.sent(1);
        }
        if (batch.isEmpty()) {
            return 0;
        }
        int s = port.tx(0, batch);
        sent += s;
        return s;
    }

    /** True once the count is reached and every frame written has been sent. */
    boolean finished() {
        return count > 0 && sent == count;
    }

    /** Gives back frames written but not sent (at a stop); they were never on the wire. */
    void discardUnsent() {
        batch.freeAll();
        written = sent;
    }

    long sent() {
        return sent;
    }
}
