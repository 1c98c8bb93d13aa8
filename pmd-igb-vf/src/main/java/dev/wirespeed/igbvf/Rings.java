/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.igbvf;

import dev.wirespeed.core.device.vf.AdvancedRxRing;
import dev.wirespeed.core.device.vf.AdvancedTxRing;
import dev.wirespeed.core.device.vf.RxDialect;
import dev.wirespeed.core.packet.PacketPool;

import java.lang.foreign.MemorySegment;

/** The 82576/I350 side of the shared advanced rings (facts §3). */
final class Rings {
    private Rings() {
    }

    /** Status LB (bit 18): the frame was looped back VM to VM; on I350 its VLAN field is then big-endian. */
    static final int RX_LB = 1 << 18;

    /**
     * Rx write-back (facts §3.1): CE|SE|SEQ|CXE|RXE (0x97000000, E1000_RXDEXT_ERR_FRAME_ERR_MASK) mean the
     * frame is bad and igbvf drops it; L4 checked = TCPCS (bit 5) or UDPCS (bit 4); IPE bit 30, TCPE
     * bit 29, one lower than ixgbe's; packet type bits 15:4.
     */
    static RxDialect dialect(Chip chip) {
        return new RxDialect(0x9700_0000, 1 << 5 | 1 << 4, 1 << 30, 1 << 29, 0xFFF0, chip.swapsLoopbackVlan() ? RX_LB : 0);
    }

    static final class Rx extends AdvancedRxRing {
        Rx(int index, MemorySegment ring, long iova, int size, PacketPool pool, int portId, boolean checksums, boolean strip, Chip chip) {
            super(index, ring, iova, size, pool, portId, checksums, strip, dialect(chip));
        }
    }

    /** No CC bit on igb (facts §3.2: none in any igb/igbvf/DPDK source); the context comes first instead. */
    static final class Tx extends AdvancedTxRing {
        Tx(int index, MemorySegment ring, long iova, int size) {
            super(index, ring, iova, size, 0);
        }
    }
}
