/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.dma;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The Toeplitz hash receive-side scaling uses: for every set bit of the input (most significant bit of
 * the first byte first), XOR in the 32 key bits starting at that bit position. Inputs are the source and
 * destination addresses, then the source and destination ports for TCP/UDP, as they appear in the frame.
 */
final class RssHasher {
    private final byte[] key = new byte[40];

    /** Sets key byte {@code i}. */
    void key(int i, int value) {
        key[i] = (byte) value;
    }

    /**
     * Hashes {@code length} bytes of {@code f} from {@code offset}, continuing at input bit {@code bitPos}
     * with running result {@code acc}; returns the new result. The next call continues at {@code bitPos + 8 * length}.
     */
    int update(MemorySegment f, long offset, int length, int acc, int bitPos) {
        for (int i = 0; i < length; i++) {
            int b = f.get(ValueLayout.JAVA_BYTE, offset + i) & 0xFF;
            for (int bit = 7; bit >= 0; bit--) {
                if ((b >>> bit & 1) != 0) {
                    acc ^= window(bitPos);
                }
                bitPos++;
            }
        }
        return acc;
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
