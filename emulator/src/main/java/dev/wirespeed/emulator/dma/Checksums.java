/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.dma;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Internet checksums (RFC 1071) over frame bytes, for the rx checksum status and tx checksum insertion.
 * Frames are in heap arrays here: the wire's queues and generator keep them there, and tx gathers a
 * frame it has to change into one.
 */
final class Checksums {
    private Checksums() {
    }

    /** One's-complement sum of {@code length} bytes from {@code offset}, not folded or inverted, added to {@code sum}. */
    static long sum(byte[] a, int offset, int length, long sum) {
        int i = 0;
        // 32-bit big-endian words: the one's-complement sum of 16-bit words is this sum folded (RFC 1071 §2)
        for (; i + 3 < length; i += 4) {
            sum += Integer.toUnsignedLong(NetBytes.get32(a, offset + i));
        }
        for (; i + 1 < length; i += 2) {
            sum += NetBytes.get16(a, offset + i);
        }
        if (i < length) {
            sum += NetBytes.get8(a, offset + i) << 8;
        }
        return sum;
    }

    /** Folds a sum to 16 bits and inverts it: the value to store in a checksum field. */
    static int finish(long sum) {
        // a fixed number of folds instead of a loop (each adds the carries back in, as 2^16 = 1 in one's
        // complement; four take any 64-bit sum to 16 bits): the rx path calls this per frame, and a loop
        // there costs a safepoint check per turn
        sum = (sum & 0xFFFF_FFFFL) + (sum >>> 32);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        return (int) (~sum & 0xFFFF);
    }

    /**
     * Whether data whose sum (with its checksum field in) is {@code sum} passes the check, that is
     * {@code finish(sum) == 0}: the folded sum is 0xFFFF exactly when the sum is a non-zero multiple of
     * 0xFFFF (2^16 = 1 modulo 0xFFFF). One multiplication instead of four dependent folds, per frame.
     */
    static boolean verifies(long sum) {
        return sum != 0 && sum % 0xFFFF == 0;
    }

    /** Pseudo-header sum for TCP/UDP over IPv4 (addresses at ip+12..19) or IPv6 (ip+8..39). */
    static long pseudoHeader(byte[] a, int ipOffset, boolean ipv4, int protocol, int l4Length) {
        long sum = ipv4 ? sum(a, ipOffset + 12, 8, 0) : sum(a, ipOffset + 8, 32, 0);
        return sum + protocol + l4Length;
    }
}
