/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.port.pci;

import dev.wirespeed.core.device.PciFunction;
import dev.wirespeed.core.port.Port;
import dev.wirespeed.core.port.PortConfig;

/**
 * A poll-mode driver for some PCI devices, e.g. the 82599-family VF driver. Found with
 * {@link java.util.ServiceLoader} ({@code META-INF/services/dev.wirespeed.core.port.pci.PciDriver}); the
 * first one that {@linkplain #supports supports} a device's ids drives it.
 */
public interface PciDriver {
    /** For messages, e.g. {@code "ixgbe-vf"}. */
    String name();

    boolean supports(int vendorId, int deviceId);

    /** Brings the device up as a port. On failure the driver closes nothing it did not open. */
    Port open(PciFunction function, int portId, PortConfig config);
}
