/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.pci;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The sysfs writes that change what the kernel does with a PCI function: which driver owns it, which
 * ids a driver takes, how many virtual functions a physical function has. They need root; without it
 * they throw a {@link SysfsException} saying so. Get one from {@link PciSysfs#admin()}.
 *
 * <p>Each method checks what it can before writing (device exists, driver loaded, VF count within
 * the limit) so that the common mistakes get a message that says how to fix them instead of a bare
 * errno from the kernel.
 */
public final class PciAdmin {
    private final PciSysfs sysfs;
    private final AttributeWriter writer;

    PciAdmin(PciSysfs sysfs) {
        this(sysfs, SysfsFiles::write);
    }

    /** With the writes going through {@code writer}: tests record their order, which plain files hide. */
    PciAdmin(PciSysfs sysfs, AttributeWriter writer) {
        this.sysfs = Objects.requireNonNull(sysfs, "sysfs");
        this.writer = Objects.requireNonNull(writer, "writer");
    }

    /** Performs one write of a sysfs attribute. */
    @FunctionalInterface
    interface AttributeWriter {
        void write(Path file, String value);
    }

    /**
     * Detaches the device from its driver. Does nothing if no driver is bound.
     *
     * @return the driver it was bound to, so a caller can give the device back later
     */
    public Optional<String> unbind(PciAddress address) {
        Optional<String> bound = sysfs.driver(address);
        if (bound.isPresent()) {
            writer.write(sysfs.attribute(address, "driver").resolve("unbind"), address.toString());
        }
        return bound;
    }

    /**
     * Binds an unbound device to {@code driver}: reserves it for that driver through
     * {@code driver_override} (so the driver takes it whatever ids its table lists, and no other driver
     * grabs it on a rescan), then asks the driver to probe it. Does nothing if the device is already
     * bound to that driver.
     *
     * @throws IllegalStateException if the driver is not loaded, or the device is bound to another driver
     */
    public void bind(PciAddress address, String driver) {
        sysfs.requireDevice(address);
        Path driverDir = sysfs.requireDriver(driver);
        Optional<String> bound = sysfs.driver(address);
        if (bound.isPresent()) {
            if (bound.get().equals(driver)) {
                return;
            }
            throw new IllegalStateException("cannot bind " + address + " to " + driver + ": it is bound to "
                    + bound.get() + "; unbind it first (PciAdmin.unbind, or `echo " + address + " > "
                    + sysfs.attribute(address, "driver").resolve("unbind") + "`)");
        }
        setDriverOverride(address, driver);
        writer.write(driverDir.resolve("bind"), address.toString());
    }

    /** Reserves the device for {@code driver}, or with {@code null} removes the reservation. */
    public void setDriverOverride(PciAddress address, String driver) {
        Path file = sysfs.attribute(address, "driver_override");
        if (!Files.exists(file)) {
            throw new IllegalStateException("cannot set the driver override of " + address + ": " + file
                    + " does not exist (the kernel is older than 3.16); use newId instead");
        }
        // An empty write(2) never reaches the kernel, so a lone newline is how an override is cleared.
        writer.write(file, driver == null ? "\n" : PciSysfs.checkDriverName(driver));
    }

    /**
     * Adds a vendor/device id pair to the ids {@code driver} takes; the kernel then probes every unbound
     * device with those ids. The older way to bind a driver without an id table (e.g. uio_pci_generic).
     */
    public void newId(String driver, int vendorId, int deviceId) {
        if (vendorId < 0 || vendorId > 0xFFFF || deviceId < 0 || deviceId > 0xFFFF) {
            throw new IllegalArgumentException(String.format(
                    "vendor and device ids are 16-bit, got vendor 0x%x and device 0x%x", vendorId, deviceId));
        }
        writer.write(sysfs.requireDriver(driver).resolve("new_id"), String.format("%04x %04x", vendorId, deviceId));
    }

    /**
     * Sets how many virtual functions the physical function has (0 removes them all). Changing between
     * two non-zero counts goes through 0, because the kernel refuses that change directly (EBUSY).
     */
    public void setNumVfs(PciAddress pf, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("the number of VFs cannot be negative, was " + count);
        }
        int total = sysfs.sriovTotalVfs(pf);
        if (count > total) {
            throw new IllegalArgumentException("cannot enable " + count + " VFs on " + pf + ": it supports at most "
                    + total + " (" + sysfs.attribute(pf, "sriov_totalvfs") + ")");
        }
        int current = sysfs.sriovNumVfs(pf);
        if (current == count) {
            return;
        }
        if (sysfs.driver(pf).isEmpty()) {
            // The kernel asks the PF's driver to create the VFs; without one it fails with ENOENT.
            throw new IllegalStateException("cannot change the number of VFs of " + pf
                    + ": no driver is bound to it; bind its physical-function driver first (e.g. ixgbe for an 82599)");
        }
        Path file = sysfs.attribute(pf, "sriov_numvfs");
        if (current != 0 && count != 0) {
            writer.write(file, "0");
        }
        writer.write(file, Integer.toString(count));
    }
}
