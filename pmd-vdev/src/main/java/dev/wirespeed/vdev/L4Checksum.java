/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.vdev;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

/**
 * Completes the TCP or UDP checksum of a frame the local stack left for "hardware" to finish.
 *
 * <p>A frame sent by a Linux stack on a veth or TAP with tx checksum offload on (the default) is
 * {@code CHECKSUM_PARTIAL}: its L4 checksum field holds only the pseudo-header sum. A packet socket
 * sees it with {@code TP_STATUS_CSUMNOTREADY}. Forwarded as is, the receiving stack would drop it, so the
 * port finishes the job as the kernel's {@code skb_checksum_help} does: one's-complement sum from the
 * L4 header to the end of the packet (the field included), folded and complemented into the field.
 */
public final class L4Checksum {
    private static final int IPV4 = 0x0800, IPV6 = 0x86DD, VLAN = 0x8100, QINQ = 0x88A8;
    private static final int TCP = 6, UDP = 17;

    private L4Checksum() {
    }

    /** Completes the checksum of the frame at {@code m[off, off+len)}; false if it is not IPv4/IPv6 TCP/UDP (left as is). */
    public static boolean complete(MemorySegment m, long off, int len) {
        int l3 = 12;
        int type = u16(m, off + l3);
        while ((type == VLAN || type == QINQ) && l3 + 6 <= len) {
            l3 += 4;
            type = u16(m, off + l3);
        }
        l3 += 2;
        int proto;
        int l4;
        if (type == IPV4 && l3 + 20 <= len) {
            l4 = l3 + (m.get(JAVA_BYTE, off + l3) & 0x0F) * 4;
            proto = m.get(JAVA_BYTE, off + l3 + 9) & 0xFF;
        } else if (type == IPV6 && l3 + 40 <= len) {
            l4 = l3 + 40; // extension headers are not followed: a stack offloading their checksum is not seen here
            proto = m.get(JAVA_BYTE, off + l3 + 6) & 0xFF;
        } else {
            return false;
        }
        int field = proto == TCP ? l4 + 16 : proto == UDP ? l4 + 6 : -1;
        if (field < 0 || field + 2 > len) {
            return false;
        }
        long sum = 0;
        int i = l4;
        for (; i + 1 < len; i += 2) {
            sum += u16(m, off + i);
        }
        if (i < len) {
            sum += (m.get(JAVA_BYTE, off + i) & 0xFF) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        int csum = (int) ~sum & 0xFFFF;
        if (csum == 0 && proto == UDP) {
            csum = 0xFFFF; // 0 means "no checksum" in UDP
        }
        m.set(JAVA_BYTE, off + field, (byte) (csum >>> 8));
        m.set(JAVA_BYTE, off + field + 1, (byte) csum);
        return true;
    }

    private static int u16(MemorySegment m, long at) {
        return Short.reverseBytes(m.get(JAVA_SHORT_UNALIGNED, at)) & 0xFFFF;
    }
}
