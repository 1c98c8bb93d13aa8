/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.wire;

import java.util.Objects;

/**
 * Where an emulated port's frames come from and go to: {@code inbound} holds frames arriving from the
 * wire (the port's rx consumes them), {@code outbound} takes what the port transmits.
 */
public record WireEnd(String name, FrameQueue inbound, FrameQueue outbound) {
    public WireEnd {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(inbound, "inbound");
        Objects.requireNonNull(outbound, "outbound");
    }

    /** Default depth of a wire in frames. */
    public static final int DEFAULT_DEPTH = 1024;

    /** Two ports back to back: what one sends, the other receives. */
    public static WireEnd[] pair(String name, int depth) {
        FrameQueue ab = new FrameQueue(depth);
        FrameQueue ba = new FrameQueue(depth);
        return new WireEnd[]{new WireEnd("pair:" + name + "/a", ba, ab), new WireEnd("pair:" + name + "/b", ab, ba)};
    }

    /** A port that receives what it sends. */
    public static WireEnd loopback(int depth) {
        FrameQueue q = new FrameQueue(depth);
        return new WireEnd("loopback", q, q);
    }
}
