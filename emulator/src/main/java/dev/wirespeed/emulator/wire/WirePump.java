/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.wire;

import dev.wirespeed.emulator.dma.DeviceWork;

import java.util.Objects;

/**
 * Connects a port's {@link WireEnd} to the world outside the process: each round fills the inbound
 * queue from {@code source} and empties the outbound queue into {@code drain}. It runs on the same
 * device thread as the port's DMA engine, so each queue keeps one producer and one consumer.
 */
public final class WirePump implements DeviceWork, AutoCloseable {
    private final WireEnd end;
    private final RxSource source;
    private final TxDrain drain;

    /** {@code source} or {@code drain} may be null: nothing arrives, or transmitted frames stay queued (caller drains). */
    public WirePump(WireEnd end, RxSource source, TxDrain drain) {
        this.end = Objects.requireNonNull(end, "end");
        this.source = source;
        this.drain = drain;
    }

    @Override
    public int doWork() {
        int work = 0;
        if (source != null) {
            work += source.fill(end.inbound());
        }
        if (drain != null) {
            work += drain.drain(end.outbound());
        }
        return work;
    }

    /**
     * Hands whatever still waits in the outbound queue to the drain (at close, once no thread runs the device:
     * a pass of the engine may have queued frames after the pump's last pass).
     */
    public void flushOutbound() {
        if (drain != null) {
            while (drain.drain(end.outbound()) > 0) {
                // until the queue is empty or the drain takes no more
            }
        }
    }

    public RxSource source() {
        return source;
    }

    public TxDrain drain() {
        return drain;
    }

    @Override
    public void close() {
        try {
            if (source != null) {
                source.close();
            }
        } finally {
            if (drain != null && drain != source) {
                drain.close();
            }
        }
    }
}
