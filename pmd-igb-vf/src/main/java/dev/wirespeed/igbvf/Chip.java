/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.igbvf;

/**
 * The VFs this driver runs (docs/research/igbvf-facts.md §1). Linux igbvf ({@code igbvf_pci_tbl}) knows
 * the 82576 VF and the I350 VF; DPDK's igb VF PMD ({@code pci_id_igbvf_map}) adds their Hyper-V ids,
 * which are the same functions behind Hyper-V's PF. The two families share every register and message;
 * what differs is the queue count and the byte order of the VLAN tag of looped-back frames on I350.
 */
public enum Chip {
    I82576(0x10CA, "82576", 2),
    I82576_HV(0x152D, "82576 (Hyper-V)", 2),
    I350(0x1520, "I350", 1),
    I350_HV(0x152F, "I350 (Hyper-V)", 1);

    public static final int INTEL = 0x8086;

    private final int deviceId;
    private final String label;
    private final int queuePairs;

    Chip(int deviceId, String label, int queuePairs) {
        this.deviceId = deviceId;
        this.label = label;
        this.queuePairs = queuePairs;
    }

    public int deviceId() {
        return deviceId;
    }

    /** Rx/tx queue pairs of the VF: 2 on the 82576, 1 on the I350 (DPDK {@code eth_igbvf_infos_get}). */
    public int queuePairs() {
        return queuePairs;
    }

    /** The chip whose VF has this PCI id, or null. */
    public static Chip of(int vendorId, int deviceId) {
        return vendorId != INTEL ? null : switch (deviceId) {
            case 0x10CA -> I82576;
            case 0x152D -> I82576_HV;
            case 0x1520 -> I350;
            case 0x152F -> I350_HV;
            default -> null;
        };
    }

    /**
     * I350 VFs write the VLAN tag of a looped-back frame (rx status LB) big-endian (Linux igbvf_probe's
     * IGBVF_FLAG_RX_LB_VLAN_BSWAP; DPDK eth_igbvf_rx_init's IGB_RXQ_FLAG_LB_BSWAP_VLAN).
     */
    boolean swapsLoopbackVlan() {
        return this == I350 || this == I350_HV;
    }

    @Override
    public String toString() {
        return label;
    }
}
