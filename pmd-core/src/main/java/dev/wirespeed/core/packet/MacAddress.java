/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.packet;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** A 48-bit Ethernet MAC address, held in the low 48 bits of a long (first byte most significant). */
public record MacAddress(long value) {
    public static final MacAddress BROADCAST = new MacAddress(0xFFFF_FFFF_FFFFL);
    public static final MacAddress ZERO = new MacAddress(0);

    public MacAddress {
        if ((value & ~0xFFFF_FFFF_FFFFL) != 0) {
            throw new IllegalArgumentException("a MAC address has 48 bits: 0x" + Long.toHexString(value));
        }
    }

    /** Parses {@code 02:00:00:00:00:01} (also with '-' separators). */
    public static MacAddress parse(String text) {
        String[] parts = text == null ? new String[0] : text.trim().split("[:-]");
        if (parts.length != 6) {
            throw new IllegalArgumentException("invalid MAC address '" + text + "': expected six hex bytes like 02:00:00:00:00:01");
        }
        long v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 2 || !p.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw new IllegalArgumentException("invalid MAC address '" + text + "': expected six hex bytes like 02:00:00:00:00:01");
            }
            v = v << 8 | Integer.parseInt(p, 16);
        }
        return new MacAddress(v);
    }

    public static MacAddress ofBytes(byte[] b) {
        if (b.length != 6) {
            throw new IllegalArgumentException("a MAC address has 6 bytes, got " + b.length);
        }
        long v = 0;
        for (byte x : b) {
            v = v << 8 | (x & 0xFF);
        }
        return new MacAddress(v);
    }

    /** A random unicast, locally administered address (what a VF uses when the PF assigned none). */
    public static MacAddress randomLocal() {
        long v = ThreadLocalRandom.current().nextLong() & 0xFFFF_FFFF_FFFFL;
        v &= ~(1L << 40); // unicast: clear the I/G bit of the first byte
        v |= 1L << 41;    // locally administered: set the U/L bit
        return new MacAddress(v);
    }

    public byte[] toBytes() {
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (value >>> (40 - 8 * i));
        }
        return b;
    }

    public boolean isMulticast() {
        return (value & (1L << 40)) != 0;
    }

    public boolean isBroadcast() {
        return value == BROADCAST.value;
    }

    public boolean isZero() {
        return value == 0;
    }

    public boolean isLocallyAdministered() {
        return (value & (1L << 41)) != 0;
    }

    @Override
    public String toString() {
        return HexFormat.ofDelimiter(":").formatHex(toBytes());
    }
}
