/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.dma;

import dev.wirespeed.core.packet.MacAddress;

import java.nio.ByteBuffer;

/** Builds test frames byte by byte, with checksums computed here independently of the model. */
final class Frames {
    private Frames() {
    }

    static byte[] ethernet(MacAddress dst, MacAddress src, int etherType, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(14 + payload.length);
        putMac(b, dst);
        putMac(b, src);
        b.putShort((short) etherType);
        b.put(payload);
        return b.array();
    }

    static byte[] raw(MacAddress dst, MacAddress src, int length) {
        byte[] payload = new byte[length - 14];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 7 + 3);
        }
        return ethernet(dst, src, 0x88B5, payload);
    }

    /** IPv4 + UDP (protocol 17) or TCP (6) with correct checksums, or zeroed ones if {@code checksums} is false. */
    static byte[] ipv4(MacAddress dst, MacAddress src, int protocol, int payloadLength, boolean checksums) {
        int l4Header = protocol == 6 ? 20 : 8;
        int l4Len = l4Header + payloadLength;
        ByteBuffer ip = ByteBuffer.allocate(20 + l4Len);
        ip.put((byte) 0x45).put((byte) 0).putShort((short) (20 + l4Len)).putShort((short) 0x1234).putShort((short) 0x4000)
                .put((byte) 64).put((byte) protocol).putShort((short) 0).putInt(0x0A000001).putInt(0x0A000002);
        if (protocol == 6) {
            ip.putShort((short) 1000).putShort((short) 2000).putInt(1).putInt(0).put((byte) 0x50).put((byte) 0x18)
                    .putShort((short) 8192).putShort((short) 0).putShort((short) 0);
        } else {
            ip.putShort((short) 1000).putShort((short) 2000).putShort((short) l4Len).putShort((short) 0);
        }
        for (int i = 0; i < payloadLength; i++) {
            ip.put((byte) (i + 1));
        }
        byte[] p = ip.array();
        if (checksums) {
            put16(p, 10, csum(p, 0, 20, 0));
            long pseudo = sum(p, 12, 8, 0) + protocol + l4Len;
            int c = csum(p, 20, l4Len, pseudo);
            put16(p, 20 + (protocol == 6 ? 16 : 6), protocol == 17 && c == 0 ? 0xFFFF : c);
        }
        return ethernet(dst, src, 0x0800, p);
    }

    static byte[] vlanTagged(byte[] frame, int tci) {
        byte[] t = new byte[frame.length + 4];
        System.arraycopy(frame, 0, t, 0, 12);
        t[12] = (byte) 0x81;
        t[13] = 0;
        put16(t, 14, tci);
        System.arraycopy(frame, 12, t, 16, frame.length - 12);
        return t;
    }

    static long sum(byte[] b, int off, int len, long s) {
        for (int i = 0; i < len; i += 2) {
            s += ((b[off + i] & 0xFF) << 8) | (i + 1 < len ? b[off + i + 1] & 0xFF : 0);
        }
        return s;
    }

    static int csum(byte[] b, int off, int len, long s) {
        s = sum(b, off, len, s);
        while ((s >>> 16) != 0) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) (~s & 0xFFFF);
    }

    static int get16(byte[] b, int off) {
        return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
    }

    static void put16(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 8);
        b[off + 1] = (byte) v;
    }

    private static void putMac(ByteBuffer b, MacAddress m) {
        b.put(m.toBytes());
    }
}
