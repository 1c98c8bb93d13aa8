/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.wire;

/**
 * Where an emulated port's transmitted frames go when the far end is not another port: a verifying
 * sink, a pcap file, a TAP interface, nowhere. Called on the device thread only, which makes it the
 * single consumer of the port's outbound queue.
 */
public interface TxDrain extends AutoCloseable {
    /** Takes up to a burst of frames out of {@code outbound}; returns how many (0 = nothing to do now). */
    int drain(FrameQueue outbound);

    @Override
    default void close() {
    }

    /** Drops every frame, counting them: the far end of a port whose transmissions nobody looks at. */
    static TxDrain discard() {
        return new TxDrain() {
            @Override
            public int drain(FrameQueue outbound) {
                int n = 0;
                while (n < 64 && outbound.peekLength() >= 0) {
                    outbound.drop();
                    n++;
                }
                return n;
            }
        };
    }
}
