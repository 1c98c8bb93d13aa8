/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

import dev.wirespeed.core.device.vf.AdvancedRxRing;
import dev.wirespeed.core.packet.PacketPool;

import java.lang.foreign.MemorySegment;

/** An 82599-family rx ring: the shared ring with this family's write-back bits ({@link Descriptors#RX}). */
final class RxQueue extends AdvancedRxRing {
    RxQueue(int index, MemorySegment ring, long ringIova, int size, PacketPool pool, int portId,
            boolean reportChecksums, boolean stripVlan) {
        super(index, ring, ringIova, size, pool, portId, reportChecksums, stripVlan, Descriptors.RX);
    }
}
