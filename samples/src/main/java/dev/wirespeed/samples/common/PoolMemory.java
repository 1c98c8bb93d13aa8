/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.samples.common;

import dev.wirespeed.core.dma.AnonymousDmaDomain;
import dev.wirespeed.core.dma.DmaDomain;
import dev.wirespeed.core.dma.HugepageDmaDomain;
import dev.wirespeed.core.pci.PciAddress;
import dev.wirespeed.core.pci.PciSysfs;
import dev.wirespeed.core.port.pci.PciPortDriver;
import dev.wirespeed.core.vfio.VfioDmaDomain;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where the samples' packet pools live. A real VF on uio_msi (pci:) reads and writes packet buffers by
 * physical address, so its pools must be in locked 2 MiB hugepages; a VF on vfio-pci reaches memory through
 * the IOMMU, so its pools are ordinary memory mapped into the process's VFIO container; software ports
 * (null:, ring:) only need ordinary memory. One domain serves all ports, because a packet received on one
 * port is sent on another.
 */
public final class PoolMemory {
    private PoolMemory() {
    }

    /**
     * Checks every pci: device first (exists, bound to uio_msi), so that the message a user sees is about
     * the device rather than about hugepages the device would need next; then opens the memory.
     */
    public static DmaDomain forDevices(List<String> devices, String application) {
        List<PciAddress> vfio = new ArrayList<>();
        List<PciAddress> uio = new ArrayList<>();
        for (String d : devices) {
            if (d.toLowerCase(Locale.ROOT).startsWith("pci:")) {
                PciAddress address = PciAddress.parse(d.substring(4));
                new PciPortDriver().checkUsable(address);
                (PciSysfs.system().driver(address).filter("vfio-pci"::equals).isPresent() ? vfio : uio).add(address);
            }
        }
        if (!vfio.isEmpty() && !uio.isEmpty()) {
            throw new IllegalArgumentException("cannot mix devices on vfio-pci (" + vfio + ") and on uio_msi (" + uio + ") in"
                    + " one process: they share packet pools, which must be IOMMU-mapped for the first and physical hugepages for"
                    + " the second; bind them all to one driver (bin/devbind --bind vfio-pci ... recommended)");
        }
        return !vfio.isEmpty() ? VfioDmaDomain.open(application) : !uio.isEmpty() ? HugepageDmaDomain.open()
                : new AnonymousDmaDomain(application);
    }
}
