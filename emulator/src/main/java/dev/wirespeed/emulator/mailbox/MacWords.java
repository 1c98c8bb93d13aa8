/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.mailbox;

import dev.wirespeed.core.packet.MacAddress;

/** How a MAC address travels in mailbox messages (facts §3.2): bytes 0..3 in one word (byte 0 lowest), bytes 4..5 in the low half of the next. */
public final class MacWords {
    private MacWords() {
    }

    public static int word0(MacAddress mac) {
        return Integer.reverseBytes((int) (mac.value() >>> 16));
    }

    public static int word1(MacAddress mac) {
        return Short.toUnsignedInt(Short.reverseBytes((short) mac.value()));
    }

    public static MacAddress fromWords(int w0, int w1) {
        long hi = Integer.toUnsignedLong(Integer.reverseBytes(w0));
        long lo = Short.toUnsignedInt(Short.reverseBytes((short) w1));
        return new MacAddress(hi << 16 | lo);
    }

    /** Usable as a station address: neither zero nor a group (multicast/broadcast) address. */
    public static boolean isStation(MacAddress mac) {
        return !mac.isZero() && !mac.isMulticast();
    }
}
