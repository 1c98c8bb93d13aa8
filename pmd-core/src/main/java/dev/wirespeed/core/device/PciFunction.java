/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.device;

import dev.wirespeed.core.dma.DmaDomain;
import dev.wirespeed.core.pci.PciAddress;

/**
 * An opened PCI function as a poll-mode driver sees it: identity, register windows, DMA memory and
 * interrupt vectors. Drivers use nothing else, so the same driver runs on uio_msi, VFIO and the emulator.
 *
 * <p>A driver resets the device, programs it, then calls {@link #enableDma()}. Closing releases the BAR
 * mappings and interrupt bindings and quiesces the device (bus mastering off where the backend can do
 * that); the DMA domain is closed by its own owner.
 */
public interface PciFunction extends AutoCloseable {
    PciAddress address();

    int vendorId();

    int deviceId();

    /** The memory BAR {@code index} (0–5), mapped on first use. Fails clearly for an I/O or absent BAR. */
    Bar bar(int index);

    /** Where this device's DMA memory comes from. */
    DmaDomain dma();

    InterruptVectors interrupts();

    /**
     * Whether the function was taken away from this process (unbound from its kernel driver or unplugged)
     * while open: its registers must not be touched any more. A driver asks this before reading a register
     * to find out why its device went quiet. The default: never (backends where that cannot happen).
     */
    default boolean removed() {
        return false;
    }

    /**
     * Lets the device master the bus (DMA). Call it once the device is reset and points at this
     * process's rings, before enabling any queue. uio_msi opens a function with bus mastering off,
     * because the device may still hold the previous user's ring addresses and many devices have no
     * function reset that clears them: without this call the device cannot read or write memory. The
     * default does nothing, for backends where that is already safe (the emulator; VFIO, where the
     * IOMMU confines DMA). Closing the function turns DMA off again.
     */
    default void enableDma() {
    }

    /** Which backend opened it, e.g. {@code "uio_msi"}, {@code "vfio"}, {@code "emulator"}. */
    String backend();

    @Override
    void close();
}
