/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.pci;

import java.nio.file.Path;

/**
 * The PCI address names no function the kernel knows: a typo, a VF that has not been created yet, or a
 * device that was removed. The message says where we looked and how to list what exists.
 */
public final class NoSuchPciDeviceException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final PciAddress address;

    public NoSuchPciDeviceException(PciAddress address, Path lookedIn) {
        super("no PCI device " + address + " (looked in " + lookedIn + "); list devices with `lspci -D`"
                + " (virtual functions exist only after SR-IOV is enabled on their physical function)");
        this.address = address;
    }

    public PciAddress address() {
        return address;
    }
}
