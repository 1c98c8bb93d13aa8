/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator;

import java.util.HexFormat;

/** A 48-bit Ethernet address held in the low bits of a long; byte 0 is the first on the wire. */
public record MacAddress(long bits) {
    public static final MacAddress ZERO = new MacAddress(0);

    public MacAddress {
        if ((bits >>> 48) != 0) {
            throw new IllegalArgumentException("a MAC address has 48 bits: 0x" + Long.toHexString(bits));
        }
    }

    /** Parses {@code aa:bb:cc:dd:ee:ff} (or with '-'). */
    public static MacAddress parse(String text) {
        String[] parts = text == null ? new String[0] : text.trim().split("[:-]");
        if (parts.length != 6) {
            throw new IllegalArgumentException("invalid MAC address '" + text + "': expected six hex bytes like 02:00:00:00:00:01");
        }
        long v = 0;
        for (String p : parts) {
            if (p.length() != 2 || !HexFormat.isHexDigit(p.charAt(0)) || !HexFormat.isHexDigit(p.charAt(1))) {
                throw new IllegalArgumentException("invalid MAC address '" + text + "': '" + p + "' is not a hex byte");
            }
            v = (v << 8) | Integer.parseInt(p, 16);
        }
        return new MacAddress(v);
    }

    public static MacAddress ofBytes(byte[] b) {
        if (b.length != 6) {
            throw new IllegalArgumentException("a MAC address has 6 bytes, got " + b.length);
        }
        long v = 0;
        for (byte x : b) {
            v = (v << 8) | (x & 0xFF);
        }
        return new MacAddress(v);
    }

    /** Byte {@code i} (0 = first on the wire). */
    public int byteAt(int i) {
        return (int) (bits >>> (8 * (5 - i))) & 0xFF;
    }

    public boolean isZero() {
        return bits == 0;
    }

    /** The group bit: the least significant bit of the first byte. */
    public boolean isMulticast() {
        return (byteAt(0) & 1) != 0;
    }

    /** Usable as a station address: neither zero nor multicast (nor broadcast, which is multicast). */
    public boolean isValidUnicast() {
        return !isZero() && !isMulticast();
    }

    /** Mailbox layout: bytes 0..3 in word 1 (byte 0 lowest), bytes 4..5 in the low half of word 2 (facts §3.2). */
    public int word0() {
        return byteAt(0) | byteAt(1) << 8 | byteAt(2) << 16 | byteAt(3) << 24;
    }

    public int word1() {
        return byteAt(4) | byteAt(5) << 8;
    }

    public static MacAddress fromWords(int w0, int w1) {
        byte[] b = {(byte) w0, (byte) (w0 >>> 8), (byte) (w0 >>> 16), (byte) (w0 >>> 24), (byte) w1, (byte) (w1 >>> 8)};
        return ofBytes(b);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < 6; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(HexFormat.of().toHexDigits((byte) byteAt(i)));
        }
        return sb.toString();
    }
}
