/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.pf;

/** UPDATE_XCAST_MODE modes, in wire order (facts §3.2). */
public enum XcastMode {
    /** No multicast at all. */
    NONE,
    /** Multicast addresses in the VF's hash list (the default after reset). */
    MULTI,
    /** All multicast. */
    ALLMULTI,
    /** Everything (trusted VF, API ≥ 1.3, not on 82599, PF promiscuous). */
    PROMISC;

    public static XcastMode fromWire(int v) {
        return v >= 0 && v < values().length ? values()[v] : null;
    }
}
