/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.wire;

/**
 * Where frames arriving at an emulated port come from when the far end is not another port: a
 * generator, a pcap file, a TAP interface. Called on the device thread only, which makes it the single
 * producer of the port's inbound queue.
 */
public interface RxSource extends AutoCloseable {
    /** Moves up to a burst of frames into {@code inbound}; returns how many (0 = nothing to do now). */
    int fill(FrameQueue inbound);

    @Override
    default void close() {
    }
}
