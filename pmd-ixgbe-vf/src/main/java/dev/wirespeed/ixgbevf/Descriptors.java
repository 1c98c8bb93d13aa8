/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The 16-byte advanced descriptors (facts §2), little-endian whatever the CPU. Field offsets within a
 * descriptor and the status/command bits both directions use.
 */
final class Descriptors {
    private Descriptors() {
    }

    static final int SIZE = 16;
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** For the acquire-ordered read of the word the device writes last (status with DD). */
    static final VarHandle INT_HANDLE = INT.varHandle();

    // ---- rx read format: QW0 packet buffer address, QW1 header buffer address (bit 0 overlaps DD)
    static final long RX_PKT_ADDR = 0;
    static final long RX_HDR_ADDR = 8;
    // ---- rx write-back format
    static final long RX_WB_INFO = 0;       // RSS type 3:0, packet type 16:4
    static final long RX_WB_RSS = 4;        // RSS hash
    static final long RX_WB_STATUS = 8;     // extended status 19:0, errors 31:20
    static final long RX_WB_LEN_VLAN = 12;  // length 15:0, VLAN tag 31:16

    static final int RX_DD = 1;
    static final int RX_EOP = 1 << 1;
    static final int RX_VP = 1 << 3;
    static final int RX_L4CS = 1 << 5;
    static final int RX_IPCS = 1 << 6;
    /** CE, LE, PE, OSE, USE: the frame itself is bad. */
    static final int RX_FRAME_ERRORS = 0x3B00_0000;
    static final int RX_TCPE = 1 << 30;
    static final int RX_IPE = 1 << 31;
    static final int RX_RSS_TYPE_MASK = 0xF;
    /**
     * The packet-type field (bits 16:4) kept in place, so the facts sheet's flags apply as written:
     * 0x10 IPv4, 0x40 IPv6, 0x100 TCP, 0x200 UDP... 13 bits on X550, 12 before (the 13th reads 0).
     */
    static final int RX_PTYPE_MASK = 0x1FFF0;

    // ---- tx data descriptor: QW0 buffer address, then cmd_type_len and olinfo_status
    static final long TX_ADDR = 0;
    static final long TX_CMD_TYPE_LEN = 8;
    static final long TX_OLINFO = 12;  // also the write-back status word (DD in bit 0)
    static final int TX_DTYP_DATA = 0x0030_0000;
    static final int TX_DTYP_CONTEXT = 0x0020_0000;
    static final int TX_EOP = 1 << 24;
    static final int TX_IFCS = 1 << 25;
    static final int TX_RS = 1 << 27;
    static final int TX_DEXT = 1 << 29;
    static final int TX_VLE = 1 << 30;
    static final int TX_CC = 1 << 7;
    static final int TX_POPTS_IXSM = 1 << 8;
    static final int TX_POPTS_TXSM = 1 << 9;
    static final int TX_PAYLEN_SHIFT = 14;
    static final int TX_WB_DD = 1;
    /** Largest DTALEN per descriptor (Linux's per-descriptor data limit). */
    static final int TX_MAX_DATA = 1 << 14;

    // ---- tx context descriptor
    static final long CTX_VLAN_MACIP_LENS = 0;
    static final long CTX_SEQNUM_SEED = 4;
    static final long CTX_TYPE_TUCMD_MLHL = 8;
    static final long CTX_MSS_L4LEN_IDX = 12;
    static final int CTX_MACLEN_SHIFT = 9;
    static final int CTX_VLAN_SHIFT = 16;
    static final int CTX_TUCMD_IPV4 = 1 << 10;
    static final int CTX_L4T_UDP = 0;
    static final int CTX_L4T_TCP = 1 << 11;
    static final int CTX_L4T_RESERVED = 3 << 11;
}
