/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.pci;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PCI function address {@code dddd:bb:dd.f}: domain, bus (8 bits), device (5), function (3).
 * Parsing accepts the domain-less form {@code bb:dd.f} (domain 0); printing always includes the domain,
 * as sysfs names devices.
 *
 * <p>The domain is normally 16 bits, but Linux numbers the domains behind an Intel VMD controller from
 * 0x10000 up (sysfs shows e.g. {@code 10000:e1:00.0}), so any non-negative {@code int} is accepted; it
 * prints with at least four hex digits, exactly as the kernel does.
 */
public record PciAddress(int domain, int bus, int device, int function) implements Comparable<PciAddress> {
    private static final String EXPECTED = "expected dddd:bb:dd.f or bb:dd.f in hexadecimal, e.g. 0000:03:10.0";
    private static final Pattern FORM = Pattern.compile(
            "(?:([0-9a-fA-F]{1,8}):)?([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})\\.([0-7])");

    public PciAddress {
        if (domain < 0 || bus < 0 || bus > 0xFF || device < 0 || device > 0x1F || function < 0 || function > 7) {
            throw new IllegalArgumentException(String.format(
                    "PCI address out of range: domain %d (0-%d), bus %d (0-255), device %d (0-31), function %d (0-7)",
                    domain, Integer.MAX_VALUE, bus, device, function));
        }
    }

    /** Parses {@code dddd:bb:dd.f} or {@code bb:dd.f} (hexadecimal); the message shows the expected form. */
    public static PciAddress parse(String text) {
        Matcher m = text == null ? null : FORM.matcher(text.trim());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("invalid PCI address '" + text + "': " + EXPECTED);
        }
        int device = Integer.parseInt(m.group(3), 16);
        if (device > 0x1F) {
            throw new IllegalArgumentException("invalid PCI address '" + text + "': device " + m.group(3)
                    + " is above 1f; " + EXPECTED);
        }
        long domain = m.group(1) == null ? 0 : Long.parseLong(m.group(1), 16);
        if (domain > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("invalid PCI address '" + text + "': domain " + m.group(1)
                    + " is above 7fffffff; " + EXPECTED);
        }
        return new PciAddress((int) domain, Integer.parseInt(m.group(2), 16), device, Integer.parseInt(m.group(4)));
    }

    @Override
    public String toString() {
        return String.format("%04x:%02x:%02x.%x", domain, bus, device, function);
    }

    @Override
    public int compareTo(PciAddress o) {
        return Long.compare(key(), o.key());
    }

    private long key() {
        return ((long) domain << 16) | (bus << 8) | (device << 3) | function;
    }
}
