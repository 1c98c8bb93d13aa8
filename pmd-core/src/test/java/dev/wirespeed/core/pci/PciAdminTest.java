/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.pci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PciAdminTest {
    static final PciAddress PF = PciAddress.parse("0000:03:00.0");
    static final PciAddress VF0 = PciAddress.parse("0000:03:10.0");
    static final PciAddress VF1 = PciAddress.parse("0000:03:10.2");

    record Write(Path file, String value) {
    }

    @TempDir
    Path tmp;
    FakeSysfs fake;
    FakeSysfs.Device pf;
    FakeSysfs.Device vf0;
    FakeSysfs.Device vf1;
    final List<Write> writes = new ArrayList<>();
    PciSysfs sysfs;
    PciAdmin admin;

    @BeforeEach
    void setUp() {
        fake = new FakeSysfs(tmp);
        pf = fake.device(PF.toString()).boundTo("ixgbe").sriov(63, 2)
                .virtfn(0, VF0.toString()).virtfn(1, VF1.toString());
        vf0 = fake.device(VF0.toString()).boundTo("ixgbevf").iommuGroup(7).physfn(PF.toString());
        vf1 = fake.device(VF1.toString()).physfn(PF.toString());
        // Record each write in order, then let it reach the file as it would in production.
        sysfs = new PciSysfs(tmp);
        admin = new PciAdmin(sysfs, (file, value) -> {
            writes.add(new Write(file, value));
            SysfsFiles.write(file, value);
        });
    }

    private String driverFile(String driver, String name) {
        return FakeSysfs.read(tmp.resolve("bus/pci/drivers").resolve(driver).resolve(name));
    }

    @Test
    void unbindWritesTheAddressToTheBoundDriversUnbindFile() {
        assertThat(admin.unbind(VF0)).contains("ixgbevf");
        assertThat(driverFile("ixgbevf", "unbind")).isEqualTo("0000:03:10.0");
        assertThat(writes).containsExactly(new Write(tmp.resolve("bus/pci/devices/0000:03:10.0/driver/unbind"), "0000:03:10.0"));
    }

    @Test
    void unbindOfAnUnboundDeviceWritesNothing() {
        assertThat(admin.unbind(VF1)).isEmpty();
        assertThat(writes).isEmpty();
    }

    @Test
    void bindSetsTheOverrideThenWritesTheAddressToTheDriversBindFile() {
        fake.driver("uio_msi");
        admin.bind(VF1, "uio_msi");
        assertThat(vf1.read("driver_override")).isEqualTo("uio_msi");
        assertThat(driverFile("uio_msi", "bind")).isEqualTo("0000:03:10.2");
        assertThat(writes).extracting(w -> w.file().getFileName().toString())
                .containsExactly("driver_override", "bind");
    }

    @Test
    void bindToTheDriverAlreadyBoundDoesNothing() {
        admin.bind(VF0, "ixgbevf");
        assertThat(writes).isEmpty();
    }

    @Test
    void bindOfADeviceBoundElsewhereSaysToUnbindFirst() {
        fake.driver("uio_msi");
        assertThatThrownBy(() -> admin.bind(VF0, "uio_msi"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot bind 0000:03:10.0 to uio_msi: it is bound to ixgbevf; unbind it first");
        assertThat(writes).isEmpty();
    }

    @Test
    void bindToADriverThatIsNotLoadedSaysHowToLoadIt() {
        assertThatThrownBy(() -> admin.bind(VF1, "uio_msi"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("driver uio_msi is not loaded (" + tmp.resolve("bus/pci/drivers/uio_msi")
                        + " does not exist); load its module as root with `modprobe uio_msi`, or `insmod uio_msi.ko`");
        assertThat(writes).isEmpty();
        assertThat(sysfs.isDriverLoaded("uio_msi")).isFalse();
        assertThat(sysfs.isDriverLoaded("ixgbevf")).isTrue();
    }

    @Test
    void driverNamesThatAreNotNamesAreRefused() {
        fake.driver("uio_msi");
        for (String bad : new String[] {"../../../devices", "..", "", "uio msi", "a/b"}) {
            assertThatThrownBy(() -> admin.bind(VF1, bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("invalid driver name '" + bad + "': expected a kernel driver name such as ixgbevf or uio_msi");
        }
        assertThat(writes).isEmpty();
    }

    @Test
    void setDriverOverrideWritesTheNameAndNullClearsWithANewline() {
        admin.setDriverOverride(VF1, "vfio-pci");
        assertThat(vf1.read("driver_override")).isEqualTo("vfio-pci");
        admin.setDriverOverride(VF1, null);
        assertThat(vf1.read("driver_override")).isEqualTo("\n");
    }

    @Test
    void setDriverOverrideOnAKernelWithoutItSuggestsNewId() {
        vf1.without("driver_override");
        assertThatThrownBy(() -> admin.setDriverOverride(VF1, "uio_msi"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("driver_override does not exist")
                .hasMessageContaining("use newId");
    }

    @Test
    void newIdWritesVendorAndDeviceInHex() {
        fake.driver("uio_msi");
        admin.newId("uio_msi", 0x8086, 0x10ed);
        assertThat(driverFile("uio_msi", "new_id")).isEqualTo("8086 10ed");
        admin.newId("uio_msi", 0x1af4, 0x41);
        assertThat(driverFile("uio_msi", "new_id")).isEqualTo("1af4 0041");
    }

    @Test
    void newIdRejectsIdsWiderThan16BitsAndUnloadedDrivers() {
        fake.driver("uio_msi");
        assertThatThrownBy(() -> admin.newId("uio_msi", 0x18086, 0x10ed))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("vendor and device ids are 16-bit, got vendor 0x18086 and device 0x10ed");
        assertThatThrownBy(() -> admin.newId("uio_pci_generic", 0x8086, 0x10ed))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("modprobe uio_pci_generic");
        assertThat(writes).isEmpty();
    }

    @Test
    void setNumVfsFromZeroWritesTheCount() {
        pf.sriov(63, 0);
        admin.setNumVfs(PF, 4);
        assertThat(pf.read("sriov_numvfs")).isEqualTo("4");
        assertThat(writes).extracting(Write::value).containsExactly("4");
    }

    @Test
    void setNumVfsBetweenNonZeroCountsGoesThroughZero() {
        admin.setNumVfs(PF, 8);
        assertThat(writes).containsExactly(
                new Write(tmp.resolve("bus/pci/devices/0000:03:00.0/sriov_numvfs"), "0"),
                new Write(tmp.resolve("bus/pci/devices/0000:03:00.0/sriov_numvfs"), "8"));
        assertThat(pf.read("sriov_numvfs")).isEqualTo("8");
    }

    @Test
    void setNumVfsToZeroWritesOnlyZero() {
        admin.setNumVfs(PF, 0);
        assertThat(writes).extracting(Write::value).containsExactly("0");
    }

    @Test
    void setNumVfsToTheCurrentCountWritesNothing() {
        admin.setNumVfs(PF, 2);
        assertThat(writes).isEmpty();
    }

    @Test
    void setNumVfsAboveTheTotalSaysTheLimit() {
        admin.setNumVfs(PF, 63);
        writes.clear();
        assertThatThrownBy(() -> admin.setNumVfs(PF, 64))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot enable 64 VFs on 0000:03:00.0: it supports at most 63 ("
                        + tmp.resolve("bus/pci/devices/0000:03:00.0/sriov_totalvfs") + ")");
        assertThatThrownBy(() -> admin.setNumVfs(PF, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the number of VFs cannot be negative, was -1");
        assertThat(writes).isEmpty();
    }

    @Test
    void setNumVfsOnADeviceWithoutSriovSaysSo() {
        fake.device("0000:00:19.0").boundTo("e1000e");
        assertThatThrownBy(() -> admin.setNumVfs(PciAddress.parse("00:19.0"), 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("0000:00:19.0 has no SR-IOV capability (no sriov_totalvfs in "
                        + tmp.resolve("bus/pci/devices/0000:00:19.0")
                        + "): the device or its driver does not support SR-IOV");
        assertThatThrownBy(() -> admin.setNumVfs(VF0, 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("it is itself a virtual function of 0000:03:00.0");
        assertThat(writes).isEmpty();
    }

    @Test
    void setNumVfsWithoutAPhysicalFunctionDriverSaysToBindOne() {
        fake.device("0000:82:00.0").sriov(63, 0);
        assertThatThrownBy(() -> admin.setNumVfs(PciAddress.parse("82:00.0"), 4))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot change the number of VFs of 0000:82:00.0: no driver is bound to it;"
                        + " bind its physical-function driver first (e.g. ixgbe for an 82599)");
        assertThat(writes).isEmpty();
    }

    @Test
    void writeToAMissingAttributeNamesIt() {
        Path unbind = tmp.resolve("bus/pci/drivers/ixgbevf/unbind");
        unbind.toFile().delete();
        assertThatThrownBy(() -> new PciSysfs(tmp).admin().unbind(VF0))
                .isInstanceOf(SysfsException.class)
                .hasMessage("cannot write '0000:03:10.0' to " + tmp.resolve("bus/pci/devices/0000:03:10.0/driver/unbind")
                        + ": " + tmp.resolve("bus/pci/devices/0000:03:10.0/driver/unbind") + " does not exist");
    }
}
