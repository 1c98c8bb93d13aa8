/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.pci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PciSysfsTest {
    static final PciAddress PF = PciAddress.parse("0000:03:00.0");
    static final PciAddress VF0 = PciAddress.parse("0000:03:10.0");
    static final PciAddress VF1 = PciAddress.parse("0000:03:10.2");
    static final PciAddress MISSING = PciAddress.parse("0000:03:10.4");

    @TempDir
    Path tmp;
    FakeSysfs fake;
    PciSysfs sysfs;

    @BeforeEach
    void setUp() {
        fake = new FakeSysfs(tmp);
        fake.device(PF.toString()).file("device", "0x10fb\n").file("subsystem_device", "0x000c\n")
                .file("numa_node", "1\n").boundTo("ixgbe").iommuGroup(3).sriov(63, 2)
                .virtfn(0, VF0.toString()).virtfn(1, VF1.toString());
        fake.device(VF0.toString()).boundTo("ixgbevf").iommuGroup(7).physfn(PF.toString());
        fake.device(VF1.toString()).physfn(PF.toString()).file("driver_override", "uio_msi\n");
        sysfs = new PciSysfs(tmp);
    }

    @Test
    void readsIdentity() {
        assertThat(sysfs.vendorId(PF)).isEqualTo(0x8086);
        assertThat(sysfs.deviceId(PF)).isEqualTo(0x10fb);
        assertThat(sysfs.subsystemVendorId(PF)).isEqualTo(0x8086);
        assertThat(sysfs.subsystemDeviceId(PF)).isEqualTo(0x000c);
        assertThat(sysfs.classCode(PF)).isEqualTo(0x020000);
        assertThat(sysfs.deviceId(VF0)).isEqualTo(0x10ed);
    }

    @Test
    void networkClassIsBaseClassTwo() {
        assertThat(PciSysfs.isNetworkClass(0x020000)).isTrue();  // Ethernet
        assertThat(PciSysfs.isNetworkClass(0x028000)).isTrue();  // other network controller
        assertThat(PciSysfs.isNetworkClass(0x018000)).isFalse(); // mass storage (virtio-blk)
        assertThat(PciSysfs.isNetworkClass(0x000200)).isFalse(); // 0x02 in the wrong byte
        assertThat(PciSysfs.isNetworkClass(0x030000)).isFalse(); // display
    }

    @Test
    void driverIsTheNameTheDriverLinkPointsTo() {
        assertThat(sysfs.driver(PF)).contains("ixgbe");
        assertThat(sysfs.driver(VF0)).contains("ixgbevf");
        assertThat(sysfs.driver(VF1)).isEmpty();
    }

    @Test
    void iommuGroupIsTheNumberTheLinkPointsTo() {
        assertThat(sysfs.iommuGroup(VF0)).isEqualTo(OptionalInt.of(7));
        assertThat(sysfs.iommuGroup(PF)).isEqualTo(OptionalInt.of(3));
        assertThat(sysfs.iommuGroup(VF1)).isEmpty();
    }

    @Test
    void numaNodeMinusOneOrMissingMeansUnknown() {
        assertThat(sysfs.numaNode(PF)).isEqualTo(1);
        assertThat(sysfs.numaNode(VF0)).isEqualTo(-1);
        fake.device("0000:05:00.0").without("numa_node");
        assertThat(sysfs.numaNode(PciAddress.parse("05:00.0"))).isEqualTo(-1);
    }

    @Test
    void driverOverrideShowsNullAsEmpty() {
        assertThat(sysfs.driverOverride(VF0)).isEmpty();
        assertThat(sysfs.driverOverride(VF1)).contains("uio_msi");
    }

    @Test
    void sriovCountsOfAPhysicalFunction() {
        assertThat(sysfs.hasSriov(PF)).isTrue();
        assertThat(sysfs.sriovTotalVfs(PF)).isEqualTo(63);
        assertThat(sysfs.sriovNumVfs(PF)).isEqualTo(2);
        assertThat(sysfs.hasSriov(VF0)).isFalse();
    }

    @Test
    void sriovCountsOfAVirtualFunctionPointToItsPhysicalFunction() {
        assertThatThrownBy(() -> sysfs.sriovTotalVfs(VF0))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("0000:03:10.0 has no SR-IOV capability (no sriov_totalvfs in "
                        + tmp.resolve("bus/pci/devices/0000:03:10.0")
                        + "): it is itself a virtual function of 0000:03:00.0; VFs are created on the physical function");
    }

    @Test
    void virtualFunctionsAndTheirPhysicalFunction() {
        assertThat(sysfs.virtualFunctions(PF)).containsExactly(VF0, VF1);
        assertThat(sysfs.virtualFunctions(VF0)).isEmpty();
        assertThat(sysfs.physicalFunction(VF0)).contains(PF);
        assertThat(sysfs.physicalFunction(VF1)).contains(PF);
        assertThat(sysfs.physicalFunction(PF)).isEmpty();
    }

    @Test
    void virtualFunctionsAreInNumberOrderNotNameOrder() {
        FakeSysfs.Device pf = fake.device("0000:81:00.0").sriov(16, 12);
        // Created in reverse, and virtfn10 sorts between virtfn1 and virtfn2 by name.
        for (int n = 11; n >= 0; n--) {
            String vf = String.format("0000:81:%02x.%x", 0x10 + n / 8, n % 8);
            fake.device(vf).physfn("0000:81:00.0");
            pf.virtfn(n, vf);
        }
        List<PciAddress> vfs = sysfs.virtualFunctions(PciAddress.parse("0000:81:00.0"));
        assertThat(vfs).hasSize(12);
        assertThat(vfs.get(0)).hasToString("0000:81:10.0");
        assertThat(vfs.get(2)).hasToString("0000:81:10.2");
        assertThat(vfs.get(10)).hasToString("0000:81:11.2");
        assertThat(vfs).isSorted();
    }

    @Test
    void resourcesAreOnePerLineWithSizeAndKind() {
        List<PciResource> resources = sysfs.resources(VF0);
        assertThat(resources).hasSize(7);
        assertThat(resources).extracting(PciResource::index).containsExactly(0, 1, 2, 3, 4, 5, 6);
        PciResource bar0 = resources.get(0);
        assertThat(bar0.start()).isEqualTo(0xfbe00000L);
        assertThat(bar0.end()).isEqualTo(0xfbe03fffL);
        assertThat(bar0.size()).isEqualTo(16 * 1024);
        assertThat(bar0.isMemory()).isTrue();
        assertThat(bar0.is64Bit()).isTrue();
        assertThat(bar0.isPrefetchable()).isTrue();
        assertThat(bar0.isIo()).isFalse();
        assertThat(resources.get(1).size()).isZero();
        assertThat(resources.get(3).start()).isEqualTo(0xfbe04000L);
        assertThat(resources.get(6).isPresent()).isFalse();
    }

    @Test
    void malformedResourceLineNamesFileAndLine() {
        fake.device("0000:05:00.0").file("resource", FakeSysfs.ABSENT + "0x1000 0x1fff\n");
        assertThatThrownBy(() -> sysfs.resources(PciAddress.parse("05:00.0")))
                .isInstanceOf(SysfsException.class)
                .hasMessageContaining(tmp.resolve("bus/pci/devices/0000:05:00.0/resource").toString())
                .hasMessageContaining("line 2")
                .hasMessageContaining("'0x1000 0x1fff'");
    }

    @Test
    void malformedHexNamesTheFileAndWhatWasThere() {
        fake.device("0000:05:00.0").file("vendor", "8086\n");
        Path vendor = tmp.resolve("bus/pci/devices/0000:05:00.0/vendor");
        assertThatThrownBy(() -> sysfs.vendorId(PciAddress.parse("05:00.0")))
                .isInstanceOf(SysfsException.class)
                .hasMessage("unexpected content in " + vendor + ": expected a hexadecimal number such as 0x8086, found '8086'")
                .extracting(e -> ((SysfsException) e).file()).isEqualTo(vendor);
    }

    @Test
    void missingAttributeOfAnExistingDeviceNamesTheFile() {
        fake.device("0000:05:00.0").without("class");
        Path file = tmp.resolve("bus/pci/devices/0000:05:00.0/class");
        assertThatThrownBy(() -> sysfs.classCode(PciAddress.parse("05:00.0")))
                .isInstanceOf(SysfsException.class)
                .hasMessage("cannot read " + file + ": " + file + " does not exist");
    }

    @Test
    void infoIsASnapshotOfAllReaders() {
        PciDeviceInfo info = sysfs.info(VF0);
        assertThat(info).isEqualTo(new PciDeviceInfo(VF0, 0x8086, 0x10ed, 0x8086, 0x7b11, 0x020000,
                Optional.of("ixgbevf"), OptionalInt.of(7), -1));
        assertThat(info.isNetwork()).isTrue();
        assertThat(info).hasToString(
                "0000:03:10.0 [0200] 8086:10ed (8086:7b11) driver=ixgbevf iommu_group=7 numa_node=-1");
        assertThat(sysfs.info(VF1).driver()).isEmpty();
        assertThat(sysfs.info(VF1).iommuGroup()).isEmpty();
    }

    @Test
    void listDevicesIsSortedAndIgnoresOtherEntries() throws Exception {
        fake.device("0000:00:1f.6");
        fake.device("0001:00:00.0");
        fake.device("10000:e1:00.0"); // behind an Intel VMD controller
        Files.createDirectories(tmp.resolve("bus/pci/devices/not-a-device"));
        assertThat(sysfs.listDevices()).extracting(PciAddress::toString).containsExactly(
                "0000:00:1f.6", "0000:03:00.0", "0000:03:10.0", "0000:03:10.2", "0001:00:00.0", "10000:e1:00.0");
        assertThat(sysfs.exists(VF0)).isTrue();
        assertThat(sysfs.exists(MISSING)).isFalse();
    }

    @Test
    void listDevicesWithoutAPciBusSaysWhere() {
        PciSysfs empty = new PciSysfs(tmp.resolve("nothing"));
        assertThatThrownBy(empty::listDevices)
                .isInstanceOf(SysfsException.class)
                .hasMessageContaining(tmp.resolve("nothing/bus/pci/devices") + " does not exist")
                .hasMessageContaining("is sysfs mounted at " + tmp.resolve("nothing"));
    }

    static Stream<Arguments> perDeviceMethods() {
        return Stream.of(
                Arguments.of("vendorId", (Consumer<PciSysfs>) s -> s.vendorId(MISSING)),
                Arguments.of("deviceId", (Consumer<PciSysfs>) s -> s.deviceId(MISSING)),
                Arguments.of("subsystemVendorId", (Consumer<PciSysfs>) s -> s.subsystemVendorId(MISSING)),
                Arguments.of("subsystemDeviceId", (Consumer<PciSysfs>) s -> s.subsystemDeviceId(MISSING)),
                Arguments.of("classCode", (Consumer<PciSysfs>) s -> s.classCode(MISSING)),
                Arguments.of("driver", (Consumer<PciSysfs>) s -> s.driver(MISSING)),
                Arguments.of("iommuGroup", (Consumer<PciSysfs>) s -> s.iommuGroup(MISSING)),
                Arguments.of("numaNode", (Consumer<PciSysfs>) s -> s.numaNode(MISSING)),
                Arguments.of("driverOverride", (Consumer<PciSysfs>) s -> s.driverOverride(MISSING)),
                Arguments.of("hasSriov", (Consumer<PciSysfs>) s -> s.hasSriov(MISSING)),
                Arguments.of("sriovNumVfs", (Consumer<PciSysfs>) s -> s.sriovNumVfs(MISSING)),
                Arguments.of("sriovTotalVfs", (Consumer<PciSysfs>) s -> s.sriovTotalVfs(MISSING)),
                Arguments.of("virtualFunctions", (Consumer<PciSysfs>) s -> s.virtualFunctions(MISSING)),
                Arguments.of("physicalFunction", (Consumer<PciSysfs>) s -> s.physicalFunction(MISSING)),
                Arguments.of("resources", (Consumer<PciSysfs>) s -> s.resources(MISSING)),
                Arguments.of("info", (Consumer<PciSysfs>) s -> s.info(MISSING)),
                Arguments.of("unbind", (Consumer<PciSysfs>) s -> s.admin().unbind(MISSING)),
                Arguments.of("bind", (Consumer<PciSysfs>) s -> s.admin().bind(MISSING, "ixgbevf")),
                Arguments.of("setDriverOverride", (Consumer<PciSysfs>) s -> s.admin().setDriverOverride(MISSING, "uio_msi")),
                Arguments.of("setNumVfs", (Consumer<PciSysfs>) s -> s.admin().setNumVfs(MISSING, 1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("perDeviceMethods")
    void everyPerDeviceMethodRejectsAMissingDeviceSayingWhereItLooked(String name, Consumer<PciSysfs> call) {
        assertThatThrownBy(() -> call.accept(sysfs))
                .isInstanceOf(NoSuchPciDeviceException.class)
                .hasMessageStartingWith("no PCI device 0000:03:10.4 (looked in "
                        + tmp.resolve("bus/pci/devices/0000:03:10.4") + "); list devices with `lspci -D`")
                .extracting(e -> ((NoSuchPciDeviceException) e).address()).isEqualTo(MISSING);
    }

    @Test
    void systemReadsSlashSys() {
        assertThat(PciSysfs.system().root()).isEqualTo(Path.of("/sys"));
        assertThat(PciSysfs.system().deviceDirectory(VF0)).isEqualTo(Path.of("/sys/bus/pci/devices/0000:03:10.0"));
    }
}
