/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.wire;

/**
 * Frames waiting to be received by an emulated port, read in place: the rx DMA engine looks at the
 * oldest frame where it lies ({@link #frameArray()} at {@link #frameOffset()}), copies it into the
 * ring's buffers, and only then {@link #take()}s it. A frame the port cannot take yet (no free
 * descriptors, no drop) stays put and is looked at again on the next pass. Nothing is copied on the
 * way in, so a generator's frame reaches the rx buffer with one copy. Device thread only.
 *
 * <p>Frames are held in heap arrays, not in memory segments: the rx path reads a dozen header fields
 * of every frame to classify it, and an array read is checked against the array's length only.
 */
public interface RxFrames {
    /** The oldest frame's length, or -1 if none is waiting; its bytes stay valid until {@link #take()}. */
    int peek();

    /** The array holding the frame {@link #peek()} announced. */
    byte[] frameArray();

    /** Where in {@link #frameArray()} that frame starts. */
    int frameOffset();

    /** Removes the frame {@link #peek()} announced. */
    void take();

    /**
     * Whether this source only offers frames as fast as the port takes them: then a frame that finds no
     * free descriptor waits for one even with SRRCTL.DROP_EN, as if the link partner honoured flow
     * control. A real link (a queue fed by another port, a TAP, a rate-limited generator) says no: its
     * frames arrive whether or not the port keeps up, and DROP_EN drops them.
     */
    default boolean waitsForDescriptors() {
        return false;
    }
}
