/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.packet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Reads and rewrites Ethernet headers in place, without objects: MAC addresses travel as the low 48
 * bits of a {@code long} (see {@link MacAddress#value()}). All methods act on the packet's first segment.
 */
public final class Ethernet {
    public static final int HEADER_LENGTH = 14;
    public static final int VLAN_TAG_LENGTH = 4;
    public static final int TYPE_IPV4 = 0x0800;
    public static final int TYPE_ARP = 0x0806;
    public static final int TYPE_VLAN = 0x8100;
    public static final int TYPE_QINQ = 0x88A8;
    public static final int TYPE_IPV6 = 0x86DD;

    private static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort SHORT_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private Ethernet() {
    }

    public static long destination(PacketPool pool, int handle) {
        return readMac(pool.memory(), pool.dataOffset(handle));
    }

    public static long source(PacketPool pool, int handle) {
        return readMac(pool.memory(), pool.dataOffset(handle) + 6);
    }

    public static void setDestination(PacketPool pool, int handle, long mac) {
        writeMac(pool.memory(), pool.dataOffset(handle), mac);
    }

    public static void setSource(PacketPool pool, int handle, long mac) {
        writeMac(pool.memory(), pool.dataOffset(handle) + 6, mac);
    }

    /** Rewrites both addresses at once (l2fwd's MAC updating, testpmd's {@code mac} mode). */
    public static void setAddresses(PacketPool pool, int handle, long destination, long source) {
        MemorySegment m = pool.memory();
        long at = pool.dataOffset(handle);
        writeMac(m, at, destination);
        writeMac(m, at + 6, source);
    }

    /** Swaps destination and source (testpmd's {@code macswap} mode). */
    public static void swapAddresses(PacketPool pool, int handle) {
        MemorySegment m = pool.memory();
        long at = pool.dataOffset(handle);
        long dst = readMac(m, at);
        long src = readMac(m, at + 6);
        writeMac(m, at, src);
        writeMac(m, at + 6, dst);
    }

    /** The EtherType field right after the addresses (0x8100 for a tagged frame). */
    public static int etherType(PacketPool pool, int handle) {
        return pool.memory().get(SHORT_BE, pool.dataOffset(handle) + 12) & 0xFFFF;
    }

    /** The EtherType of the payload, looking past one 802.1Q/802.1ad tag. */
    public static int innerEtherType(PacketPool pool, int handle) {
        int type = etherType(pool, handle);
        if (type == TYPE_VLAN || type == TYPE_QINQ) {
            return pool.memory().get(SHORT_BE, pool.dataOffset(handle) + 16) & 0xFFFF;
        }
        return type;
    }

    public static boolean isVlanTagged(PacketPool pool, int handle) {
        int type = etherType(pool, handle);
        return type == TYPE_VLAN || type == TYPE_QINQ;
    }

    /** The TCI of the outer tag, or -1 if the frame is untagged. */
    public static int vlanTci(PacketPool pool, int handle) {
        return isVlanTagged(pool, handle) ? pool.memory().get(SHORT_BE, pool.dataOffset(handle) + 14) & 0xFFFF : -1;
    }

    /** Inserts an 802.1Q tag with {@code tci} after the addresses, using 4 bytes of headroom. */
    public static void insertVlan(PacketPool pool, int handle, int tci) {
        pool.prepend(handle, VLAN_TAG_LENGTH);
        MemorySegment m = pool.memory();
        long at = pool.dataOffset(handle);
        MemorySegment.copy(m, at + VLAN_TAG_LENGTH, m, at, 12); // move both MACs to the new front
        m.set(SHORT_BE, at + 12, (short) TYPE_VLAN);
        m.set(SHORT_BE, at + 14, (short) tci);
    }

    /** Removes the outer VLAN tag; returns its TCI, or -1 (and changes nothing) if untagged. */
    public static int stripVlan(PacketPool pool, int handle) {
        int tci = vlanTci(pool, handle);
        if (tci < 0) {
            return -1;
        }
        MemorySegment m = pool.memory();
        long at = pool.dataOffset(handle);
        MemorySegment.copy(m, at, m, at + VLAN_TAG_LENGTH, 12);
        pool.trimFront(handle, VLAN_TAG_LENGTH);
        return tci;
    }

    static long readMac(MemorySegment m, long at) {
        return (Integer.toUnsignedLong(m.get(INT_BE, at)) << 16) | (m.get(SHORT_BE, at + 4) & 0xFFFFL);
    }

    static void writeMac(MemorySegment m, long at, long mac) {
        m.set(INT_BE, at, (int) (mac >>> 16));
        m.set(SHORT_BE, at + 4, (short) mac);
    }
}
