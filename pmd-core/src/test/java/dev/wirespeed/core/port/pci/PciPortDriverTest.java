/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.port.pci;

import dev.wirespeed.core.device.PciFunction;
import dev.wirespeed.core.pci.PciAddress;
import dev.wirespeed.core.pci.PciSysfs;
import dev.wirespeed.core.port.DeviceSpec;
import dev.wirespeed.core.port.Port;
import dev.wirespeed.core.port.PortConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pci: scheme's error paths, against a fake sysfs tree. */
class PciPortDriverTest {
    @TempDir
    Path root;

    private void device(String addr, String vendor, String device, String boundTo) throws IOException {
        Path dir = Files.createDirectories(root.resolve("bus/pci/devices/" + addr));
        Files.writeString(dir.resolve("vendor"), vendor + "\n");
        Files.writeString(dir.resolve("device"), device + "\n");
        Files.writeString(dir.resolve("class"), "0x020000\n");
        if (boundTo != null) {
            Path drv = Files.createDirectories(root.resolve("bus/pci/drivers/" + boundTo));
            Files.createSymbolicLink(dir.resolve("driver"), drv);
        }
    }

    private static final PciDriver VF_DRIVER = new PciDriver() {
        @Override
        public String name() {
            return "ixgbe-vf";
        }

        @Override
        public boolean supports(int vendorId, int deviceId) {
            return vendorId == 0x8086 && deviceId == 0x10ed;
        }

        @Override
        public Port open(PciFunction function, int portId, PortConfig config) {
            throw new UnsupportedOperationException("not reached in these tests");
        }
    };

    private static final PciBackend UIO = new PciBackend() {
        @Override
        public String kernelDriver() {
            return "uio_msi";
        }

        @Override
        public PciFunction open(PciAddress address, PciSysfs sysfs) {
            throw new IllegalStateException("opened " + address);
        }
    };

    private Port open(String spec, List<PciBackend> backends, List<PciDriver> drivers) {
        return new PciPortDriver(new PciSysfs(root), backends, drivers).open(DeviceSpec.parse(spec), 0, PortConfig.builder().build());
    }

    @Test
    void missingDeviceSaysWhereItLookedAndHowToList() {
        assertThatThrownBy(() -> open("pci:0000:03:10.0", List.of(UIO), List.of(VF_DRIVER)))
                .hasMessageContaining("no PCI device 0000:03:10.0").hasMessageContaining("lspci -D");
    }

    @Test
    void malformedAddressShowsTheExpectedForm() {
        assertThatThrownBy(() -> open("pci:03:10", List.of(UIO), List.of(VF_DRIVER)))
                .hasMessageContaining("expected dddd:bb:dd.f");
    }

    @Test
    void deviceOfAnotherKindIsRefusedNamingItsIds() throws IOException {
        device("0000:00:19.0", "0x8086", "0x153a", null);
        assertThatThrownBy(() -> open("pci:0000:00:19.0", List.of(UIO), List.of(VF_DRIVER)))
                .hasMessageContaining("0000:00:19.0 (8086:153a) is not a device wirespeed can drive; drivers: ixgbe-vf");
    }

    @Test
    void aPhysicalFunctionIsRefusedWithHowToMakeAndUseItsVfs() throws IOException {
        device("0000:01:00.0", "0x8086", "0x10c9", "igb");
        Path pf = root.resolve("bus/pci/devices/0000:01:00.0");
        Files.writeString(pf.resolve("sriov_totalvfs"), "7\n");
        Files.writeString(pf.resolve("sriov_numvfs"), "0\n");
        assertThatThrownBy(() -> open("pci:0000:01:00.0", List.of(UIO), List.of(VF_DRIVER)))
                .hasMessageContaining("0000:01:00.0 (8086:10c9) is not a device wirespeed can drive; drivers: ixgbe-vf. "
                        + "It is an SR-IOV physical function: leave it on its kernel driver and use one of its virtual functions "
                        + "(it has none yet: bin/devbind --create-vfs 2 0000:01:00.0, up to 7), bound to vfio-pci or uio_msi");

        Files.writeString(pf.resolve("sriov_numvfs"), "2\n");
        assertThatThrownBy(() -> open("pci:0000:01:00.0", List.of(UIO), List.of(VF_DRIVER)))
                .hasMessageContaining("(it has 2; bin/devbind --status lists them)");
    }

    @Test
    void deviceBoundToTheKernelDriverSaysHowToRebind() throws IOException {
        device("0000:03:10.0", "0x8086", "0x10ed", "ixgbevf");
        assertThatThrownBy(() -> open("pci:0000:03:10.0", List.of(UIO), List.of(VF_DRIVER)))
                .hasMessageContaining("0000:03:10.0 is bound to 'ixgbevf'; wirespeed needs it bound to uio_msi")
                .hasMessageContaining("bin/devbind --bind uio_msi 0000:03:10.0");
    }

    @Test
    void unboundDeviceWithoutAnyBackendSaysSo() throws IOException {
        device("0000:03:10.1", "0x8086", "0x10ed", null);
        assertThatThrownBy(() -> open("pci:0000:03:10.1", List.of(), List.of(VF_DRIVER)))
                .hasMessageContaining("not bound to any driver").hasMessageContaining("no backend is on the class path");
    }

    @Test
    void boundDeviceGoesToTheMatchingBackend() throws IOException {
        device("0000:03:10.0", "0x8086", "0x10ed", "uio_msi");
        assertThatThrownBy(() -> open("pci:0000:03:10.0", List.of(UIO), List.of(VF_DRIVER)))
                .hasMessage("opened 0000:03:10.0");
    }
}
