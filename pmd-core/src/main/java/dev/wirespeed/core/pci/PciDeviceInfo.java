/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.pci;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What sysfs said about one PCI function at one moment: identity, the driver bound to it, its IOMMU
 * group and NUMA node. A snapshot: binding a driver afterwards does not change it.
 *
 * @param classCode  24-bit class code: base class, subclass, programming interface (0x020000 = Ethernet)
 * @param driver     the kernel driver bound to it, if any (e.g. {@code ixgbevf}, {@code uio_msi})
 * @param iommuGroup the IOMMU group number, if an IOMMU is active (VFIO opens {@code /dev/vfio/<group>})
 * @param numaNode   the NUMA node the device is attached to, or -1 if the kernel does not know
 */
public record PciDeviceInfo(PciAddress address, int vendorId, int deviceId, int subsystemVendorId,
                            int subsystemDeviceId, int classCode, Optional<String> driver,
                            OptionalInt iommuGroup, int numaNode) {
    public PciDeviceInfo {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(iommuGroup, "iommuGroup");
    }

    /** A network controller (PCI base class 0x02). */
    public boolean isNetwork() {
        return PciSysfs.isNetworkClass(classCode);
    }

    /** In the style of {@code lspci -Dnn}: {@code 0000:03:10.0 [0200] 8086:10ed (8086:7b11) driver=ixgbevf ...}. */
    @Override
    public String toString() {
        return String.format("%s [%04x] %04x:%04x (%04x:%04x) driver=%s iommu_group=%s numa_node=%d",
                address, classCode >>> 8, vendorId, deviceId, subsystemVendorId, subsystemDeviceId,
                driver.orElse("none"), iommuGroup.isPresent() ? Integer.toString(iommuGroup.getAsInt()) : "none",
                numaNode);
    }
}
