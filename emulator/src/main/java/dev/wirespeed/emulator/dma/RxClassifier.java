/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.dma;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Works out what the rx write-back reports about a frame (facts §2.1): the packet type flags and the
 * IPv4 / TCP / UDP checksum status and error bits, computed from the frame itself. Frames are
 * untagged here (a VLAN tag was stripped or is skipped by {@code l3Offset}).
 */
final class RxClassifier {
    static final int PTYPE_IPV4 = 0x10, PTYPE_IPV6 = 0x40, PTYPE_TCP = 0x100, PTYPE_UDP = 0x200;
    static final int STAT_UDPCS = 1 << 4, STAT_L4CS = 1 << 5, STAT_IPCS = 1 << 6;
    static final int ERR_TCPE = 1 << 30, ERR_IPE = 1 << 31;

    /** Set by {@link #classify}: packet type for DW0 bits 16:4 (already shifted). */
    int packetType;
    /** Set by {@link #classify}: status and error bits for DW2 (without DD/EOP/VP). */
    int statusErrors;
    /** Set by {@link #classify}: offset of the IP header (0 if not IP), whether IPv4, the L4 header offset (0 if not TCP/UDP or a fragment). */
    int ipOffset, l4Offset;
    boolean ipv4;

    void classify(MemorySegment f, int l3Offset, int length) {
        packetType = 0;
        statusErrors = 0;
        ipOffset = 0;
        l4Offset = 0;
        if (length < l3Offset + 20) {
            return;
        }
        int etherType = Checksums.get16(f, l3Offset - 2);
        int ip = l3Offset;
        int protocol;
        int l4;
        int l4Length;
        boolean v4;
        if (etherType == 0x0800) {
            int b0 = f.get(ValueLayout.JAVA_BYTE, ip) & 0xFF;
            int ihl = (b0 & 0xF) * 4;
            int total = Checksums.get16(f, ip + 2);
            if ((b0 >>> 4) != 4 || ihl < 20 || length < ip + ihl || total < ihl || length < ip + total) {
                return;
            }
            v4 = true;
            ipv4 = true;
            ipOffset = ip;
            packetType |= PTYPE_IPV4;
            statusErrors |= STAT_IPCS;
            if (Checksums.finish(Checksums.sum(f, ip, ihl, 0)) != 0) {
                statusErrors |= ERR_IPE;
            }
            int fragment = Checksums.get16(f, ip + 6) & 0x3FFF; // MF flag and offset
            if (fragment != 0) {
                return; // no L4 checksum on fragments
            }
            protocol = f.get(ValueLayout.JAVA_BYTE, ip + 9) & 0xFF;
            l4 = ip + ihl;
            l4Length = total - ihl;
        } else if (etherType == 0x86DD) {
            if (length < ip + 40 || ((f.get(ValueLayout.JAVA_BYTE, ip) & 0xFF) >>> 4) != 6) {
                return;
            }
            v4 = false;
            ipv4 = false;
            ipOffset = ip;
            packetType |= PTYPE_IPV6;
            protocol = f.get(ValueLayout.JAVA_BYTE, ip + 6) & 0xFF; // extension headers are not walked
            l4 = ip + 40;
            l4Length = Checksums.get16(f, ip + 4);
            if (length < l4 + l4Length) {
                return;
            }
        } else {
            return;
        }
        if (protocol == 6 && l4Length >= 20) {
            packetType |= PTYPE_TCP;
            l4Offset = l4;
        } else if (protocol == 17 && l4Length >= 8) {
            packetType |= PTYPE_UDP;
            l4Offset = l4;
            if (v4 && Checksums.get16(f, l4 + 6) == 0) {
                return; // IPv4 UDP without checksum: nothing to check
            }
        } else {
            return;
        }
        statusErrors |= STAT_L4CS | (protocol == 17 ? STAT_UDPCS : 0);
        long sum = Checksums.pseudoHeader(f, ip, v4, protocol, l4Length);
        if (Checksums.finish(Checksums.sum(f, l4, l4Length, sum)) != 0) {
            statusErrors |= ERR_TCPE;
        }
    }
}
