/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

import dev.wirespeed.core.device.PciFunction;
import dev.wirespeed.core.port.Port;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.core.port.pci.PciDriver;

/** The 82599-family VF driver as pmd-core finds it through {@link java.util.ServiceLoader}. */
public final class IxgbeVfDriver implements PciDriver {
    @Override
    public String name() {
        return "ixgbe-vf";
    }

    @Override
    public boolean supports(int vendorId, int deviceId) {
        return Chip.of(vendorId, deviceId) != null;
    }

    @Override
    public Port open(PciFunction function, int portId, PortConfig config) {
        return IxgbeVfPort.open(function, portId, config);
    }
}
