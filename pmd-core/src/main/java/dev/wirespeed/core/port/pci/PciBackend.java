/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.port.pci;

import dev.wirespeed.core.device.PciFunction;
import dev.wirespeed.core.pci.PciAddress;
import dev.wirespeed.core.pci.PciSysfs;

/**
 * A way to reach a PCI function from user space, chosen by the kernel driver it is bound to:
 * {@code uio_msi} or {@code vfio-pci}. Found with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/dev.wirespeed.core.port.pci.PciBackend}).
 */
public interface PciBackend {
    /** The kernel driver a device must be bound to for this backend, e.g. {@code "uio_msi"}. */
    String kernelDriver();

    /** Opens the function: maps its BARs on demand, sets up DMA memory and interrupt delivery. */
    PciFunction open(PciAddress address, PciSysfs sysfs);
}
