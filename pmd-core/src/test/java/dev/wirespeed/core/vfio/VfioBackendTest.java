/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.vfio;

import dev.wirespeed.core.pci.FakeSysfs;
import dev.wirespeed.core.pci.NoSuchPciDeviceException;
import dev.wirespeed.core.pci.PciAddress;
import dev.wirespeed.core.pci.PciSysfs;
import dev.wirespeed.core.port.pci.PciBackend;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Preconditions checked before anything is opened, each a one-line message with the fix. */
class VfioBackendTest {
    static final PciAddress E1000E = PciAddress.parse("0000:00:03.0");

    @TempDir
    Path tmp;
    FakeSysfs fake;
    PciSysfs sysfs;

    @BeforeEach
    void setUp() {
        fake = new FakeSysfs(tmp);
        sysfs = new PciSysfs(tmp);
    }

    @Test
    void registeredForVfioPci() {
        assertThat(ServiceLoader.load(PciBackend.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(b -> assertThat(b.kernelDriver()).isEqualTo("vfio-pci"));
    }

    @Test
    void eachMissingPreconditionInTheOrderAUserFixesThem() throws IOException {
        assertThatThrownBy(() -> VfioBackend.requireUsable(E1000E, sysfs)).isInstanceOf(NoSuchPciDeviceException.class);
        FakeSysfs.Device d = fake.device("0000:00:03.0", 0x8086, 0x10d3);
        assertThatThrownBy(() -> VfioBackend.requireUsable(E1000E, sysfs)).hasMessageStartingWith("the vfio-pci kernel module is not loaded")
                .hasMessageContaining("modprobe vfio-pci").hasMessageEndingWith("bin/devbind --bind vfio-pci 0000:00:03.0");
        fake.driver("vfio-pci");
        assertThatThrownBy(() -> VfioBackend.requireUsable(E1000E, sysfs))
                .hasMessage("0000:00:03.0 is not bound to any driver, not vfio-pci; bind it as root with bin/devbind --bind vfio-pci 0000:00:03.0");
        d.boundTo("e1000e");
        assertThatThrownBy(() -> VfioBackend.requireUsable(E1000E, sysfs))
                .hasMessageEndingWith("bin/devbind --bind vfio-pci 0000:00:03.0 (this detaches it from e1000e)");
        Files.delete(d.dir.resolve("driver"));
        d.boundTo("vfio-pci");
        assertThatThrownBy(() -> VfioBackend.requireUsable(E1000E, sysfs)).hasMessageContaining("has no IOMMU group")
                .hasMessageContaining("intel_iommu=on").hasMessageContaining("no VFIO no-IOMMU mode")
                .hasMessageEndingWith("bin/devbind --bind uio_msi 0000:00:03.0").hasMessageNotContaining("\n");
        d.iommuGroup(5);
        assertThat(VfioBackend.requireUsable(E1000E, sysfs)).isEqualTo(5);
    }

    @Test
    void noIommuModeIsOfferedOnlyWhereTheKernelHasIt() {
        FakeSysfs.mkdirs(tmp.resolve("module/vfio/parameters"));
        FakeSysfs.write(tmp.resolve("module/vfio/parameters/enable_unsafe_noiommu_mode"), "N\n");
        assertThat(VfioBackend.noIommuMessage(E1000E, tmp)).contains("this kernel has VFIO's no-IOMMU mode")
                .contains("echo 1 > " + tmp.resolve("module/vfio/parameters/enable_unsafe_noiommu_mode"))
                .contains("taints the kernel");
    }

    @Test
    void withoutDevVfioTheModulesAreNotLoaded() {
        assertThatThrownBy(() -> VfioContainer.open(tmp, new MemlockLimit(0, true)))
                .hasMessage("the vfio kernel modules are not loaded (" + tmp.resolve("vfio") + " does not exist); load them as"
                        + " root with `modprobe vfio-pci` (it loads vfio and vfio_iommu_type1 too), then bind the device with"
                        + " bin/devbind --bind vfio-pci ADDRESS");
    }

    @Test
    void groupOpenFailuresNameTheFix() {
        Path node = tmp.resolve("7");
        assertThat(VfioGroup.openHint(13, node, 7, E1000E)).contains("bin/devbind --owner USER 0000:00:03.0").contains("chown USER " + node);
        assertThat(VfioGroup.openHint(16, node, 7, E1000E)).contains("another process has IOMMU group 7 open");
        assertThat(VfioGroup.openHint(2, node, 7, E1000E)).contains("bin/devbind --bind vfio-pci 0000:00:03.0");
    }
}
