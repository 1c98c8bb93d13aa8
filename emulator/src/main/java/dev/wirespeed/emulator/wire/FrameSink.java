/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.wire;

import java.lang.foreign.MemorySegment;

/** Something a transmitting port hands frames to: a wire's queue, or the PF's internal switch. */
public interface FrameSink {
    /** Takes a copy of {@code length} bytes at {@code offset}; false if the frame could not be taken (and is dropped). */
    boolean offer(MemorySegment src, long offset, int length);

    /** Takes every frame and keeps none: the far end of a port whose transmissions nobody looks at. */
    FrameSink DISCARD = (src, offset, length) -> true;
}
