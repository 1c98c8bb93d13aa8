/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.samples.pktgen;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The frames pktgen sends: Ethernet / IPv4 / UDP, then a 2-byte magic, the 8-byte sequence number, the
 * 8-byte send time (System.nanoTime, CLOCK_MONOTONIC: comparable across processes on one host) and a
 * pattern derived from the sequence number up to the end of the frame. Everything the receiver needs to
 * judge a frame is inside the frame itself, so it survives any wire, process or capture file.
 *
 * <p>Flows vary the UDP source port and the last byte of the IPv4 source address.
 */
final class TestFrame {
    static final int ETH = 0, IP = 14, UDP = 34, MAGIC = 42, SEQ = 44, TIME = 52, PATTERN = 60;
    /** Smallest frame without CRC: headers, magic, sequence and time fit in exactly 60 bytes. */
    static final int MIN_LENGTH = PATTERN;
    static final short MAGIC_VALUE = 0x5750; // "WP"
    static final int SRC_PORT = 1024, DST_PORT = 9; // discard

    private static final ValueLayout.OfShort BE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong BE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final int SRC_IP = 0x0A00_0000, DST_IP = 0x0A00_0100 | 1; // 10.0.0.x -> 10.0.1.1

    /** What {@link #check} found. */
    enum Verdict { OK, FOREIGN, CORRUPTED }

    private TestFrame() {
    }

    /** Writes a whole frame of {@code length} bytes (without CRC) at {@code off}. No allocation. */
    static void write(MemorySegment m, long off, int length, long dst, long src, long seq, int flow, long sendNanos) {
        m.set(BE_INT, off, (int) (dst >>> 16));
        m.set(BE_SHORT, off + 4, (short) dst);
        m.set(BE_INT, off + 6, (int) (src >>> 16));
        m.set(BE_SHORT, off + 10, (short) src);
        m.set(BE_SHORT, off + 12, (short) 0x0800);
        long ip = off + IP;
        m.set(BE_SHORT, ip, (short) 0x4500);
        m.set(BE_SHORT, ip + 2, (short) (length - IP));
        m.set(BE_SHORT, ip + 4, (short) seq); // identification
        m.set(BE_SHORT, ip + 6, (short) 0x4000); // don't fragment
        m.set(BE_SHORT, ip + 8, (short) (64 << 8 | 17)); // TTL 64, UDP
        m.set(BE_SHORT, ip + 10, (short) 0);
        m.set(BE_INT, ip + 12, SRC_IP | 1 + flow % 250);
        m.set(BE_INT, ip + 16, DST_IP);
        m.set(BE_SHORT, ip + 10, (short) ipChecksum(m, ip));
        long udp = off + UDP;
        m.set(BE_SHORT, udp, (short) (SRC_PORT + flow % (65_536 - SRC_PORT))); // 65,536 flows: stay clear of ports 0..1023
        m.set(BE_SHORT, udp + 2, (short) DST_PORT);
        m.set(BE_SHORT, udp + 4, (short) (length - UDP));
        m.set(BE_SHORT, udp + 6, (short) 0); // no UDP checksum: the pattern check covers the payload
        m.set(BE_SHORT, off + MAGIC, MAGIC_VALUE);
        m.set(BE_LONG, off + SEQ, seq);
        m.set(BE_LONG, off + TIME, sendNanos);
        long p = PATTERN;
        for (; p + 8 <= length; p += 8) {
            m.set(LONG, off + p, pattern(seq, p));
        }
        long last = pattern(seq, p);
        for (int k = 0; p < length; p++, k++) {
            m.set(ValueLayout.JAVA_BYTE, off + p, (byte) (last >>> (8 * k)));
        }
    }

    /**
     * Judges a received frame of {@code length} bytes: FOREIGN if it is not a pktgen frame at all (another
     * protocol, another magic), CORRUPTED if it is one but any header, length or pattern byte is wrong.
     */
    static Verdict check(MemorySegment m, long off, int length) {
        if (length < MIN_LENGTH || m.get(BE_SHORT, off + 12) != 0x0800 || m.get(ValueLayout.JAVA_BYTE, off + IP + 9) != 17
                || m.get(BE_SHORT, off + UDP + 2) != DST_PORT) {
            return length >= 14 && m.get(BE_SHORT, off + 12) == 0x0800 && length < MIN_LENGTH ? Verdict.CORRUPTED : Verdict.FOREIGN;
        }
        if (m.get(BE_SHORT, off + MAGIC) != MAGIC_VALUE) {
            return Verdict.FOREIGN;
        }
        if (m.get(BE_SHORT, off + IP) != 0x4500 || (m.get(BE_SHORT, off + IP + 2) & 0xFFFF) != length - IP
                || (m.get(BE_SHORT, off + UDP + 4) & 0xFFFF) != length - UDP || ipChecksum(m, off + IP) != 0) {
            return Verdict.CORRUPTED;
        }
        long seq = sequence(m, off);
        long p = PATTERN;
        for (; p + 8 <= length; p += 8) {
            if (m.get(LONG, off + p) != pattern(seq, p)) {
                return Verdict.CORRUPTED;
            }
        }
        long last = pattern(seq, p);
        for (int k = 0; p < length; p++, k++) {
            if (m.get(ValueLayout.JAVA_BYTE, off + p) != (byte) (last >>> (8 * k))) {
                return Verdict.CORRUPTED;
            }
        }
        return Verdict.OK;
    }

    /** The destination MAC address, as {@link dev.wirespeed.core.packet.MacAddress#value()} holds one. */
    static long destination(MemorySegment m, long off) {
        return mac(m, off);
    }

    /** The source MAC address, as {@link dev.wirespeed.core.packet.MacAddress#value()} holds one. */
    static long source(MemorySegment m, long off) {
        return mac(m, off + 6);
    }

    private static long mac(MemorySegment m, long at) {
        return (m.get(BE_INT, at) & 0xFFFF_FFFFL) << 16 | m.get(BE_SHORT, at + 4) & 0xFFFF;
    }

    static long sequence(MemorySegment m, long off) {
        return m.get(BE_LONG, off + SEQ);
    }

    static long sendNanos(MemorySegment m, long off) {
        return m.get(BE_LONG, off + TIME);
    }

    /** Differs per sequence number and per position, so a shifted, swapped or stale buffer is caught. */
    private static long pattern(long seq, long position) {
        long x = seq * 0x9E37_79B9_7F4A_7C15L + position;
        x ^= x >>> 31;
        return x * 0xBF58_476D_1CE4_E5B9L;
    }

    /** The ones'-complement sum over the 20-byte header; 0 when a header with its checksum is intact. */
    private static int ipChecksum(MemorySegment m, long ip) {
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += m.get(BE_SHORT, ip + i) & 0xFFFF;
        }
        while (sum >>> 16 != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return ~sum & 0xFFFF;
    }
}
