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
 * <p>Closing releases the BAR mappings and interrupt bindings and quiesces the device (bus mastering
 * off where the backend can do that); the DMA domain is closed by its own owner.
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

    /** Which backend opened it, e.g. {@code "uio_msi"}, {@code "vfio"}, {@code "emulator"}. */
    String backend();

    @Override
    void close();
}
