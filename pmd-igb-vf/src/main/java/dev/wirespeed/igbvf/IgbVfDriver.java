/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.igbvf;

import dev.wirespeed.core.device.PciFunction;
import dev.wirespeed.core.port.Port;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.core.port.pci.PciDriver;

/** The 82576/I350 VF driver as pmd-core finds it through {@link java.util.ServiceLoader}. */
public final class IgbVfDriver implements PciDriver {
    @Override
    public String name() {
        return "igb-vf";
    }

    @Override
    public boolean supports(int vendorId, int deviceId) {
        return Chip.of(vendorId, deviceId) != null;
    }

    @Override
    public Port open(PciFunction function, int portId, PortConfig config) {
        return IgbVfPort.open(function, portId, config);
    }
}
