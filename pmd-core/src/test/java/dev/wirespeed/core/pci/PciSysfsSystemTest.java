/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.pci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Reads (never writes) the running kernel's sysfs, to check the formats the fake tree imitates. */
class PciSysfsSystemTest {
    @Test
    void readsEveryDeviceOfThisMachine() throws IOException {
        Path devices = Path.of("/sys/bus/pci/devices");
        assumeTrue(Files.isDirectory(devices), "this machine has no PCI bus in sysfs");
        PciSysfs sysfs = PciSysfs.system();
        List<PciAddress> listed = sysfs.listDevices();
        try (Stream<Path> entries = Files.list(devices)) {
            assertThat(listed).extracting(PciAddress::toString)
                    .containsExactlyInAnyOrderElementsOf(entries.map(p -> p.getFileName().toString()).toList());
        }
        for (PciAddress address : listed) {
            PciDeviceInfo info = sysfs.info(address);
            assertThat(info.vendorId()).as("vendor of %s", address).isBetween(0, 0xFFFF).isNotEqualTo(0xFFFF);
            assertThat(info.classCode()).as("class of %s", address).isBetween(0, 0xFFFFFF);
            assertThat(info.numaNode()).isGreaterThanOrEqualTo(-1);
            info.driver().ifPresent(d -> assertThat(sysfs.isDriverLoaded(d)).as("driver %s of %s", d, address).isTrue());
            // The kernel prints at least the six BARs and the ROM for every function.
            assertThat(sysfs.resources(address)).as("resources of %s", address).hasSizeGreaterThanOrEqualTo(7);
            sysfs.driverOverride(address);
            if (sysfs.hasSriov(address)) {
                assertThat(sysfs.virtualFunctions(address)).hasSize(sysfs.sriovNumVfs(address));
            }
        }
    }
}
