/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.dma;

/**
 * Works out what the rx write-back reports about a frame (facts §2.1): the packet type flags and the
 * IPv4 / TCP / UDP checksum status and error bits, computed from the frame itself (held in a heap
 * array, see {@link NetBytes}). A VLAN tag is skipped by {@code l3Offset}.
 */
final class RxClassifier {
    static final int PTYPE_IPV4 = 0x10, PTYPE_IPV6 = 0x40, PTYPE_TCP = 0x100, PTYPE_UDP = 0x200;
    static final int STAT_UDPCS = 1 << 4, STAT_L4CS = 1 << 5, STAT_IPCS = 1 << 6;
    static final int ERR_TCPE = 1 << 30, ERR_IPE = 1 << 31;

    /** Set by {@link #classify}: packet type for DW0 bits 16:4 (already shifted). */
    int packetType;
    /** Set by {@link #classify}: status and error bits for DW2 (without DD/EOP/VP). */
    int statusErrors;
    /**
     * Set by {@link #classify}: offset of the IP header in the array (0 if not IP), whether IPv4, the L4
     * header offset (0 if not TCP/UDP or a fragment).
     */
    int ipOffset, l4Offset;
    boolean ipv4;
    /** Set by {@link #classify} for IPv4: source and destination address as the header has them (big-endian). */
    long ipv4Addresses;

    /**
     * Classifies the frame of {@code length} bytes at {@code base} whose L3 header of type {@code etherType}
     * (the caller has read it already) starts {@code l3Offset} bytes in.
     */
    void classify(byte[] f, int base, int l3Offset, int etherType, int length) {
        packetType = 0;
        statusErrors = 0;
        ipOffset = 0;
        l4Offset = 0;
        if (length < l3Offset + 20) {
            return;
        }
        if (etherType == 0x0800) {
            ipv4(f, base + l3Offset, base + length);
        } else if (etherType == 0x86DD) {
            ipv6(f, base + l3Offset, base + length);
        }
    }

    // classify() is split by protocol so that each part stays small enough for the JIT to inline where
    // it is hot (one method of 675 bytecodes was compiled apart).

    private void ipv4(byte[] f, int ip, int end) {
        // the 20-byte header in three reads, taken apart in registers
        long w0 = NetBytes.get64(f, ip);      // version/IHL, TOS, total length, id, flags/fragment offset
        long w1 = NetBytes.get64(f, ip + 8);  // TTL, protocol, header checksum, source address
        int w2 = NetBytes.get32(f, ip + 16);  // destination address
        int b0 = (int) (w0 >>> 56) & 0xFF;
        int ihl = (b0 & 0xF) * 4;
        int total = (int) (w0 >>> 32) & 0xFFFF;
        if ((b0 >>> 4) != 4 || ihl < 20 || end < ip + ihl || total < ihl || end < ip + total) {
            return;
        }
        ipv4 = true;
        ipOffset = ip;
        ipv4Addresses = w1 << 32 | Integer.toUnsignedLong(w2);
        packetType |= PTYPE_IPV4;
        statusErrors |= STAT_IPCS;
        long sum = (w0 >>> 32) + (w0 & 0xFFFF_FFFFL) + (w1 >>> 32) + (w1 & 0xFFFF_FFFFL) + Integer.toUnsignedLong(w2);
        if (ihl > 20) {
            sum = Checksums.sum(f, ip + 20, ihl - 20, sum); // options
        }
        if (!Checksums.verifies(sum)) {
            statusErrors |= ERR_IPE;
        }
        if (((int) w0 & 0x3FFF) != 0) {
            return; // a fragment (MF flag or offset): no L4 checksum
        }
        int protocol = (int) (w1 >>> 48) & 0xFF;
        int l4Length = total - ihl;
        long pseudo = (ipv4Addresses >>> 32) + (ipv4Addresses & 0xFFFF_FFFFL) + protocol + l4Length;
        transport(f, ip + ihl, protocol, l4Length, true, pseudo);
    }

    private void ipv6(byte[] f, int ip, int end) {
        if (end < ip + 40 || NetBytes.get8(f, ip) >>> 4 != 6) {
            return;
        }
        ipv4 = false;
        ipOffset = ip;
        packetType |= PTYPE_IPV6;
        int protocol = NetBytes.get8(f, ip + 6); // extension headers are not walked
        int l4Length = NetBytes.get16(f, ip + 4);
        if (end < ip + 40 + l4Length) {
            return;
        }
        transport(f, ip + 40, protocol, l4Length, false, Checksums.pseudoHeader(f, ip, false, protocol, l4Length));
    }

    /** TCP or UDP: the packet type and the L4 checksum status; {@code pseudo} is the pseudo-header's sum. */
    private void transport(byte[] f, int l4, int protocol, int l4Length, boolean v4, long pseudo) {
        if (protocol == 6 && l4Length >= 20) {
            packetType |= PTYPE_TCP;
            l4Offset = l4;
        } else if (protocol == 17 && l4Length >= 8) {
            packetType |= PTYPE_UDP;
            l4Offset = l4;
            if (v4 && NetBytes.get16(f, l4 + 6) == 0) {
                return; // IPv4 UDP without checksum: nothing to check
            }
        } else {
            return;
        }
        statusErrors |= STAT_L4CS | (protocol == 17 ? STAT_UDPCS : 0);
        if (!Checksums.verifies(Checksums.sum(f, l4, l4Length, pseudo))) {
            statusErrors |= ERR_TCPE;
        }
    }
}
