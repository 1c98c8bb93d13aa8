/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.packet;

/**
 * Offload flags in a packet's metadata ({@link PacketPool#flags}). Receive flags are set by the
 * driver from the descriptor; transmit flags are requests the application sets before {@code tx}.
 */
public final class PacketFlags {
    /** The hardware computed an RSS hash: {@link PacketPool#rssHash} is valid. */
    public static final long RX_RSS_HASH = 1L;
    /** A VLAN tag was stripped into {@link PacketPool#vlanTci}. */
    public static final long RX_VLAN_STRIPPED = 1L << 1;
    public static final long RX_IP_CHECKSUM_GOOD = 1L << 2;
    public static final long RX_IP_CHECKSUM_BAD = 1L << 3;
    public static final long RX_L4_CHECKSUM_GOOD = 1L << 4;
    public static final long RX_L4_CHECKSUM_BAD = 1L << 5;

    /** Insert {@link PacketPool#vlanTci} as an 802.1Q tag. */
    public static final long TX_VLAN_INSERT = 1L << 32;
    /** Compute the IPv4 header checksum; needs the L2 and L3 header lengths. */
    public static final long TX_IPV4_CHECKSUM = 1L << 33;
    public static final long TX_TCP_CHECKSUM = 1L << 34;
    public static final long TX_UDP_CHECKSUM = 1L << 35;
    /** The packet is IPv4 (for L4 checksum offload without IP checksum). */
    public static final long TX_IPV4 = 1L << 36;
    public static final long TX_IPV6 = 1L << 37;

    private PacketFlags() {
    }
}
