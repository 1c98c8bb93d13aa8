/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.vfio;

import dev.wirespeed.core.pci.PciAddress;
import dev.wirespeed.core.pci.PciSysfs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * IOMMU group membership and viability as sysfs shows it ({@code /sys/kernel/iommu_groups/N/devices}). VFIO
 * gives a process a group only if every function in it is bound to a VFIO driver, to a driver that does no DMA
 * of its own (pci-stub, and bridges' pcieport), or to none: the IOMMU cannot tell the functions of one group
 * apart, so a kernel driver in the group would share its address space with this process. The kernel's
 * answer ({@code VFIO_GROUP_GET_STATUS}) decides; this class explains it, naming the functions in the way.
 *
 * @param sysfs   the sysfs tree
 * @param address the function being opened, for messages
 */
public record GroupCheck(PciSysfs sysfs, PciAddress address) {
    /** Drivers that leave a group viable (see the kernel's driver_managed_dma users and vfio's pci-stub allowance). */
    public static final Set<String> HARMLESS_DRIVERS = Set.of(VfioAbi.DRIVER, "pci-stub", "pcieport");

    /** The group's directory: {@code <sysfs>/kernel/iommu_groups/N}. */
    public Path groupDirectory(int group) {
        return sysfs.root().resolve("kernel/iommu_groups").resolve(Integer.toString(group));
    }

    /** Every function in the group, sorted. */
    public List<PciAddress> members(int group) {
        Path devices = groupDirectory(group).resolve("devices");
        List<PciAddress> found = new ArrayList<>();
        try (Stream<Path> s = Files.list(devices)) {
            s.forEach(p -> {
                try {
                    found.add(PciAddress.parse(p.getFileName().toString()));
                } catch (IllegalArgumentException notPci) {
                    // a non-PCI device in the group; viability is the kernel's call, reported as such
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the members of IOMMU group " + group + " in " + devices, e);
        }
        found.sort(null);
        return found;
    }

    /** The members bound to a driver that makes the group not viable, with that driver. */
    public List<String> blockers(int group) {
        List<String> out = new ArrayList<>();
        for (PciAddress member : members(group)) {
            Optional<String> driver = sysfs.driver(member);
            if (driver.isPresent() && !HARMLESS_DRIVERS.contains(driver.get())) {
                out.add(member + " (bound to " + driver.get() + ")");
            }
        }
        return out;
    }

    /** Why the kernel called group {@code group} not viable, and the command that makes it viable. */
    public String notViableMessage(int group) {
        List<String> blockers = blockers(group);
        String prefix = "IOMMU group " + group + " of " + address + " is not viable: ";
        if (blockers.isEmpty()) {
            return prefix + "the kernel says a function in it is still used by a kernel driver (members: "
                    + members(group).stream().map(PciAddress::toString).collect(Collectors.joining(", "))
                    + "); see " + groupDirectory(group).resolve("devices");
        }
        String others = blockers.stream().map(b -> b.substring(0, b.indexOf(' '))).collect(Collectors.joining(" "));
        return prefix + "the IOMMU cannot isolate the functions of one group from each other, so every one must be bound"
                + " to vfio-pci or to no driver, but " + String.join(", ", blockers) + (blockers.size() == 1 ? " is" : " are")
                + " not; as root, bin/devbind --bind vfio-pci " + others + " (or --unbind them)";
    }
}
