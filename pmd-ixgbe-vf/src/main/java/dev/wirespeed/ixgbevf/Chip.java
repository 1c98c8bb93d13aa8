/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

import dev.wirespeed.core.port.LinkStatus;

/**
 * The chips whose VFs this driver runs (facts §10) and where they differ: link speed decoding (§1.1),
 * RLPML (X540+), the shared max frame of the 82599 (§8.2), and MDD on the X550 family (§8.9).
 */
public enum Chip {
    X82599(0x10ED, "82599"),
    X540(0x1515, "X540"),
    X550(0x1565, "X550"),
    X550EM_X(0x15A8, "X550EM_x"),
    X550EM_A(0x15C5, "X550EM_a");

    public static final int INTEL = 0x8086;

    private final int deviceId;
    private final String label;

    Chip(int deviceId, String label) {
        this.deviceId = deviceId;
        this.label = label;
    }

    public int deviceId() {
        return deviceId;
    }

    /** The chip whose VF has this PCI id, or null. */
    public static Chip of(int vendorId, int deviceId) {
        if (vendorId != INTEL) {
            return null;
        }
        for (Chip c : values()) {
            if (c.deviceId == deviceId) {
                return c;
            }
        }
        return null;
    }

    public boolean isX550Family() {
        return ordinal() >= X550.ordinal();
    }

    /** The 82599 needs its link read several times: SFP+ and DA cables settle for up to 500 µs (facts §7). */
    boolean needsLinkDebounce() {
        return this == X82599;
    }

    /** Decodes VFLINKS (facts §1.1, §7). */
    LinkStatus decodeLinks(int links) {
        if ((links & Regs.LINKS_UP) == 0) {
            return LinkStatus.DOWN;
        }
        int code = (links >>> Regs.LINKS_SPEED_SHIFT) & 3;
        boolean nonStd = isX550Family() && (links & Regs.LINKS_NON_STD) != 0;
        int mbps = switch (code) {
            case 3 -> nonStd ? 2_500 : 10_000;
            case 2 -> 1_000;
            case 1 -> nonStd && this == X550 ? 5_000 : 100;
            default -> isX550Family() ? 10 : 0; // 10M on every X550-family VF, reserved before (DPDK base ixgbe_read_vflinks); 0 = unknown
        };
        return new LinkStatus(true, mbps, true);
    }

    @Override
    public String toString() {
        return label;
    }
}
