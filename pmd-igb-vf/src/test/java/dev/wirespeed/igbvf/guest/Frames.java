/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.igbvf.guest;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * Test frames with a known content: the bytes the wire must carry, so that the guest's captures (PF
 * netdev, far end of QEMU's netdev backend) can be compared byte for byte. Checksums are computed here
 * in software; a frame sent with checksum offload leaves them zero and expects the device to fill them.
 */
final class Frames {
    static final int ETHERTYPE_TEST = 0x88B5; // IEEE 802 local experimental
    static final int L2 = 14;
    static final int L3 = 20;

    private Frames() {
    }

    /** An untagged frame of {@code length} bytes (no FCS) with a payload that names its sequence number. */
    static byte[] raw(long dst, long src, int length, int seq) {
        ByteBuffer b = ByteBuffer.allocate(length);
        putMacs(b, dst, src);
        b.putShort((short) ETHERTYPE_TEST);
        b.putInt(seq);
        for (int i = b.position(); i < length; i++) {
            b.put((byte) (i * 7 + seq));
        }
        return b.array();
    }

    /** IPv4/UDP with correct header and UDP checksums. */
    static byte[] udp(long dst, long src, int srcIp, int dstIp, int payload, int seq) {
        int length = L2 + L3 + 8 + payload;
        ByteBuffer b = ByteBuffer.allocate(length);
        putMacs(b, dst, src);
        b.putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (L3 + 8 + payload)).putShort((short) seq).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 17).putShort((short) 0).putInt(srcIp).putInt(dstIp);
        b.putShort((short) 40000).putShort((short) 9).putShort((short) (8 + payload)).putShort((short) 0);
        for (int i = 0; i < payload; i++) {
            b.put((byte) (i + seq));
        }
        byte[] f = b.array();
        setShort(f, L2 + 10, checksum(f, L2, L3, 0));
        int pseudo = sum16(f, L2 + 12, 8) + 17 + 8 + payload;
        int udp = checksum(f, L2 + L3, 8 + payload, pseudo);
        setShort(f, L2 + L3 + 6, udp == 0 ? 0xFFFF : udp);
        return f;
    }

    /** The frame with an 802.1Q tag inserted after the MACs. */
    static byte[] tagged(byte[] frame, int tci) {
        byte[] t = new byte[frame.length + 4];
        System.arraycopy(frame, 0, t, 0, 12);
        setShort(t, 12, 0x8100);
        setShort(t, 14, tci);
        System.arraycopy(frame, 12, t, 16, frame.length - 12);
        return t;
    }

    /** A copy with the IPv4 header and UDP checksums zeroed: what is handed to the device for offload. */
    static byte[] withoutChecksums(byte[] udpFrame) {
        byte[] f = udpFrame.clone();
        setShort(f, L2 + 10, 0);
        setShort(f, L2 + L3 + 6, 0);
        return f;
    }

    static String hex(byte[] f) {
        return HexFormat.of().formatHex(f);
    }

    private static void putMacs(ByteBuffer b, long dst, long src) {
        b.putShort((short) (dst >>> 32)).putInt((int) dst);
        b.putShort((short) (src >>> 32)).putInt((int) src);
    }

    private static void setShort(byte[] f, int at, int v) {
        f[at] = (byte) (v >>> 8);
        f[at + 1] = (byte) v;
    }

    private static int sum16(byte[] f, int from, int n) {
        int s = 0;
        for (int i = 0; i < n; i += 2) {
            s += ((f[from + i] & 0xFF) << 8) | (i + 1 < n ? f[from + i + 1] & 0xFF : 0);
        }
        return s;
    }

    /** The Internet checksum (RFC 1071) of {@code n} bytes plus an initial sum. */
    private static int checksum(byte[] f, int from, int n, int initial) {
        long s = (long) sum16(f, from, n) + initial;
        while ((s >>> 16) != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) (~s & 0xFFFF);
    }
}
