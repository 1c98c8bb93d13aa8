/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.samples.common;

import dev.wirespeed.core.dma.AnonymousDmaDomain;
import dev.wirespeed.core.dma.DmaDomain;
import dev.wirespeed.core.dma.HugepageDmaDomain;
import dev.wirespeed.core.pci.PciAddress;
import dev.wirespeed.core.port.pci.PciPortDriver;

import java.util.List;
import java.util.Locale;

/**
 * Where the samples' packet pools live. A real VF (pci:) reads and writes packet buffers by physical
 * address, so its pools must be in locked 2 MiB hugepages; software ports (null:, ring:) only need
 * ordinary memory. One domain serves all ports, because a packet received on one port is sent on another.
 */
public final class PoolMemory {
    private PoolMemory() {
    }

    /**
     * Checks every pci: device first (exists, bound to uio_msi), so that the message a user sees is about
     * the device rather than about hugepages the device would need next; then opens the memory.
     */
    public static DmaDomain forDevices(List<String> devices, String application) {
        boolean real = false;
        for (String d : devices) {
            if (d.toLowerCase(Locale.ROOT).startsWith("pci:")) {
                real = true;
                checkBound(d.substring(4));
            }
        }
        return real ? HugepageDmaDomain.open() : new AnonymousDmaDomain(application);
    }

    private static void checkBound(String text) {
        new PciPortDriver().checkUsable(PciAddress.parse(text));
    }
}
