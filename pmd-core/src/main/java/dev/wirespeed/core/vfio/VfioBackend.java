/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.vfio;

import dev.wirespeed.core.pci.NoSuchPciDeviceException;
import dev.wirespeed.core.pci.PciAddress;
import dev.wirespeed.core.pci.PciSysfs;
import dev.wirespeed.core.port.pci.PciBackend;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

/**
 * Reaches PCI functions bound to {@code vfio-pci}: the IOMMU-safe way. The device's DMA is confined by the
 * IOMMU to memory this process mapped, and a user who was handed the group's {@code /dev/vfio/N} (and has a
 * sufficient memory-lock limit) needs no root. Registered for {@link java.util.ServiceLoader}, so
 * {@code pci:} ports use it for every device bound to vfio-pci.
 *
 * <p>Each missing precondition (modules, binding, IOMMU, group viability, permission, memlock) fails with
 * one message naming the fix.
 */
public final class VfioBackend implements PciBackend {
    private final Supplier<VfioContainer> container;

    /** The process's container in {@code /dev/vfio}. */
    public VfioBackend() {
        this(VfioContainer::system);
    }

    VfioBackend(Supplier<VfioContainer> container) {
        this.container = container;
    }

    @Override
    public String kernelDriver() {
        return VfioAbi.DRIVER;
    }

    /** Opens the function at {@code address} in the running system's {@code /sys}. */
    public VfioFunction open(PciAddress address) {
        return open(address, PciSysfs.system());
    }

    @Override
    public VfioFunction open(PciAddress address, PciSysfs sysfs) {
        int number = requireUsable(address, sysfs);
        int vendor = sysfs.vendorId(address);
        int device = sysfs.deviceId(address);
        VfioGroup group = container.get().acquireGroup(number, new GroupCheck(sysfs, address));
        try {
            return VfioFunction.open(address, vendor, device, group);
        } catch (RuntimeException e) {
            group.release();
            throw e;
        }
    }

    /**
     * Checks, in the order a user fixes them: the device exists, vfio-pci is loaded, the device is bound to it, an
     * IOMMU group exists. Returns the group number.
     */
    static int requireUsable(PciAddress address, PciSysfs sysfs) {
        if (!sysfs.exists(address)) {
            throw new NoSuchPciDeviceException(address, sysfs.deviceDirectory(address));
        }
        if (!sysfs.isDriverLoaded(VfioAbi.DRIVER)) {
            throw new IllegalStateException("the vfio-pci kernel module is not loaded (" + sysfs.driverDirectory(VfioAbi.DRIVER)
                    + " does not exist); load it as root with `modprobe vfio-pci` (it loads vfio and vfio_iommu_type1"
                    + " too), then bin/devbind --bind vfio-pci " + address);
        }
        Optional<String> bound = sysfs.driver(address);
        if (bound.isEmpty() || !bound.get().equals(VfioAbi.DRIVER)) {
            throw new IllegalStateException(address + " is " + bound.map(d -> "bound to " + d).orElse("not bound to any driver")
                    + ", not vfio-pci; bind it as root with bin/devbind --bind vfio-pci " + address
                    + bound.map(d -> " (this detaches it from " + d + ")").orElse(""));
        }
        OptionalInt group = sysfs.iommuGroup(address);
        if (group.isEmpty()) {
            throw new IllegalStateException(noIommuMessage(address, sysfs.root()));
        }
        return group.getAsInt();
    }

    /** No IOMMU group: say whether no-IOMMU mode could help, and what else to do. */
    public static String noIommuMessage(PciAddress address, Path sysfsRoot) {
        Path param = sysfsRoot.resolve("module/vfio/parameters/enable_unsafe_noiommu_mode");
        String noIommu = Files.exists(param)
                ? "this kernel has VFIO's no-IOMMU mode: with `echo 1 > " + param + "` (as root) vfio-pci accepts devices"
                        + " without an IOMMU, untranslated and unprotected, like uio_msi's allow_unsafe_dma=1 (it taints the"
                        + " kernel; only for machines where nothing else runs); rebind the device afterwards"
                : "this kernel has no VFIO no-IOMMU mode (built without CONFIG_VFIO_NOIOMMU, as Debian's are)";
        return address + " has no IOMMU group: no IOMMU translates its DMA. Enable VT-d or AMD-Vi in the firmware and boot"
                + " with intel_iommu=on (AMD: on by default); " + noIommu + "; on a machine without an IOMMU use uio_msi"
                + " instead: bin/devbind --bind uio_msi " + address;
    }

    @Override
    public String toString() {
        return "VfioBackend";
    }
}
