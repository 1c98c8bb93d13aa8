/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.igbvf;

import dev.wirespeed.core.device.vf.VectorWake;

/**
 * The VF's BAR0 registers and their bits (docs/research/igbvf-facts.md §2; Linux igbvf regs.h and
 * defines.h). The VF sees the PF's legacy-alias offsets: queue n's rx registers at 0x2800 + 0x100·n,
 * tx at 0x3800 + 0x100·n.
 */
final class Regs {
    private Regs() {
    }

    static final int CTRL = 0x0000;
    static final int CTRL_RST = 1 << 26;             // "VF's provide a function level reset" (e1000_reset_hw_vf)
    static final int STATUS = 0x0008;
    static final int STATUS_FD = 1;
    static final int STATUS_LU = 1 << 1;
    static final int STATUS_SPEED_MASK = 3 << 6;     // 0 = 10, 0x40 = 100, 0x80 = 1000
    static final int STATUS_SPEED_100 = 1 << 6;
    static final int STATUS_SPEED_1000 = 1 << 7;

    // interrupts: one bit per MSI-X vector, bits 2:0 (facts §2.1, §5)
    static final int EICS = 0x1520;
    static final int EIMS = 0x1524;
    static final int EIMC = 0x1528;
    static final int EIAC = 0x152C;
    static final int EIAM = 0x1530;
    static final int EICR = 0x1580;
    /** For the rx vector's wake source: VTEICR (write 1 to clear), VTEIMS, VTEIMC, and STATUS read as the flush (e1e_flush). */
    static final VectorWake.Registers WAKE = new VectorWake.Registers(EICR, EIMS, EIMC, STATUS);
    static final int VECTORS = 3;
    static final int ALL_VECTORS = 0x7;
    static final int IVAR0 = 0x1700;
    static final int IVAR_MISC = 0x1740;
    static final int IVAR_VALID = 0x80;

    static int eitr(int vector) {
        return 0x1680 + 4 * vector;
    }

    /** EITR interval field: bits 14:2 in ~1 µs units (igbvf ethtool: itr = usecs << 2). */
    static final int EITR_INTERVAL_SHIFT = 2;
    static final int EITR_INTERVAL_MAX = 0x1FFF;

    // mailbox
    static final int MBMEM = 0x0800;
    static final int MAILBOX = 0x0C40;

    // statistics, 32 bits each, not cleared on read (facts §6.1)
    static final int GPRC = 0x0F10;
    static final int GPTC = 0x0F14;
    static final int GORC = 0x0F18;
    static final int GOTC = 0x0F34;
    static final int MPRC = 0x0F3C;
    static final int GPRLBC = 0x0F40;
    static final int GPTLBC = 0x0F44;
    static final int GORLBC = 0x0F48;
    static final int GOTLBC = 0x0F50;

    // per queue
    static final int QUEUES = 2;
    static final int RDBAL = 0x2800;
    static final int RDBAH = 0x2804;
    static final int RDLEN = 0x2808;
    static final int SRRCTL = 0x280C;
    static final int RDH = 0x2810;
    static final int RDT = 0x2818;
    static final int RXDCTL = 0x2828;
    static final int TDBAL = 0x3800;
    static final int TDBAH = 0x3804;
    static final int TDLEN = 0x3808;
    static final int TDH = 0x3810;
    static final int DCA_TXCTRL = 0x3814;
    static final int TDT = 0x3818;
    static final int TXDCTL = 0x3828;

    static int q(int reg, int queue) {
        return reg + 0x100 * queue;
    }

    static final int DCTL_ENABLE = 1 << 25;
    static final int TXDCTL_SWFLSH = 1 << 26;
    /** Linux igbvf: rx PTHRESH 16, HTHRESH 8, WTHRESH 1 (igbvf_configure_rx; DPDK forces WTHRESH 1 for an 82576 erratum). */
    static final int RXDCTL_THRESHOLDS = 16 | 8 << 8 | 1 << 16;
    static final int DCA_TXCTRL_WB_RO = 1 << 11;   // cleared: "writebacks MUST be delivered in order"

    static final int SRRCTL_DESCTYPE_ONEBUF = 1 << 25;
    static final int SRRCTL_DROP_EN = 1 << 31;     // bit 31 on igb (bit 28 on ixgbe)
}
