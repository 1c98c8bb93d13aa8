/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

import dev.wirespeed.core.device.vf.VectorWake;

/**
 * BAR0 register offsets and bits of the 82599-family VF, as this driver reads the datasheet facts
 * (facts sheet §1). Deliberately not shared with the emulator: two independent readings catch a misread.
 */
final class Regs {
    private Regs() {
    }

    // ---- global registers (§1.1)
    static final int CTRL = 0x0000;
    static final int CTRL_RST = 1 << 26;
    static final int STATUS = 0x0008;
    static final int LINKS = 0x0010;
    static final int LINKS_UP = 1 << 30;
    static final int LINKS_SPEED_SHIFT = 28;
    static final int LINKS_NON_STD = 1 << 27;

    static final int EICR = 0x0100;
    static final int EICS = 0x0104;
    static final int EIMS = 0x0108;
    static final int EIMC = 0x010C;
    /** For an rx vector's wake source: cause, mask set, mask clear, and VFSTATUS read as the flush. */
    static final VectorWake.Registers WAKE = new VectorWake.Registers(EICR, EIMS, EIMC, STATUS);
    static final int EIAC = 0x0110;
    static final int EIAM = 0x0114;
    /** Register n covers the rx/tx causes of queues 2n and 2n+1. */
    static final int IVAR_BASE = 0x0120;
    static final int IVAR_MISC = 0x0140;
    static final int IVAR_VALID = 0x80;
    static final int EITR_BASE = 0x0820;
    static final int EITR_INTERVAL_MASK = 0x0FF8;
    static final int EITR_CNT_WDIS = 1 << 31;
    /** The VF has three MSI-X vectors; bit n of the interrupt registers is vector n (§5.1). */
    static final int VECTORS = 3;
    static final int ALL_VECTORS = 0b111;

    static final int MBMEM = 0x0200;
    static final int MBMEM_WORDS = 16;
    static final int MAILBOX = 0x02FC;

    static final int PSRTYPE = 0x0300;
    /** TCPHDR, UDPHDR, IPV4HDR, IPV6HDR, L2HDR (what Linux writes). */
    static final int PSRTYPE_HEADERS = (1 << 4) | (1 << 5) | (1 << 8) | (1 << 9) | (1 << 12);
    static final int PSRTYPE_RQPL_SHIFT = 29;

    // ---- X550 family only: the VF's own RSS (§1.1)
    static final int VFMRQC = 0x3000;
    /** RSSEN plus hashing on IPv4/TCP, IPv4, IPv6, IPv6/TCP. */
    static final int VFMRQC_RSS = 1 | 1 << 16 | 1 << 17 | 1 << 20 | 1 << 21;
    static final int VFRSSRK = 0x3100;
    /** The RSS key is 40 bytes: VFRSSRK, 10 registers (X550 family; an 82599/X540 VF hashes with its PF's key). */
    static final int RSS_KEY_BYTES = 40;
    static final int VFRETA = 0x3200;

    // ---- per queue (§1.2): stride 0x40; rx block at 0x1000, tx block at 0x2000
    static final int QUEUES = 8;
    static final int QUEUE_STRIDE = 0x40;

    static final int RDBAL = 0x1000;
    static final int RDBAH = 0x1004;
    static final int RDLEN = 0x1008;
    static final int DCA_RXCTRL = 0x100C;
    static final int RDH = 0x1010;
    static final int SRRCTL = 0x1014;
    static final int RDT = 0x1018;
    static final int RXDCTL = 0x1028;

    static final int TDBAL = 0x2000;
    static final int TDBAH = 0x2004;
    static final int TDLEN = 0x2008;
    static final int DCA_TXCTRL = 0x200C;
    static final int TDH = 0x2010;
    static final int TDT = 0x2018;
    static final int TXDCTL = 0x2028;
    static final int TDWBAL = 0x2038;
    static final int TDWBAH = 0x203C;

    /** RXDCTL/TXDCTL bit 25. Reading it returns the queue's real state. */
    static final int DCTL_ENABLE = 1 << 25;
    static final int RXDCTL_VME = 1 << 30;
    /** Per-queue long-packet limit (bits 13:0) and its enable; not on the 82599 (Linux defines.h, ixgbevf_configure_rx_ring). */
    static final int RXDCTL_RLPML_MASK = 0x3FFF;
    static final int RXDCTL_RLPML_EN = 1 << 15;
    static final int TXDCTL_SWFLSH = 1 << 26;
    /** PTHRESH 32, HTHRESH 1, WTHRESH 0: with RS every N descriptors, WTHRESH must be 0 (§4.5). */
    static final int TXDCTL_THRESHOLDS = 32 | (1 << 8);

    static final int DCA_RXCTRL_DESC_RRO = 1 << 9;
    static final int DCA_TXCTRL_DESC_RRO = 1 << 9;
    static final int DCA_TXCTRL_DATA_RRO = 1 << 13;

    static final int SRRCTL_BSIZEPKT_SHIFT = 10; // the field counts KiB
    static final int SRRCTL_BSIZEHDR_SHIFT = 8;  // 64-byte units, at bits 13:8
    static final int SRRCTL_DESCTYPE_ADV_ONEBUF = 1 << 25;
    static final int SRRCTL_DROP_EN = 1 << 28;

    // ---- statistics, at the queue-0 offsets only, counting the whole VF (§1.3)
    static final int GPRC = 0x101C;
    static final int GORC_LSB = 0x1020;
    static final int GORC_MSB = 0x1024;
    static final int MPRC = 0x1034;
    static final int GPTC = 0x201C;
    static final int GOTC_LSB = 0x2020;
    static final int GOTC_MSB = 0x2024;

    static int rx(int reg, int queue) {
        return reg + QUEUE_STRIDE * queue;
    }

    static int tx(int reg, int queue) {
        return reg + QUEUE_STRIDE * queue;
    }

    static int eitr(int vector) {
        return EITR_BASE + 4 * vector;
    }
}
