/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.pf;

/** Administrative VF link state ({@code ip link set … vf N state auto|enable|disable}). */
public enum LinkState {
    /** Follow the PF's link (the default). */
    AUTO,
    /** Report enabled whatever the PF's link. */
    ENABLE,
    /** Administratively down: the PF keeps the VF's rx and tx off (facts §8.1). */
    DISABLE;

    /** What GET_LINK_STATE answers: the administrative enable, not the physical link (facts §3.2). */
    public boolean enabled() {
        return this != DISABLE;
    }
}
