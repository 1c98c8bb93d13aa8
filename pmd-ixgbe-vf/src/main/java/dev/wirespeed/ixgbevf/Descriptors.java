/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

import dev.wirespeed.core.device.vf.AdvancedDescriptors;
import dev.wirespeed.core.device.vf.RxDialect;

/**
 * The 82599 family's side of the advanced descriptors (facts §2); the layout both VF families share is
 * {@link AdvancedDescriptors}.
 */
final class Descriptors {
    private Descriptors() {
    }

    static final int SIZE = AdvancedDescriptors.SIZE;

    /**
     * Rx write-back (facts §2.1): CE, LE, PE, OSE, USE (0x3B000000) mean the frame itself is bad; L4CS
     * bit 5; IPE bit 31, TCPE bit 30; the packet-type field is bits 16:4 (13 bits on X550, 12 before, the
     * 13th reads 0), kept in place so the facts sheet's flags apply as written (0x10 IPv4, 0x100 TCP...);
     * VLAN tags always little-endian.
     */
    static final RxDialect RX = new RxDialect(0x3B00_0000, 1 << 5, 1 << 31, 1 << 30, 0x1FFF0, 0);

    /** Tx olinfo CC, check context: set in every data descriptor (facts §2.3, §8.9). */
    static final int TX_CC = 1 << 7;
}
