/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator;

import dev.wirespeed.emulator.regs.VfRegisterMap;

/** Link speeds and their VFLINKS encoding per flavour (facts §1.1, §7). */
public enum LinkSpeed {
    M10, M100, G1, G2_5, G5, G10;

    private static final int CODE_10G = 0b11, CODE_1G = 0b10, CODE_100M = 0b01, CODE_10M = 0b00;

    /**
     * The VFLINKS speed bits (29:28, plus NON_STD bit 27 on X550 and later) for this speed on
     * {@code flavour}; fails for a speed the chip cannot run.
     */
    public int linksBits(Flavour flavour) {
        int code = switch (this) {
            case G10 -> CODE_10G;
            case G1 -> CODE_1G;
            case M100 -> CODE_100M;
            // NON_STD turns the 10G code into 2.5G (X550 family) and the 100M code into 5G (X550 only)
            case G2_5 -> flavour.isX550Family() ? CODE_10G | 0b100 : unsupported(flavour);
            case G5 -> flavour == Flavour.X550 ? CODE_100M | 0b100 : unsupported(flavour);
            case M10 -> flavour == Flavour.X550EM_A ? CODE_10M : unsupported(flavour);
        };
        int bits = (code & 0b11) << VfRegisterMap.LINKS_SPEED_SHIFT;
        return (code & 0b100) != 0 ? bits | VfRegisterMap.LINKS_NON_STD : bits;
    }

    private int unsupported(Flavour flavour) {
        throw new IllegalArgumentException("link speed " + this + " is not possible on a " + flavour.key()
                + " VF: 82599/X540 run 100M/1G/10G, X550 adds 2.5G and 5G, X550EM_x adds 2.5G, X550EM_a adds 2.5G and 10M");
    }
}
