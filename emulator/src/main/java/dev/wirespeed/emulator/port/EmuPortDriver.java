/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.port;

import dev.wirespeed.core.port.DeviceSpec;
import dev.wirespeed.core.port.Port;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.core.port.PortDriver;
import dev.wirespeed.core.port.pci.PciDriver;
import dev.wirespeed.emulator.Flavour;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Opens {@code emu:} ports through {@link dev.wirespeed.core.port.Ports#open}, like real devices: builds an
 * {@link EmulatedDevice} from the options and hands its VF to whichever PCI poll-mode driver on the class
 * path supports the emulated device id (the emulator does not depend on any driver). The port returned
 * owns the device: closing it closes the driver's port, then the device thread, wire and PF.
 */
public final class EmuPortDriver implements PortDriver {
    private final Supplier<List<PciDriver>> drivers;

    /** As found by ServiceLoader. */
    public EmuPortDriver() {
        this(() -> {
            List<PciDriver> found = new ArrayList<>();
            ServiceLoader.load(PciDriver.class).forEach(found::add);
            return found;
        });
    }

    /** With the given poll-mode drivers (tests). */
    public EmuPortDriver(Supplier<List<PciDriver>> drivers) {
        this.drivers = drivers;
    }

    @Override
    public String scheme() {
        return "emu";
    }

    @Override
    public String usage() {
        return EmuOptions.USAGE;
    }

    @Override
    public Port open(DeviceSpec spec, int portId, PortConfig config) {
        EmuOptions options = EmuOptions.parse(spec);
        List<PciDriver> available = drivers.get();
        int device = options.pfConfig.flavour().vfDeviceId();
        PciDriver driver = available.stream().filter(d -> d.supports(Flavour.VENDOR_INTEL, device)).findFirst().orElseThrow(() ->
                new IllegalArgumentException(String.format("device '%s': no poll-mode driver for the emulated %s VF (8086:%04x) is on the class path%s;"
                                + " add the pmd-ixgbe-vf module (or drive the emulated VF's BAR yourself through EmulatedDevice.open)",
                        spec.text(), options.pfConfig.flavour().key(), device, available.isEmpty() ? ""
                                : " (found: " + available.stream().map(PciDriver::name).collect(Collectors.joining(", ")) + ")")));
        EmulatedDevice emulated = new EmulatedDevice(options);
        try {
            return new EmulatedPort(driver.open(emulated.vf(), portId, config), emulated);
        } catch (RuntimeException e) {
            emulated.close();
            throw e;
        }
    }
}
