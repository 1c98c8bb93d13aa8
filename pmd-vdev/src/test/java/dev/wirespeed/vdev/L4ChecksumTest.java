/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.vdev;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;

class L4ChecksumTest {
    /** RFC 1071 over the pseudo-header and the segment, computed from scratch: the reference. */
    private static int reference(byte[] f, int l3, boolean v6, int l4, int proto) {
        long sum = 0;
        int len = f.length - l4;
        if (v6) {
            for (int i = l3 + 8; i < l3 + 40; i += 2) {
                sum += be(f, i);
            }
        } else {
            for (int i = l3 + 12; i < l3 + 20; i += 2) {
                sum += be(f, i);
            }
        }
        sum += proto + len;
        for (int i = l4; i < f.length; i += 2) {
            sum += i + 1 < f.length ? be(f, i) : (f[i] & 0xFF) << 8;
        }
        while (sum >>> 16 != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) ~sum & 0xFFFF;
    }

    private static int be(byte[] f, int i) {
        return (f[i] & 0xFF) << 8 | f[i + 1] & 0xFF;
    }

    /** A frame whose checksum field holds what a CHECKSUM_PARTIAL stack leaves there: the folded pseudo-header sum. */
    private static byte[] partialFrame(Random r, boolean v6, int proto, int payload, boolean vlan) {
        int l3 = vlan ? 18 : 14;
        int ipLen = v6 ? 40 : 20;
        int l4Len = (proto == 6 ? 20 : 8) + payload;
        byte[] f = new byte[l3 + ipLen + l4Len];
        r.nextBytes(f);
        if (vlan) {
            f[12] = (byte) 0x81;
            f[13] = 0;
        }
        f[l3 - 2] = (byte) (v6 ? 0x86 : 0x08);
        f[l3 - 1] = (byte) (v6 ? 0xDD : 0x00);
        if (v6) {
            f[l3] = 0x60;
            f[l3 + 6] = (byte) proto;
        } else {
            f[l3] = 0x45;
            f[l3 + 9] = (byte) proto;
        }
        int l4 = l3 + ipLen;
        int field = l4 + (proto == 6 ? 16 : 6);
        f[field] = 0;
        f[field + 1] = 0;
        int full = reference(f, l3, v6, l4, proto);
        // full = ~(pseudo + data); the partial field is fold(pseudo) = ~full - fold(data)... computed directly instead:
        int pseudoOnly = pseudo(f, l3, v6, proto, l4Len);
        f[field] = (byte) (pseudoOnly >>> 8);
        f[field + 1] = (byte) pseudoOnly;
        f[0] = (byte) (full >>> 8); // keep the expected value in the (ignored) destination MAC's first bytes
        f[1] = (byte) full;
        return f;
    }

    private static int pseudo(byte[] f, int l3, boolean v6, int proto, int len) {
        long sum = proto + len;
        int from = v6 ? l3 + 8 : l3 + 12, to = v6 ? l3 + 40 : l3 + 20;
        for (int i = from; i < to; i += 2) {
            sum += be(f, i);
        }
        while (sum >>> 16 != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }

    @Test
    void completesTcpAndUdpOverIpv4AndIpv6AsTheReceiverChecksIt() {
        Random r = new Random(18);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = arena.allocate(4096);
            for (int i = 0; i < 400; i++) {
                boolean v6 = i % 2 == 0, vlan = i % 5 == 0;
                int proto = i % 3 == 0 ? 17 : 6;
                byte[] f = partialFrame(r, v6, proto, r.nextInt(1400), vlan);
                int expected = be(f, 0);
                MemorySegment.copy(f, 0, m, JAVA_BYTE, 64, f.length);
                assertThat(L4Checksum.complete(m, 64, f.length)).isTrue();
                int l3 = vlan ? 18 : 14;
                int field = l3 + (v6 ? 40 : 20) + (proto == 6 ? 16 : 6);
                int got = (m.get(JAVA_BYTE, 64 + field) & 0xFF) << 8 | m.get(JAVA_BYTE, 64 + field + 1) & 0xFF;
                if (proto == 17 && expected == 0) {
                    expected = 0xFFFF;
                }
                assertThat(got).as("frame %d (v6 %b, proto %d, vlan %b)", i, v6, proto, vlan).isEqualTo(expected);
            }
        }
    }

    @Test
    void leavesOtherFramesAlone() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = arena.allocate(128);
            m.set(JAVA_BYTE, 12, (byte) 0x08);
            m.set(JAVA_BYTE, 13, (byte) 0x06); // ARP
            assertThat(L4Checksum.complete(m, 0, 60)).isFalse();
            m.set(JAVA_BYTE, 13, (byte) 0x00);
            m.set(JAVA_BYTE, 14, (byte) 0x45);
            m.set(JAVA_BYTE, 23, (byte) 1); // ICMP
            assertThat(L4Checksum.complete(m, 0, 98)).isFalse();
        }
    }
}
