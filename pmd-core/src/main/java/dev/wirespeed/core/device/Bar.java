/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.device;

/**
 * A device register window (a PCI BAR): 32-bit register reads and writes at byte offsets.
 *
 * <p>Ordering contract, the one a driver relies on for doorbells: every store the calling thread made
 * to DMA memory before {@link #write32} is visible to the device before the register write takes
 * effect (a descriptor written, then the tail bumped). A {@link #read32} is never cached, merged or
 * moved before an earlier {@code write32} by the JIT.
 *
 * <p>Real hardware: {@link MappedBar} over an mmap of the BAR. Emulated devices implement this
 * interface and run the device model for registers with side effects inside the call.
 */
public interface Bar {
    /** Reads the 32-bit register at {@code offset} (a multiple of 4). */
    int read32(long offset);

    /** Writes the 32-bit register at {@code offset} (a multiple of 4), after all earlier DMA-memory stores. */
    void write32(long offset, int value);

    /** Size of the window in bytes. */
    long size();

    /** For messages, e.g. {@code "BAR0 of 0000:03:10.0"}. */
    String name();
}
