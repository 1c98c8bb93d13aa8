/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator;

/**
 * Register offsets and bits as the tests read them from {@code facts/ixgbevf.md}, typed in again on
 * purpose: tests must not reuse the model's constants, or a misreading in the model would pass.
 */
public final class Facts {
    private Facts() {
    }

    // §1.1 global registers
    public static final int VFCTRL = 0x0000, VFCTRL_RST = 0x04000000;
    public static final int VFSTATUS = 0x0008;
    public static final int VFLINKS = 0x0010, LINKS_UP = 0x40000000, LINKS_NON_STD = 1 << 27;
    public static final int VTEICR = 0x0100, VTEICS = 0x0104, VTEIMS = 0x0108, VTEIMC = 0x010C, VTEIAC = 0x0110, VTEIAM = 0x0114;
    public static final int VTIVAR0 = 0x0120, VTIVAR_MISC = 0x0140;
    public static final int VFMBMEM = 0x0200, VFMAILBOX = 0x02FC;
    public static final int VFPSRTYPE = 0x0300;
    public static final int VTEITR0 = 0x0820;
    public static final int EITR_CNT_WDIS = 0x80000000;
    public static final int VFMRQC = 0x3000, VFRSSRK0 = 0x3100, VFRETA0 = 0x3200;

    // §1.2 queue registers
    public static final int VFRDBAL = 0x1000, VFRDBAH = 0x1004, VFRDLEN = 0x1008, VFDCA_RXCTRL = 0x100C, VFRDH = 0x1010,
            VFSRRCTL = 0x1014, VFRDT = 0x1018, VFGPRC = 0x101C, VFGORC_LSB = 0x1020, VFGORC_MSB = 0x1024, VFRXDCTL = 0x1028,
            VFMPRC = 0x1034;
    public static final int VFTDBAL = 0x2000, VFTDBAH = 0x2004, VFTDLEN = 0x2008, VFDCA_TXCTRL = 0x200C, VFTDH = 0x2010,
            VFTDT = 0x2018, VFGPTC = 0x201C, VFGOTC_LSB = 0x2020, VFGOTC_MSB = 0x2024, VFTXDCTL = 0x2028, VFTDWBAL = 0x2038,
            VFTDWBAH = 0x203C;
    public static final int QUEUE_STRIDE = 0x40;
    public static final int DCTL_ENABLE = 1 << 25, RXDCTL_VME = 1 << 30, TXDCTL_SWFLSH = 1 << 26;
    public static final int SRRCTL_DESCTYPE_ADV_ONEBUF = 0x02000000, SRRCTL_DROP_EN = 0x10000000;

    // §3.1 mailbox bits
    public static final int REQ = 0x01, ACK = 0x02, VFU = 0x04, PFU = 0x08, PFSTS = 0x10, PFACK = 0x20, RSTI = 0x40, RSTD = 0x80;
    // §3.2 message format
    public static final int MSG_SUCCESS = 0x80000000, MSG_FAILURE = 0x40000000, MSG_CTS = 0x20000000;
    public static final int VF_RESET = 0x01, SET_MAC_ADDR = 0x02, SET_MULTICAST = 0x03, SET_VLAN = 0x04, SET_LPE = 0x05,
            SET_MACVLAN = 0x06, API_NEGOTIATE = 0x08, GET_QUEUES = 0x09, GET_RETA = 0x0A, GET_RSS_KEY = 0x0B,
            UPDATE_XCAST_MODE = 0x0C, GET_LINK_STATE = 0x10, PF_CONTROL = 0x100;
    // §3.3 API enum values
    public static final int API_10 = 0, API_20 = 1, API_11 = 2, API_12 = 3, API_13 = 4, API_14 = 5, API_15 = 6, API_16 = 7, API_17 = 8;

    /** §3.2: a MAC in a message, bytes 0..3 in {@code w0} (byte 0 lowest), bytes 4..5 in the low half of {@code w1}. */
    public static dev.wirespeed.core.packet.MacAddress macFromWords(int w0, int w1) {
        byte[] b = {(byte) w0, (byte) (w0 >>> 8), (byte) (w0 >>> 16), (byte) (w0 >>> 24), (byte) w1, (byte) (w1 >>> 8)};
        return dev.wirespeed.core.packet.MacAddress.ofBytes(b);
    }

    public static int rx(int reg, int q) {
        return reg + QUEUE_STRIDE * q;
    }

    public static int tx(int reg, int q) {
        return reg + QUEUE_STRIDE * q;
    }
}
