/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.port;

/** Offloads a port can be asked for in {@link PortConfig}; a driver refuses those it lacks. */
public enum Offload {
    /** Report IPv4/TCP/UDP checksum status in rx packet flags. */
    RX_CHECKSUM,
    /** Strip the VLAN tag into the packet's metadata. */
    RX_VLAN_STRIP,
    /** Receive frames larger than one buffer as chains of buffers. */
    RX_SCATTER,
    TX_IPV4_CHECKSUM,
    TX_TCP_CHECKSUM,
    TX_UDP_CHECKSUM,
    TX_VLAN_INSERT,
    /** Transmit packets made of several buffers. */
    TX_MULTI_SEGMENT
}
