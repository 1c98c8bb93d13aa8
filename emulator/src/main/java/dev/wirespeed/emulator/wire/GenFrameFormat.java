/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The frames the generator sends and the sink verifies: Ethernet + IPv4 + UDP, then a payload that
 * carries a magic word, a 64-bit sequence number, the frame's length and flow, and a pattern derived
 * from the sequence number filling the rest of the frame. A frame damaged anywhere in its payload, cut
 * short or padded fails verification; a replayed frame has a sequence number already seen.
 *
 * <pre>
 * 0  dst MAC | 6 src MAC | 12 0x0800
 * 14 IPv4 header (20 bytes, checksum valid) | 34 UDP header (checksum 0)
 * 42 magic "WSG1" | 46 sequence (LE 64) | 54 frame length (LE 16) | 56 flow (LE 16) | 58.. pattern
 * </pre>
 * Lengths here exclude the 4-byte CRC: {@code size=64} on the device string is a 60-byte frame here.
 * A sink also accepts the frame with one 802.1Q tag after the addresses (everything after shifts by 4).
 */
public final class GenFrameFormat {
    static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt BE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    public static final int MAGIC = 0x57534731; // "WSG1"
    public static final int PAYLOAD = 42;
    static final int SEQ = PAYLOAD + 4, LENGTH = PAYLOAD + 12, FLOW = PAYLOAD + 14, PATTERN = PAYLOAD + 16;
    /** The smallest generated frame without CRC (64 with CRC, the Ethernet minimum). */
    public static final int MIN_LENGTH = 60;
    /** The largest, the family's 9728-byte frame without CRC. */
    public static final int MAX_LENGTH = FrameQueue.MAX_FRAME - 4;
    private static final long MIX = 0x9E37_79B9_7F4A_7C15L;

    private GenFrameFormat() {
    }

    /** Writes the headers of flow {@code flow} (0..65535) for a frame of {@code length} bytes at {@code offset}. */
    public static void writeHeaders(MemorySegment s, long offset, int length, long dstMac, long srcMac, int flow) {
        checkLength(length);
        putMac(s, offset, dstMac);
        putMac(s, offset + 6, srcMac);
        s.set(BE16, offset + 12, (short) 0x0800);
        long ip = offset + 14;
        int ipLength = length - 14;
        s.set(BE32, ip, 0x4500_0000 | ipLength);
        s.set(BE32, ip + 4, 0x0000_4000);              // id 0, don't fragment
        s.set(BE32, ip + 8, 64 << 24 | 17 << 16);        // ttl 64, UDP, checksum below
        s.set(BE32, ip + 12, 0x0A00_0000 | 1 + flow);    // 10.0.x.y, one source address per flow
        s.set(BE32, ip + 16, 0x0A01_0001);               // 10.1.0.1
        s.set(BE16, ip + 10, (short) ipv4Checksum(s, ip));
        long udp = ip + 20;
        s.set(BE16, udp, (short) (1024 + flow % 64_512));
        s.set(BE16, udp + 2, (short) 9);                 // discard
        s.set(BE16, udp + 4, (short) (ipLength - 20));
        s.set(BE16, udp + 6, (short) 0);                 // no UDP checksum (allowed for IPv4)
        s.set(BE32, offset + PAYLOAD, MAGIC);
        s.set(LE16, offset + LENGTH, (short) length);
        s.set(LE16, offset + FLOW, (short) flow);
    }

    /** Writes the sequence number and the pattern it implies into a frame whose headers are in place. Allocates nothing. */
    public static void writeSequence(MemorySegment s, long offset, int length, long seq) {
        s.set(LE64, offset + SEQ, seq);
        long base = seq * MIX;
        int words = (length - PATTERN) >>> 3;
        long p = offset + PATTERN;
        for (int j = 0; j < words; j++, p += 8) {
            s.set(LE64, p, base + j);
        }
        long last = base + words; // the last 0..7 bytes: the low bytes of the next pattern word, little-endian
        int rest = (int) (offset + length - p);
        if ((rest & 4) != 0) {
            s.set(LE32, p, (int) last);
            p += 4;
            last >>>= 32;
        }
        if ((rest & 2) != 0) {
            s.set(LE16, p, (short) last);
            p += 2;
            last >>>= 16;
        }
        if ((rest & 1) != 0) {
            s.set(ValueLayout.JAVA_BYTE, p, (byte) last);
        }
    }

    private static final VarHandle ARRAY_LE64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * {@link #writeSequence(MemorySegment, long, int, long)} for a frame in a heap array, as the generator
     * keeps its templates: array writes are checked against the array's length only, where segment
     * writes also check the segment's liveness, and the generator writes every frame it sends.
     */
    public static void writeSequence(byte[] a, int offset, int length, long seq) {
        ARRAY_LE64.set(a, offset + SEQ, seq);
        long base = seq * MIX;
        int words = (length - PATTERN) >>> 3;
        int p = offset + PATTERN;
        for (int j = 0; j < words; j++, p += 8) {
            ARRAY_LE64.set(a, p, base + j);
        }
        long last = base + words; // the last 0..7 bytes: the low bytes of the next pattern word, little-endian
        for (int end = offset + length; p < end; p++, last >>>= 8) {
            a[p] = (byte) last;
        }
    }

    /** Whether the frame of {@code length} bytes at {@code offset} (payload at {@code offset + shift}) has the generator's magic. */
    static boolean hasMagic(MemorySegment s, long offset, int length) {
        return length >= MIN_LENGTH && s.get(BE16, offset + 12) == 0x0800 && s.get(BE32, offset + PAYLOAD) == MAGIC;
    }

    /** Whether length, the stored length and the whole pattern agree with the sequence number in the frame. */
    static boolean payloadIntact(MemorySegment s, long offset, int length) {
        if ((s.get(LE16, offset + LENGTH) & 0xFFFF) != length) {
            return false;
        }
        long base = s.get(LE64, offset + SEQ) * MIX;
        int words = (length - PATTERN) >>> 3;
        long p = offset + PATTERN;
        for (int j = 0; j < words; j++, p += 8) {
            if (s.get(LE64, p) != base + j) {
                return false;
            }
        }
        long last = base + words;
        for (int k = 0; p < offset + length; k++, p++) {
            if (s.get(ValueLayout.JAVA_BYTE, p) != (byte) (last >>> (8 * k))) {
                return false;
            }
        }
        return true;
    }

    static long sequence(MemorySegment s, long offset) {
        return s.get(LE64, offset + SEQ);
    }

    static void checkLength(int length) {
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            throw new IllegalArgumentException("generated frame length " + length + " out of range " + MIN_LENGTH + ".." + MAX_LENGTH
                    + " (without CRC; size=64..9728 with CRC)");
        }
    }

    private static void putMac(MemorySegment s, long offset, long mac) {
        s.set(BE32, offset, (int) (mac >>> 16));
        s.set(BE16, offset + 4, (short) mac);
    }

    private static int ipv4Checksum(MemorySegment s, long ip) {
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            if (i != 10) {
                sum += s.get(BE16, ip + i) & 0xFFFF;
            }
        }
        while (sum >>> 16 != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return ~sum & 0xFFFF;
    }
}
