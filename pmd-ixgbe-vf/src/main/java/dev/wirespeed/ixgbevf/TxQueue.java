/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

import dev.wirespeed.core.device.vf.AdvancedTxRing;

import java.lang.foreign.MemorySegment;

/** An 82599-family tx ring: the shared ring with CC set in every data descriptor (facts §2.3). */
final class TxQueue extends AdvancedTxRing {
    TxQueue(int index, MemorySegment ring, long ringIova, int size) {
        super(index, ring, ringIova, size, Descriptors.TX_CC);
    }
}
