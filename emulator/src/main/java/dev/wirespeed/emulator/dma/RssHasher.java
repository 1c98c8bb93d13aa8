/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.dma;

import java.util.Arrays;

/**
 * The Toeplitz hash receive-side scaling uses: for every set bit of the input (most significant bit of
 * the first byte first), XOR in the 32 key bits starting at that bit position. Inputs are the source and
 * destination addresses, then the source and destination ports for TCP/UDP, as they appear in the frame.
 *
 * <p>Bit by bit this costs a few hundred cycles a frame. Since the hash is linear in its input, the
 * contribution of each input byte at each position is looked up instead: {@code table[p][v]} is the
 * XOR of the key windows of the set bits of value {@code v} at byte position {@code p}. The table is
 * rebuilt (9,216 entries, no allocation) only when the key changes.
 */
final class RssHasher {
    /** The longest input: two IPv6 addresses and two ports. */
    static final int MAX_INPUT = 36;
    private final byte[] key = new byte[40];
    private final int[] table = new int[MAX_INPUT * 256];
    private boolean stale = true;
    private final long[] memoAddresses = new long[64];
    private final long[] memoPorts = new long[64];
    private final int[] memoHash = new int[64];
    private final boolean[] memoValid = new boolean[64];

    /** Sets key byte {@code i}. */
    void key(int i, int value) {
        byte b = (byte) value;
        if (key[i] != b) {
            key[i] = b;
            stale = true;
        }
    }

    /**
     * Hashes {@code length} bytes of {@code f} from {@code offset}, continuing at input bit {@code bitPos}
     * (a multiple of 8) with running result {@code acc}; returns the new result. The next call continues
     * at {@code bitPos + 8 * length}.
     */
    int update(byte[] f, int offset, int length, int acc, int bitPos) {
        if (stale) {
            rebuild();
        }
        int pos = bitPos >>> 3;
        int i = 0;
        for (; i + 8 <= length; i += 8, pos += 8) {
            acc = mixLong(NetBytes.get64(f, offset + i), pos, acc);
        }
        for (; i + 4 <= length; i += 4, pos += 4) {
            acc = mixInt(NetBytes.get32(f, offset + i), pos, acc);
        }
        for (; i < length; i++, pos++) {
            acc ^= table[pos << 8 | NetBytes.get8(f, offset + i)];
        }
        return acc;
    }

    /**
     * The IPv4 hash: source and destination address ({@code addresses}, as the 8 bytes appear in the
     * header, big-endian), then, if {@code withPorts}, the two ports. Remembers recent results in a small
     * table indexed by the input, since a link carries the same flows over and over; a result is only
     * reused for the identical input and the current key.
     */
    int ipv4(long addresses, int ports, boolean withPorts) {
        if (stale) {
            rebuild();
        }
        long p = withPorts ? Integer.toUnsignedLong(ports) | 1L << 32 : 0;
        long mixed = (addresses ^ p) * 0x9E37_79B9_7F4A_7C15L;
        int slot = (int) (mixed >>> 58); // 64 slots
        if (memoValid[slot] && memoAddresses[slot] == addresses && memoPorts[slot] == p) {
            return memoHash[slot];
        }
        int h = mixLong(addresses, 0, 0);
        if (withPorts) {
            h = mixInt(ports, 8, h);
        }
        memoAddresses[slot] = addresses;
        memoPorts[slot] = p;
        memoHash[slot] = h;
        memoValid[slot] = true;
        return h;
    }

    private int mixLong(long v, int pos, int acc) {
        for (int b = 0; b < 8; b++) {
            acc ^= table[(pos + b) << 8 | (int) (v >>> (56 - 8 * b) & 0xFF)];
        }
        return acc;
    }

    private int mixInt(int v, int pos, int acc) {
        for (int b = 0; b < 4; b++) {
            acc ^= table[(pos + b) << 8 | (v >>> (24 - 8 * b) & 0xFF)];
        }
        return acc;
    }

    private void rebuild() {
        for (int p = 0; p < MAX_INPUT; p++) {
            int row = p << 8;
            table[row] = 0;
            for (int v = 1; v < 256; v++) {
                int low = Integer.numberOfTrailingZeros(v); // bit `low` of the byte is input bit 8p + 7 - low
                table[row | v] = table[row | (v & (v - 1))] ^ window(8 * p + 7 - low);
            }
        }
        Arrays.fill(memoValid, false);
        stale = false;
    }

    /** The 32 key bits starting at bit {@code pos} (bit 0 = most significant bit of key byte 0). */
    private int window(int pos) {
        int byteIdx = pos >>> 3;
        int shift = pos & 7;
        long v = 0;
        for (int i = 0; i < 5; i++) {
            int k = byteIdx + i < key.length ? key[byteIdx + i] & 0xFF : 0;
            v = (v << 8) | k;
        }
        return (int) (v >>> (8 - shift));
    }
}
