/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.dma;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The table-driven Toeplitz hash against the published verification examples and against the
 * definition computed bit by bit, including after the key changes (the tables and the memo must follow).
 */
class RssHasherTest {
    static final byte[] KEY = RssTest.KEY;

    /** The definition: for every set input bit, XOR the 32 key bits starting at that bit. */
    static int reference(byte[] key, byte[] input) {
        int result = 0;
        for (int bit = 0; bit < input.length * 8; bit++) {
            if ((input[bit >>> 3] >>> (7 - (bit & 7)) & 1) != 0) {
                long window = 0;
                for (int i = 0; i < 5; i++) {
                    int k = (bit >>> 3) + i < key.length ? key[(bit >>> 3) + i] & 0xFF : 0;
                    window = window << 8 | k;
                }
                result ^= (int) (window >>> (8 - (bit & 7)));
            }
        }
        return result;
    }

    static RssHasher hasher(byte[] key) {
        RssHasher h = new RssHasher();
        for (int i = 0; i < key.length; i++) {
            h.key(i, key[i]);
        }
        return h;
    }

    @Test
    void publishedIpv6Examples() {
        byte[] src = HexFormat.of().parseHex("3ffe25010200 1fff0000000000000007".replace(" ", ""));
        byte[] dst = HexFormat.of().parseHex("3ffe2501020000030000000000000001");
        byte[] input = ByteBuffer.allocate(36).put(src).put(dst).putShort((short) 2794).putShort((short) 1766).array();
        RssHasher h = hasher(KEY);
        assertThat(h.update(input, 0, 32, 0, 0)).isEqualTo(0x2cc18cd5);
        assertThat(h.update(input, 32, 4, h.update(input, 0, 32, 0, 0), 256)).isEqualTo(0x40207d3d);
    }

    @Test
    void publishedIpv4Example() {
        // 66.9.149.187:2794 -> 161.142.100.80:1766
        long addresses = 0x420995BBL << 32 | 0xA18E6450L;
        int ports = 2794 << 16 | 1766;
        RssHasher h = hasher(KEY);
        assertThat(h.ipv4(addresses, ports, true)).isEqualTo(RssTest.HASH_TCP);
        assertThat(h.ipv4(addresses, ports, false)).as("same addresses without ports: not the memo's TCP entry").isEqualTo(RssTest.HASH_IP);
        assertThat(h.ipv4(addresses, ports, true)).isEqualTo(RssTest.HASH_TCP);
    }

    @Test
    void agreesWithTheDefinitionForRandomInputsAndKeys() {
        Random random = new Random(42);
        byte[] key = KEY.clone();
        RssHasher h = hasher(key);
        for (int round = 0; round < 200; round++) {
            if (round % 50 == 49) { // a new key: tables and remembered results must not survive it
                random.nextBytes(key);
                for (int i = 0; i < key.length; i++) {
                    h.key(i, key[i]);
                }
            }
            byte[] input = new byte[36];
            random.nextBytes(input);
            if (round % 3 == 0) {
                input[0] = 10; // repeated inputs exercise the memo
            }
            int len = 1 + random.nextInt(36);
            byte[] prefix = java.util.Arrays.copyOf(input, len);
            assertThat(h.update(input, 0, len, 0, 0)).as("round %d, %d bytes", round, len)
                    .isEqualTo(reference(key, prefix));
            ByteBuffer b = ByteBuffer.wrap(input);
            long addresses = b.getLong(0);
            int ports = b.getInt(8);
            assertThat(h.ipv4(addresses, ports, true)).isEqualTo(reference(key, java.util.Arrays.copyOf(input, 12)));
            assertThat(h.ipv4(addresses, ports, false)).isEqualTo(reference(key, java.util.Arrays.copyOf(input, 8)));
        }
    }
}
