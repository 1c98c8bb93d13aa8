/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.regs;

/**
 * BAR0 offsets and bit names of the emulated ixgbe VF, written from the facts sheet
 * ({@code facts/ixgbevf.md} §1, §5), independently of the driver's own constants: if the two
 * readings disagree, conformance tests against the emulator catch it.
 */
public final class VfRegisterMap {
    private VfRegisterMap() {
    }

    /** BAR0 is 16 KiB on the VF (facts §1). */
    public static final int BAR0_SIZE = 0x4000;

    // ---- global registers (facts §1.1)
    public static final int CTRL = 0x0000;
    /** CTRL bit 26: VF software reset; self-clearing. */
    public static final int CTRL_RESET = 1 << 26;
    public static final int STATUS = 0x0008;
    public static final int LINKS = 0x0010;
    public static final int LINKS_UP = 1 << 30;
    public static final int LINKS_SPEED_SHIFT = 28;
    public static final int LINKS_SPEED_MASK = 0b11 << LINKS_SPEED_SHIFT;
    /** X550 and later: the speed code means the "non-standard" speed (2.5G / 5G). */
    public static final int LINKS_NON_STD = 1 << 27;

    public static final int EICR = 0x0100;
    public static final int EICS = 0x0104;
    public static final int EIMS = 0x0108;
    public static final int EIMC = 0x010C;
    public static final int EIAC = 0x0110;
    public static final int EIAM = 0x0114;
    /** IVAR(n) at 0x120 + 4n covers queues 2n and 2n+1 (facts §5.1). */
    public static final int IVAR_BASE = 0x0120;
    public static final int IVAR_COUNT = 4;
    public static final int IVAR_MISC = 0x0140;
    /** Valid bit of one IVAR byte. */
    public static final int IVAR_VALID = 0x80;

    public static final int MBMEM = 0x0200;
    public static final int MBMEM_WORDS = 16;
    public static final int MAILBOX = 0x02FC;
    public static final int PSRTYPE = 0x0300;
    /** EITR(n) at 0x820 + 4n, n = 0..2. */
    public static final int EITR_BASE = 0x0820;
    /** EITR interval field, bits 11:3, in units of 2.048 µs (facts §5.2). */
    public static final int EITR_INTERVAL_MASK = 0x0FF8;
    /** EITR bit 31: do not overwrite the running throttle counter on this write. */
    public static final int EITR_CNT_WDIS = 1 << 31;

    // X550+ only (facts §1.1)
    public static final int MRQC = 0x3000;
    public static final int RSSRK_BASE = 0x3100;
    public static final int RSSRK_COUNT = 10;
    public static final int RETA_BASE = 0x3200;
    public static final int RETA_COUNT = 16;

    // ---- per-queue blocks (facts §1.2)
    public static final int QUEUE_COUNT = 8;
    public static final int QUEUE_STRIDE = 0x40;
    public static final int RX_BLOCK = 0x1000;
    public static final int TX_BLOCK = 0x2000;

    // offsets inside an rx block
    public static final int RDBAL = 0x00;
    public static final int RDBAH = 0x04;
    public static final int RDLEN = 0x08;
    public static final int DCA_RXCTRL = 0x0C;
    public static final int RDH = 0x10;
    public static final int SRRCTL = 0x14;
    public static final int RDT = 0x18;
    public static final int RXDCTL = 0x28;

    // offsets inside a tx block
    public static final int TDBAL = 0x00;
    public static final int TDBAH = 0x04;
    public static final int TDLEN = 0x08;
    public static final int DCA_TXCTRL = 0x0C;
    public static final int TDH = 0x10;
    public static final int TDT = 0x18;
    public static final int TXDCTL = 0x28;
    public static final int TDWBAL = 0x38;
    public static final int TDWBAH = 0x3C;

    // statistics: only at queue 0's offsets, counting the whole VF (facts §1.2, §1.3)
    public static final int GPRC = 0x101C;
    public static final int GORC_LSB = 0x1020;
    public static final int GORC_MSB = 0x1024;
    public static final int MPRC = 0x1034;
    public static final int GPTC = 0x201C;
    public static final int GOTC_LSB = 0x2020;
    public static final int GOTC_MSB = 0x2024;

    // ---- bits
    /** RXDCTL / TXDCTL bit 25. */
    public static final int DCTL_ENABLE = 1 << 25;
    public static final int RXDCTL_VME = 1 << 30;
    public static final int TXDCTL_SWFLSH = 1 << 26;
    /** DCA_RXCTRL bit 12: resets to 1, must be written 0 or received data is garbage (facts §8.7). */
    public static final int DCA_RXCTRL_BIT12 = 1 << 12;
    public static final int DCA_RXCTRL_DESC_RRO = 1 << 9;
    /** DCA_TXCTRL bit 11: relaxed ordering of descriptor write-back (facts §1.2, §8.13). */
    public static final int DCA_TXCTRL_DESC_WRO = 1 << 11;
    public static final int SRRCTL_BSIZEPKT_MASK = 0x1F;
    public static final int SRRCTL_BSIZEHDR_SHIFT = 8;
    public static final int SRRCTL_BSIZEHDR_MASK = 0x3F << SRRCTL_BSIZEHDR_SHIFT;
    public static final int SRRCTL_DESCTYPE_SHIFT = 25;
    public static final int SRRCTL_DESCTYPE_MASK = 0b111 << SRRCTL_DESCTYPE_SHIFT;
    public static final int SRRCTL_DESCTYPE_ADV_ONEBUF = 0b001 << SRRCTL_DESCTYPE_SHIFT;
    public static final int SRRCTL_DROP_EN = 1 << 28;
    public static final int TDWBAL_HEAD_WB_EN = 1;

    /** Offset of an rx-block register of queue {@code q}. */
    public static int rx(int q, int reg) {
        return RX_BLOCK + QUEUE_STRIDE * q + reg;
    }

    /** Offset of a tx-block register of queue {@code q}. */
    public static int tx(int q, int reg) {
        return TX_BLOCK + QUEUE_STRIDE * q + reg;
    }

    public static int ivar(int n) {
        return IVAR_BASE + 4 * n;
    }

    public static int eitr(int vector) {
        return EITR_BASE + 4 * vector;
    }

    public static int mbmem(int word) {
        return MBMEM + 4 * word;
    }
}
