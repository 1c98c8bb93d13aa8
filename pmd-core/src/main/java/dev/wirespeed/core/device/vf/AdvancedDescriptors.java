/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.device.vf;

import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The 16-byte advanced descriptors of Intel's VFs, little-endian whatever the CPU: the 82599 family
 * (ixgbevf facts §2) and the 82576/I350 (igbvf facts §3) lay them out alike. Field offsets and the bits
 * both families share; where they differ (rx error bits, packet-type width, tx CC) the drivers say so
 * through {@link RxDialect} and {@link AdvancedTxRing}'s constructor.
 */
public final class AdvancedDescriptors {
    private AdvancedDescriptors() {
    }

    public static final int SIZE = 16;
    public static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** For the acquire-ordered read of the word the device writes last (status with DD). */
    public static final VarHandle INT_HANDLE = INT.varHandle();

    // ---- rx read format: QW0 packet buffer address, QW1 header buffer address (bit 0 overlaps DD)
    public static final long RX_PKT_ADDR = 0;
    public static final long RX_HDR_ADDR = 8;
    // ---- rx write-back format
    public static final long RX_WB_INFO = 0;       // RSS type 3:0, packet type 16:4
    public static final long RX_WB_RSS = 4;        // RSS hash
    public static final long RX_WB_STATUS = 8;     // extended status 19:0, errors 31:20
    public static final long RX_WB_LEN_VLAN = 12;  // length 15:0, VLAN tag 31:16

    public static final int RX_DD = 1;
    public static final int RX_EOP = 1 << 1;
    public static final int RX_VP = 1 << 3;
    public static final int RX_IPCS = 1 << 6;
    public static final int RX_RSS_TYPE_MASK = 0xF;

    // ---- tx data descriptor: QW0 buffer address, then cmd_type_len and olinfo_status
    public static final long TX_ADDR = 0;
    public static final long TX_CMD_TYPE_LEN = 8;
    public static final long TX_OLINFO = 12;  // also the write-back status word (DD in bit 0)
    public static final int TX_DTYP_DATA = 0x0030_0000;
    public static final int TX_DTYP_CONTEXT = 0x0020_0000;
    public static final int TX_EOP = 1 << 24;
    public static final int TX_IFCS = 1 << 25;
    public static final int TX_RS = 1 << 27;
    public static final int TX_DEXT = 1 << 29;
    public static final int TX_VLE = 1 << 30;
    public static final int TX_POPTS_IXSM = 1 << 8;
    public static final int TX_POPTS_TXSM = 1 << 9;
    public static final int TX_PAYLEN_SHIFT = 14;
    public static final int TX_WB_DD = 1;
    /** Largest DTALEN per descriptor (Linux's per-descriptor data limit). */
    public static final int TX_MAX_DATA = 1 << 14;

    // ---- tx context descriptor
    public static final long CTX_VLAN_MACIP_LENS = 0;
    public static final long CTX_SEQNUM_SEED = 4;
    public static final long CTX_TYPE_TUCMD_MLHL = 8;
    public static final long CTX_MSS_L4LEN_IDX = 12;
    public static final int CTX_MACLEN_SHIFT = 9;
    public static final int CTX_VLAN_SHIFT = 16;
    public static final int CTX_TUCMD_IPV4 = 1 << 10;
    public static final int CTX_L4T_UDP = 0;
    public static final int CTX_L4T_TCP = 1 << 11;
    public static final int CTX_L4T_RESERVED = 3 << 11;
}
