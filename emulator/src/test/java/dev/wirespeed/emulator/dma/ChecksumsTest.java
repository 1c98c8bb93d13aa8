/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.dma;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rx and tx checksums against RFC 1071 computed the plain way: 16-bit big-endian words added with
 * the carries folded back in after every addition, an odd last byte padded with zero.
 */
class ChecksumsTest {

    static int reference(byte[] data, int from, int length, int start) {
        int sum = start;
        for (int i = 0; i < length; i += 2) {
            int word = (data[from + i] & 0xFF) << 8 | (i + 1 < length ? data[from + i + 1] & 0xFF : 0);
            sum += word;
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return ~sum & 0xFFFF;
    }

    @Test
    void matchesTheDefinitionForEveryLengthAndAlignment() {
        Random random = new Random(7);
        byte[] data = new byte[1600];
        for (int round = 0; round < 200; round++) {
            random.nextBytes(data);
            if (round % 3 == 0) {
                Arrays.fill(data, (byte) 0xFF); // the most carries
            }
            int from = random.nextInt(8);
            int length = round < 100 ? round : random.nextInt(1500);
            int start = random.nextInt(0x10000);
            assertThat(Checksums.finish(Checksums.sum(data, from, length, start)))
                    .as("length %d from %d", length, from).isEqualTo(reference(data, from, length, start));
        }
    }

    @Test
    void finishFoldsAnySumToSixteenBits() {
        Random random = new Random(11);
        for (int i = 0; i < 10_000; i++) {
            long sum = i < 64 ? -1L >>> i : random.nextLong() >>> random.nextInt(64);
            long folded = sum; // the definition: fold until no carry is left
            while ((folded >>> 16) != 0) {
                folded = (folded & 0xFFFF) + (folded >>> 16);
            }
            assertThat(Checksums.finish(sum)).as("sum 0x%x", sum).isEqualTo((int) (~folded & 0xFFFF));
        }
    }

    @Test
    void verifiesIsFinishBeingZero() {
        Random random = new Random(13);
        for (int i = 0; i < 100_000; i++) {
            long sum = switch (i % 4) {
                case 0 -> random.nextLong() >>> random.nextInt(64);
                case 1 -> 0xFFFFL * (random.nextInt(1 << 20));          // multiples of 0xFFFF, 0 among them
                case 2 -> 0xFFFFL * (random.nextInt(1 << 20)) + (random.nextBoolean() ? 1 : -1);
                default -> i < 64 ? (1L << i) - 1 : random.nextInt(0x30000);
            };
            if (sum < 0) {
                continue;
            }
            assertThat(Checksums.verifies(sum)).as("sum 0x%x", sum).isEqualTo(Checksums.finish(sum) == 0);
        }
        assertThat(Checksums.verifies(0)).as("an all-zero header has checksum 0xFFFF, not 0").isFalse();
    }

    @Test
    void aValidIpv4HeaderSumsToZero() {
        // RFC 1071-style example header with its checksum filled in (0xB861)
        byte[] header = HexFormat.of().parseHex("45000073000040004011b861c0a80001c0a800c7");
        assertThat(Checksums.finish(Checksums.sum(header, 0, 20, 0))).isZero();
        assertThat(Checksums.verifies(Checksums.sum(header, 0, 20, 0))).isTrue();
        header[11] ^= 1;
        assertThat(Checksums.verifies(Checksums.sum(header, 0, 20, 0))).isFalse();
    }
}
