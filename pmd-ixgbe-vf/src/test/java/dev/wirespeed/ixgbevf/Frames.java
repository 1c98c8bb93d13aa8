/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

import dev.wirespeed.core.packet.MacAddress;
import dev.wirespeed.core.packet.PacketPool;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Test frames: Ethernet to ourselves with a sequence number and a payload derived from it, so a
 * receiver can tell lost, duplicated, reordered and corrupted frames apart. Frames longer than one
 * buffer are built as chains.
 */
final class Frames {
    static final int ETHERTYPE_TEST = 0x88B5; // IEEE local experimental
    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;

    private Frames() {
    }

    static byte patternByte(long seq, int i) {
        return (byte) (seq * 31 + i * 7 + (i >>> 8));
    }

    /** A frame of {@code length} bytes (no CRC) from and to {@code mac}; NO_PACKET when the pool is empty. */
    static int build(PacketPool pool, MacAddress mac, long seq, int length) {
        return build(pool, mac, mac, seq, length);
    }

    static int build(PacketPool pool, MacAddress dst, MacAddress src, long seq, int length) {
        byte[] f = new byte[length];
        System.arraycopy(dst.toBytes(), 0, f, 0, 6);
        System.arraycopy(src.toBytes(), 0, f, 6, 6);
        f[12] = (byte) (ETHERTYPE_TEST >>> 8);
        f[13] = (byte) ETHERTYPE_TEST;
        for (int i = 0; i < 8; i++) {
            f[14 + i] = (byte) (seq >>> (56 - 8 * i));
        }
        for (int i = 22; i < length; i++) {
            f[i] = patternByte(seq, i);
        }
        return fromBytes(pool, f);
    }

    /** Copies {@code f} into a packet, chained over as many buffers as it needs. */
    static int fromBytes(PacketPool pool, byte[] f) {
        int room = pool.dataRoom();
        int head = PacketPool.NO_PACKET;
        int prev = PacketPool.NO_PACKET;
        int segs = 0;
        for (int off = 0; off < f.length || segs == 0; off += room) {
            int h = pool.alloc();
            if (h == PacketPool.NO_PACKET) {
                if (head != PacketPool.NO_PACKET) {
                    pool.free(head);
                }
                return PacketPool.NO_PACKET;
            }
            int n = Math.min(room, f.length - off);
            MemorySegment.copy(f, off, pool.memory(), BYTE, pool.dataOffset(h), n);
            pool.setDataLength(h, n);
            if (head == PacketPool.NO_PACKET) {
                head = h;
            } else {
                pool.setNext(prev, h);
            }
            prev = h;
            segs++;
        }
        pool.setPacketLength(head, f.length);
        pool.setSegmentCount(head, segs);
        return head;
    }

    /** The bytes of a packet, all segments. */
    static byte[] bytes(PacketPool pool, int head) {
        byte[] f = new byte[pool.packetLength(head)];
        int off = 0;
        for (int h = head; h != PacketPool.NO_PACKET; h = pool.next(h)) {
            int n = pool.dataLength(h);
            MemorySegment.copy(pool.memory(), BYTE, pool.dataOffset(h), f, off, n);
            off += n;
        }
        if (off != f.length) {
            throw new AssertionError("segments hold " + off + " bytes but the packet length is " + f.length);
        }
        return f;
    }

    /** The sequence number of a test frame, after checking every byte of it; throws on corruption. */
    static long check(byte[] f, MacAddress mac) {
        return check(f, mac, mac);
    }

    static long check(byte[] f, MacAddress dst, MacAddress src) {
        byte[] d = dst.toBytes();
        byte[] s = src.toBytes();
        for (int i = 0; i < 6; i++) {
            if (f[i] != d[i] || f[6 + i] != s[i]) {
                throw new AssertionError("frame addresses corrupted");
            }
        }
        long seq = 0;
        for (int i = 0; i < 8; i++) {
            seq = seq << 8 | (f[14 + i] & 0xFF);
        }
        for (int i = 22; i < f.length; i++) {
            if (f[i] != patternByte(seq, i)) {
                throw new AssertionError("frame " + seq + " of " + f.length + " bytes corrupted at byte " + i);
            }
        }
        return seq;
    }
}
