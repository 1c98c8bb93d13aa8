/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.port.pci;

import dev.wirespeed.core.device.PciFunction;
import dev.wirespeed.core.pci.NoSuchPciDeviceException;
import dev.wirespeed.core.pci.PciAddress;
import dev.wirespeed.core.pci.PciSysfs;
import dev.wirespeed.core.port.DeviceSpec;
import dev.wirespeed.core.port.Port;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.core.port.PortDriver;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Opens {@code pci:BDF} ports: finds the device in sysfs, picks the backend from the kernel driver it is
 * bound to and the poll-mode driver from its vendor/device ids, and says exactly what to do when any of
 * those is missing.
 */
public final class PciPortDriver implements PortDriver {
    private final PciSysfs sysfs;
    private final List<PciBackend> backends;
    private final List<PciDriver> drivers;

    /** As found by ServiceLoader: the real {@code /sys} and every registered backend and driver. */
    public PciPortDriver() {
        this(PciSysfs.system(), load(PciBackend.class), load(PciDriver.class));
    }

    public PciPortDriver(PciSysfs sysfs, List<PciBackend> backends, List<PciDriver> drivers) {
        this.sysfs = sysfs;
        this.backends = List.copyOf(backends);
        this.drivers = List.copyOf(drivers);
    }

    private static <T> List<T> load(Class<T> type) {
        List<T> found = new ArrayList<>();
        ServiceLoader.load(type).forEach(found::add);
        return found;
    }

    @Override
    public String scheme() {
        return "pci";
    }

    @Override
    public String usage() {
        return "pci:DOMAIN:BUS:DEV.FN   a PCI function bound to " + backendNames() + ", e.g. pci:0000:03:10.0";
    }

    @Override
    public Port open(DeviceSpec spec, int portId, PortConfig config) {
        spec.requireOnly(Set.of());
        if (spec.positional() == null) {
            throw new IllegalArgumentException("device '" + spec.text() + "': expected pci:dddd:bb:dd.f, e.g. pci:0000:03:10.0");
        }
        PciAddress address = PciAddress.parse(spec.positional());
        PciDriver driver = driverFor(address);
        PciBackend backend = backendFor(address);
        PciFunction function = backend.open(address, sysfs);
        try {
            return driver.open(function, portId, config);
        } catch (RuntimeException e) {
            function.close();
            throw e;
        }
    }

    /**
     * Checks, without opening anything, that {@code address} is a device wirespeed can drive and that it
     * is bound to a user-space driver; fails with the message that says how to fix it. Applications call
     * this before they reserve memory for the device, so the first error is about the device.
     */
    public void checkUsable(PciAddress address) {
        driverFor(address);
        backendFor(address);
    }

    private PciDriver driverFor(PciAddress address) {
        if (!sysfs.exists(address)) {
            throw new NoSuchPciDeviceException(address, sysfs.deviceDirectory(address));
        }
        int vendor = sysfs.vendorId(address);
        int device = sysfs.deviceId(address);
        return drivers.stream().filter(d -> d.supports(vendor, device)).findFirst().orElseThrow(() ->
                new IllegalArgumentException(String.format("%s (%04x:%04x) is not a device wirespeed can drive; drivers: %s%s",
                        address, vendor, device, drivers.isEmpty() ? "none on the class path (add pmd-ixgbe-vf or pmd-igb-vf)"
                                : drivers.stream().map(PciDriver::name).collect(Collectors.joining(", ")),
                        physicalFunctionHint(address))));
    }

    /**
     * wirespeed drives virtual functions; a user who names the NIC itself (the SR-IOV physical function,
     * which keeps its kernel driver and answers the VFs' mailboxes) needs to be told to make VFs and use one.
     */
    private String physicalFunctionHint(PciAddress address) {
        if (!sysfs.hasSriov(address)) {
            return "";
        }
        int enabled = sysfs.sriovNumVfs(address);
        return ". It is an SR-IOV physical function: leave it on its kernel driver and use one of its virtual functions"
                + (enabled > 0
                        ? " (it has " + enabled + "; bin/devbind --status lists them)"
                        : " (it has none yet: bin/devbind --create-vfs 2 " + address + ", up to " + sysfs.sriovTotalVfs(address) + ")")
                + ", bound to vfio-pci or uio_msi";
    }

    private PciBackend backendFor(PciAddress address) {
        String bound = sysfs.driver(address).orElse(null);
        return backends.stream().filter(b -> b.kernelDriver().equals(bound)).findFirst().orElseThrow(() ->
                new IllegalArgumentException(address + " is " + (bound == null ? "not bound to any driver" : "bound to '" + bound + "'")
                        + "; wirespeed needs it bound to " + backendNames() + ". Load the module and bind it: "
                        + "bin/devbind --bind vfio-pci " + address + " on a machine with an IOMMU (safe, no root needed to run),"
                        + " else bin/devbind --bind uio_msi " + address));
    }

    private String backendNames() {
        return backends.isEmpty() ? "uio_msi (no backend is on the class path yet)"
                : backends.stream().map(PciBackend::kernelDriver).collect(Collectors.joining(" or "));
    }
}
