/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.device.vf;

import dev.wirespeed.core.packet.MacAddress;

/**
 * What the Intel VF mailbox messages have in common across families (Linux ixgbevf mbx.h, igbvf
 * mbx.h): word 0 holds the message id in bits 15:0, an info byte in bits 23:16 and the flags ACK
 * (bit 31; "SUCCESS" in newer ixgbe sources), NACK (bit 30; "FAILURE") and CTS (bit 29). The first five
 * ids, the PF's control message (0x100, "ping"), the MAC layout in words 1..2 and the multicast hash
 * are the same on the 82599 and the 82576/I350 families; each driver adds its family's other ids.
 */
public final class VfMessages {
    private VfMessages() {
    }

    public static final int VF_RESET = 0x01;
    public static final int SET_MAC_ADDR = 0x02;
    public static final int SET_MULTICAST = 0x03;
    public static final int SET_VLAN = 0x04;
    public static final int SET_LPE = 0x05;
    public static final int PF_CONTROL = 0x100;

    public static final int ID_MASK = 0xFFFF;
    public static final int INFO_SHIFT = 16;
    public static final int ACK = 0x8000_0000;
    public static final int NACK = 0x4000_0000;
    public static final int CTS = 0x2000_0000;

    /** SET_MULTICAST carries at most 30 16-bit hashes after word 0. */
    public static final int MAX_MULTICAST = 30;

    /** A PF control message (ping): id 0x100 and neither ACK nor NACK; CTS tells whether the VF may still talk. */
    public static boolean isPing(int w0) {
        return (w0 & ID_MASK) == PF_CONTROL && (w0 & (ACK | NACK)) == 0;
    }

    /** Mailbox MAC layout: bytes 0..3 in word 1 (byte 0 lowest), bytes 4..5 in the low half of word 2. */
    public static int macWord1(MacAddress mac) {
        byte[] b = mac.toBytes();
        return (b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 24;
    }

    public static int macWord2(MacAddress mac) {
        byte[] b = mac.toBytes();
        return (b[4] & 0xFF) | (b[5] & 0xFF) << 8;
    }

    public static MacAddress macFromWords(int w1, int w2) {
        return MacAddress.ofBytes(new byte[]{(byte) w1, (byte) (w1 >>> 8), (byte) (w1 >>> 16), (byte) (w1 >>> 24), (byte) w2, (byte) (w2 >>> 8)});
    }

    /**
     * The 12-bit multicast hash of {@code mac} for the PF's filter type 0..3 (ixgbevf facts §3.5; igb
     * PFs use type 0: MAC bits 47:36, e1000_hash_mc_addr_vf).
     */
    public static int multicastHash(MacAddress mac, int filterType) {
        byte[] b = mac.toBytes();
        int b4 = b[4] & 0xFF;
        int b5 = b[5] & 0xFF;
        int v = switch (filterType) {
            case 0 -> b4 >> 4 | b5 << 4;
            case 1 -> b4 >> 3 | b5 << 5;
            case 2 -> b4 >> 2 | b5 << 6;
            case 3 -> b4 | b5 << 8;
            default -> throw new IllegalArgumentException("multicast filter type " + filterType + " is not 0..3");
        };
        return v & 0xFFF;
    }
}
