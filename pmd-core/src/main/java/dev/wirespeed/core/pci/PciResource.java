/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.pci;

/**
 * One line of a device's sysfs {@code resource} file: an address range the function decodes and the
 * kernel's {@code IORESOURCE_*} flags for it. Lines 0–5 are the BARs, 6 the expansion ROM; further lines
 * (SR-IOV VF BARs, bridge windows) follow in the kernel's order. Unused entries are all zero.
 *
 * @param index the line number, which is the kernel's resource index ({@code resourceN} in sysfs)
 * @param start first bus address (unsigned)
 * @param end   last bus address, inclusive (unsigned)
 * @param flags the kernel's {@code IORESOURCE_*} bits
 */
public record PciResource(int index, long start, long end, long flags) {
    /** The range is in I/O port space. */
    public static final long IORESOURCE_IO = 0x100;
    /** The range is in memory space (the only kind a user-space driver can mmap). */
    public static final long IORESOURCE_MEM = 0x200;
    /** Reads have no side effects, so the CPU may map the range write-combined. */
    public static final long IORESOURCE_PREFETCH = 0x2000;
    /** A 64-bit memory BAR, which occupies two BAR slots (the next index is then empty). */
    public static final long IORESOURCE_MEM_64 = 0x100000;

    /** The number of BAR slots in a type-0 configuration header. */
    public static final int BAR_COUNT = 6;
    /** The index of the expansion ROM. */
    public static final int ROM_INDEX = 6;

    public PciResource {
        if (index < 0) {
            throw new IllegalArgumentException("resource index must not be negative, was " + index);
        }
    }

    /**
     * Parses one line {@code 0x<start> 0x<end> 0x<flags>} of the {@code resource} file.
     *
     * @throws IllegalArgumentException if the line is not in that form
     */
    public static PciResource parse(int index, String line) {
        String[] fields = line.trim().split("\\s+");
        if (fields.length != 3) {
            throw new IllegalArgumentException("expected '0x<start> 0x<end> 0x<flags>', found '" + line + "'");
        }
        return new PciResource(index, hex(fields[0], line), hex(fields[1], line), hex(fields[2], line));
    }

    private static long hex(String field, String line) {
        if (field.startsWith("0x") || field.startsWith("0X")) {
            try {
                return Long.parseUnsignedLong(field.substring(2), 16);
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("expected '0x<start> 0x<end> 0x<flags>' in hexadecimal, found '"
                + field + "' in '" + line + "'");
    }

    /** Size in bytes; 0 for an unused slot (all zero, or an empty range). */
    public long size() {
        if ((start == 0 && end == 0) || Long.compareUnsigned(end, start) < 0) {
            return 0;
        }
        return end - start + 1;
    }

    /** The slot decodes something (a BAR that is implemented, a ROM that exists). */
    public boolean isPresent() {
        return size() != 0;
    }

    public boolean isMemory() {
        return (flags & IORESOURCE_MEM) != 0;
    }

    public boolean isIo() {
        return (flags & IORESOURCE_IO) != 0;
    }

    public boolean isPrefetchable() {
        return (flags & IORESOURCE_PREFETCH) != 0;
    }

    public boolean is64Bit() {
        return (flags & IORESOURCE_MEM_64) != 0;
    }

    /** For messages: {@code BAR0}…{@code BAR5}, {@code ROM}, or {@code resource7} and up. */
    public String name() {
        if (index < BAR_COUNT) {
            return "BAR" + index;
        }
        return index == ROM_INDEX ? "ROM" : "resource" + index;
    }

    @Override
    public String toString() {
        if (!isPresent()) {
            return name() + " (unused)";
        }
        String kind = isMemory() ? (is64Bit() ? "64-bit memory" : "32-bit memory") : isIo() ? "I/O" : "other";
        return String.format("%s %s at 0x%x, %d bytes%s", name(), kind, start, size(),
                isPrefetchable() ? ", prefetchable" : "");
    }
}
