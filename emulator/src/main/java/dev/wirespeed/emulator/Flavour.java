/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator;

import java.util.Locale;

/**
 * Which chip's VF the emulator pretends to be. The flavours share the register map and mailbox; they
 * differ where the facts sheet says the chips differ: device id, link speed encoding (§1.1, §7),
 * the 82599 max-frame rules (§8.2), promiscuous mode (§8.4), who may ask for the RSS table (§3.2),
 * and the X550's own VF RSS registers (§1.1).
 */
public enum Flavour {
    X82599(0x10ED, "82599"),
    X540(0x1515, "x540"),
    X550(0x1565, "x550"),
    X550EM_X(0x15A8, "x550em_x"),
    X550EM_A(0x15C5, "x550em_a");

    public static final int VENDOR_INTEL = 0x8086;

    private final int vfDeviceId;
    private final String key;

    Flavour(int vfDeviceId, String key) {
        this.vfDeviceId = vfDeviceId;
        this.key = key;
    }

    /** PCI device id of this chip's VF (vendor 0x8086, facts §10). */
    public int vfDeviceId() {
        return vfDeviceId;
    }

    /** The name used in device strings, e.g. {@code flavour=x550}. */
    public String key() {
        return key;
    }

    /** X550, X550EM_x and X550EM_a: the VF has its own RSS registers and MDD can stop a queue. */
    public boolean isX550Family() {
        return ordinal() >= X550.ordinal();
    }

    /** Only the 82599 shares one max frame size between PF and VFs and disables a VF's rx over it (facts §8.2). */
    public boolean hasSharedMaxFrame() {
        return this == X82599;
    }

    /** The Linux PF refuses VF promiscuous mode on chips up to the 82599 (facts §8.4). */
    public boolean allowsVfPromiscuous() {
        return this != X82599;
    }

    /** GET_RETA is answered only for 82599 and X540 VFs (facts §3.2). */
    public boolean answersGetReta() {
        return !isX550Family();
    }

    public static Flavour parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (Flavour f : values()) {
            if (f.key.equals(t)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown flavour '" + text + "': expected one of 82599, x540, x550, x550em_x, x550em_a");
    }
}
