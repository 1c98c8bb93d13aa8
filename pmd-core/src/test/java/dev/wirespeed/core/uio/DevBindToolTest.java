/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.uio;

import dev.wirespeed.core.pci.FakeSysfs;
import dev.wirespeed.core.pci.NetInterfaces;
import dev.wirespeed.core.pci.PciAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** bin/devbind against a fake sysfs tree: what it lists, and what it writes to move devices between drivers. */
class DevBindToolTest {
    static final String E1000E = "0000:00:03.0";
    static final String PF = "0000:03:00.0";
    static final String VF0 = "0000:03:10.0";
    static final String VF1 = "0000:03:10.2";
    static final String LOAD = "`(how to load uio_msi here)`";
    /** /proc/net/route with eth1 (the PF) carrying a default route and its subnet. */
    static final String ROUTE = """
            Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
            eth1\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0
            eth1\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
            """;

    @TempDir
    Path tmp;
    FakeUioTree tree;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();
    final List<String> kernelCalls = new ArrayList<>();
    /** Devices whose probe the fake kernel rejects silently, as a real kernel may for a refused match. */
    final Set<String> probeRejects = new HashSet<>();
    int machines;
    Path proc;

    /**
     * A PF with two VFs (one on uio_msi), an e1000e on its kernel driver, and a non-network device. The
     * PF's eth1 carries routes (the machine's uplink); the e1000e's eth0 and the kernel-bound VF's eth2 none.
     */
    private void machine(boolean uioMsiLoaded, boolean allowUnsafeDma) {
        tree = new FakeUioTree(tmp.resolve("machine" + ++machines)); // a test may replace the default machine
        proc = tmp.resolve("machine" + machines + "/proc");
        FakeSysfs.mkdirs(proc.resolve("net"));
        FakeSysfs.write(proc.resolve("net/route"), ROUTE);
        if (uioMsiLoaded) {
            tree.uioMsiModule(allowUnsafeDma);
        }
        tree.device(E1000E, 0x8086, 0x10d3).boundTo("e1000e").net("eth0");
        tree.device("0000:00:1f.0", 0x8086, 0x7000).file("class", "0x060100\n").boundTo("piix4");
        tree.device(PF, 0x8086, 0x10fb).boundTo("ixgbe").net("eth1").file("numa_node", "0\n").sriov(63, 2).virtfn(0, VF0).virtfn(1, VF1);
        if (uioMsiLoaded) {
            tree.device(VF0, 0x8086, 0x10ed).boundTo("uio_msi").file("driver_override", "uio_msi\n")
                    .file("numa_node", "0\n").physfn(PF).uio(0, "msix", 3);
        } else {
            tree.device(VF0, 0x8086, 0x10ed).boundTo("ixgbevf").net("eth2").file("numa_node", "0\n").physfn(PF);
        }
        tree.device(VF1, 0x8086, 0x10ed).file("numa_node", "0\n").iommuGroup(7).physfn(PF);
    }

    /** The real sysfs writes, followed by what the kernel would do in response (driver links, UIO device). */
    private DevBindTool tool() {
        DevBindTool.Kernel real = DevBindTool.Kernel.of(tree.sysfs.admin());
        DevBindTool.Kernel kernel = new DevBindTool.Kernel() {
            @Override
            public Optional<String> unbind(PciAddress address) {
                Optional<String> was = real.unbind(address);
                kernelCalls.add("unbind " + address);
                delete(dir(address).resolve("driver"));
                return was;
            }

            @Override
            public void bind(PciAddress address, String driver) {
                real.bind(address, driver);
                kernelCalls.add("bind " + address + " " + driver);
                if (!probeRejects.contains(address.toString())) {
                    FakeSysfs.link(dir(address).resolve("driver"), "../../../bus/pci/drivers/" + driver);
                    if (driver.equals("uio_msi")) {
                        tree.fake.new Device(dir(address)).uio(5, "msi", 1);
                    }
                }
            }

            @Override
            public void clearDriverOverride(PciAddress address) {
                real.clearDriverOverride(address);
                kernelCalls.add("clear override " + address);
            }

            @Override
            public void setNumVfs(PciAddress pf, int count) {
                real.setNumVfs(pf, count);
                kernelCalls.add("numvfs " + pf + " " + count);
            }
        };
        return new DevBindTool(tree.sysfs, new NetInterfaces(tree.sysfs, proc), LOAD, kernel, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Path dir(PciAddress address) {
        return tree.sysfs.deviceDirectory(address);
    }

    private String file(String relative) {
        return FakeSysfs.read(tree.sys.resolve(relative));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeEach
    void defaultMachine() {
        machine(true, true);
    }

    // ------------------------------------------------------------------------------------------ status

    @Test
    void statusListsNetworkFunctionsWithDriverIommuGroupNumaNodeAndSriovRelation() {
        assertThat(tool().run("--status")).isEqualTo(DevBindTool.OK);
        assertThat(out()).isEqualTo("""
                ADDRESS       ID         DRIVER     INTERFACE  IOMMU  NUMA  DETAILS
                0000:00:03.0  8086:10d3  e1000e     eth0       -      -
                0000:03:00.0  8086:10fb  ixgbe      eth1       -      0     *Active*, PF, 2 of 63 VFs enabled
                0000:03:10.0  8086:10ed  uio_msi    -          -      0     VF 0 of 0000:03:00.0, reserved for uio_msi, /dev/uio0 msix x3
                0000:03:10.2  8086:10ed  -          -          7      0     VF 1 of 0000:03:00.0
                *Active*: its interface carries routes; --bind and --unbind leave it alone without --force
                IOMMU groups:
                  group 7: 0000:03:10.2 (-); viable for VFIO
                uio_msi: loaded, allow_unsafe_dma=1
                vfio-pci: not loaded
                """);
        assertThat(kernelCalls).isEmpty();
    }

    @Test
    void statusIsTheDefaultAndSaysHowToLoadAMissingModule() {
        machine(false, false);
        assertThat(tool().run()).isEqualTo(DevBindTool.OK);
        assertThat(out()).contains("0000:03:10.0  8086:10ed  ixgbevf    eth2")
                .contains("uio_msi: not loaded; load it with " + LOAD);
    }

    @Test
    void theSystemsLoadCommandWorksFromAClone() {
        // modprobe finds only installed modules: from a clone the command builds and insmods the module
        Path modules = tmp.resolve("lib/modules");
        FakeSysfs.mkdirs(modules.resolve("6.1.0/kernel/drivers/uio"));
        FakeSysfs.write(modules.resolve("6.1.0/kernel/drivers/uio/uio.ko.xz"), "");
        assertThat(UioMsiLoadCommand.of(modules, "6.1.0")).startsWith(
                "`make -C driver && sudo modprobe uio && sudo insmod driver/uio_msi.ko allow_unsafe_dma=1` from the wirespeed checkout");
        assertThat(UioMsiLoadCommand.of(modules, "6.2.0")).startsWith("`make -C driver && ");
        FakeSysfs.mkdirs(modules.resolve("6.1.0/updates/dkms"));
        FakeSysfs.write(modules.resolve("6.1.0/updates/dkms/uio_msi.ko.zst"), "");
        assertThat(UioMsiLoadCommand.of(modules, "6.1.0")).isEqualTo("`sudo modprobe uio_msi allow_unsafe_dma=1`");
    }

    @Test
    void statusWarnsWhenUioMsiLacksItsOptIn() {
        machine(true, false);
        tool().run("--status");
        assertThat(out()).contains("uio_msi: loaded without allow_unsafe_dma=1: it refuses every device");
    }

    // -------------------------------------------------------------------------------------------- bind

    @Test
    void bindingAnUnboundVfReservesItForUioMsiThenBindsIt() {
        assertThat(tool().run("--bind", "uio_msi", VF1)).isEqualTo(DevBindTool.OK);
        assertThat(FakeSysfs.read(dir(PciAddress.parse(VF1)).resolve("driver_override"))).isEqualTo("uio_msi");
        assertThat(file("bus/pci/drivers/uio_msi/bind")).isEqualTo(VF1);
        assertThat(kernelCalls).containsExactly("unbind " + VF1, "bind " + VF1 + " uio_msi");
        assertThat(out()).isEqualTo(VF1 + ": bound to uio_msi (/dev/uio5 msi x1)\n");
    }

    @Test
    void bindingADeviceOnAKernelDriverUnbindsItFirst() {
        assertThat(tool().run("--bind", "uio_msi", "00:03.0")).isEqualTo(DevBindTool.OK);
        assertThat(file("bus/pci/drivers/e1000e/unbind")).isEqualTo(E1000E);
        assertThat(file("bus/pci/drivers/uio_msi/bind")).isEqualTo(E1000E);
        assertThat(out()).startsWith(E1000E + ": unbound from e1000e\n" + E1000E + ": bound to uio_msi");
    }

    @Test
    void bindTakesSeveralAddressesAndTheEqualsForm() {
        assertThat(tool().run("--bind=uio_msi", VF1, E1000E)).isEqualTo(DevBindTool.OK);
        assertThat(kernelCalls).containsExactly("unbind " + VF1, "bind " + VF1 + " uio_msi",
                "unbind " + E1000E, "bind " + E1000E + " uio_msi");
    }

    @Test
    void bindingToTheDriverAlreadyBoundChangesNothing() {
        assertThat(tool().run("--bind", "uio_msi", VF0)).isEqualTo(DevBindTool.OK);
        assertThat(out()).isEqualTo(VF0 + ": already bound to uio_msi\n");
        assertThat(kernelCalls).isEmpty();
    }

    @Test
    void bindingToVfioPciOrAKernelDriverUsesTheSameOverride() {
        tree.driver("vfio-pci");
        tree.driver("ixgbevf");
        assertThat(tool().run("--bind", "vfio-pci", VF1)).isEqualTo(DevBindTool.OK);
        assertThat(FakeSysfs.read(dir(PciAddress.parse(VF1)).resolve("driver_override"))).isEqualTo("vfio-pci");
        assertThat(tool().run("--bind", "ixgbevf", VF0)).isEqualTo(DevBindTool.OK);
        assertThat(file("bus/pci/drivers/uio_msi/unbind")).isEqualTo(VF0);
        assertThat(file("bus/pci/drivers/ixgbevf/bind")).isEqualTo(VF0);
    }

    @Test
    void bindingToVfioPciRefusesToLeaveAnIommuGroupNotViableUnlessForced() {
        tree.driver("vfio-pci");
        String sibling = "0000:03:10.4"; // shares VF1's IOMMU group 7 and is on a kernel driver
        tree.device(sibling, 0x8086, 0x10ed).boundTo("ixgbevf").iommuGroup(7);
        assertThat(tool().run("--bind", "vfio-pci", VF1)).isEqualTo(DevBindTool.FAILED);
        assertThat(err()).contains("not binding " + VF1 + " to vfio-pci: its IOMMU group 7 also holds " + sibling + " (ixgbevf)")
                .contains("Bind them together: bin/devbind --bind vfio-pci " + VF1 + " " + sibling);
        assertThat(kernelCalls).isEmpty();
        assertThat(tool().run("--bind", "vfio-pci", VF1, sibling)).isEqualTo(DevBindTool.OK);
        assertThat(kernelCalls).containsExactly("unbind " + VF1, "bind " + VF1 + " vfio-pci", "unbind " + sibling, "bind " + sibling + " vfio-pci");
    }

    @Test
    void aMissingModuleIsReportedBeforeAnythingIsUnbound() {
        machine(false, false);
        assertThat(tool().run("--bind", "uio_msi", E1000E)).isEqualTo(DevBindTool.FAILED);
        assertThat(err()).contains("the uio_msi kernel module is not loaded").contains("load it with " + LOAD);
        assertThat(kernelCalls).isEmpty();
        assertThat(file("bus/pci/drivers/e1000e/unbind")).isEmpty();
    }

    @Test
    void aMissingVfioPciSaysWhichModuleToLoad() {
        assertThat(tool().run("--bind", "vfio-pci", VF1)).isEqualTo(DevBindTool.FAILED);
        assertThat(err()).contains("driver vfio-pci is not loaded").contains("`modprobe vfio_pci`");
        assertThat(kernelCalls).isEmpty();
    }

    @Test
    void uioMsiWithoutItsOptInIsRefusedBeforeAnythingIsUnbound() {
        machine(true, false);
        assertThat(tool().run("--bind", "uio_msi", E1000E)).isEqualTo(DevBindTool.FAILED);
        assertThat(err()).contains("uio_msi is loaded without allow_unsafe_dma=1 and would refuse every device")
                .contains("echo 1 > " + tree.sys.resolve("module/uio_msi/parameters/allow_unsafe_dma"))
                .contains("`sudo rmmod uio_msi`, then " + LOAD).doesNotContain("modprobe");
        assertThat(kernelCalls).isEmpty();
    }

    @Test
    void aProbeTheKernelRejectsIsReportedWithTheWayBack() {
        probeRejects.add(E1000E);
        assertThat(tool().run("--bind", "uio_msi", E1000E)).isEqualTo(DevBindTool.FAILED);
        assertThat(err()).contains("cannot bind 0000:00:03.0 to uio_msi: the kernel accepted the request but"
                        + " 0000:00:03.0 is still unbound")
                .contains("uio_msi refuses devices whose DMA an IOMMU translates (use vfio-pci for those)")
                .contains("give it back with bin/devbind --bind e1000e 0000:00:03.0");
        // The reservation is lifted, so e1000e may take the device back.
        assertThat(FakeSysfs.read(dir(PciAddress.parse(E1000E)).resolve("driver_override"))).isEqualTo("\n");
    }

    @Test
    void oneBadAddressFailsTheRunButTheOthersAreStillBound() {
        assertThat(tool().run("--bind", "uio_msi", "0000:09:00.0", VF1)).isEqualTo(DevBindTool.FAILED);
        assertThat(err()).contains("no PCI device 0000:09:00.0");
        assertThat(out()).contains(VF1 + ": bound to uio_msi");
    }

    // ---------------------------------------------------------------------------- active interfaces

    @Test
    void bindRefusesADeviceWhoseInterfaceCarriesRoutesAndSaysWhy() {
        tree.driver("vfio-pci");
        assertThat(tool().run("--bind", "vfio-pci", PF, VF1)).isEqualTo(DevBindTool.FAILED);
        assertThat(err()).contains("devbind: 0000:03:00.0 is active: its interface eth1 carries routes"
                        + " (default via 192.0.2.1 dev eth1; 192.0.2.0/24 dev eth1), so binding it to vfio-pci would cut")
                .contains("left as it is. Take the interface down first (`sudo ip link set eth1 down`) or pass --force");
        assertThat(kernelCalls).containsExactly("unbind " + VF1, "bind " + VF1 + " vfio-pci"); // the other device is bound
        assertThat(file("bus/pci/drivers/ixgbe/unbind")).isEmpty();
    }

    @Test
    void unbindRefusesADeviceWhoseInterfaceCarriesRoutes() {
        assertThat(tool().run("--unbind", PF)).isEqualTo(DevBindTool.FAILED);
        assertThat(err()).contains("0000:03:00.0 is active: its interface eth1 carries routes").contains("--force");
        assertThat(kernelCalls).isEmpty();
    }

    @Test
    void forceTakesAnActiveDeviceAnywayAndSaysSo() {
        assertThat(tool().run("--force", "--unbind", PF)).isEqualTo(DevBindTool.OK);
        assertThat(tool().run("--bind", "uio_msi", PF, "--force")).isEqualTo(DevBindTool.OK);
        assertThat(kernelCalls).containsExactly("unbind " + PF, "unbind " + PF, "bind " + PF + " uio_msi");
        assertThat(out()).contains(PF + ": *Active* (default via 192.0.2.1 dev eth1; 192.0.2.0/24 dev eth1), taken anyway (--force)");
    }

    @Test
    void anInterfaceWithoutRoutesIsNotActive() {
        machine(false, false);
        tree.uioMsiModule(true);
        assertThat(tool().run("--bind", "uio_msi", VF0)).isEqualTo(DevBindTool.OK); // eth2, no routes
        assertThat(out()).contains(VF0 + ": unbound from ixgbevf");
    }

    // ------------------------------------------------------------------------------------------ unbind

    @Test
    void unbindDetachesTheDeviceAndLiftsItsReservation() {
        assertThat(tool().run("--unbind", VF0)).isEqualTo(DevBindTool.OK);
        assertThat(file("bus/pci/drivers/uio_msi/unbind")).isEqualTo(VF0);
        assertThat(FakeSysfs.read(dir(PciAddress.parse(VF0)).resolve("driver_override"))).isEqualTo("\n");
        assertThat(out()).isEqualTo(VF0 + ": unbound from uio_msi; reservation for uio_msi cleared\n");
    }

    @Test
    void unbindOfAnUnboundDeviceSaysSo() {
        assertThat(tool().run("-u", VF1)).isEqualTo(DevBindTool.OK);
        assertThat(out()).isEqualTo(VF1 + ": was not bound to any driver\n");
    }

    // ------------------------------------------------------------------------------------------ SR-IOV

    @Test
    void createVfsWritesSriovNumvfsGoingThroughZero() {
        assertThat(tool().run("--create-vfs", "4", PF)).isEqualTo(DevBindTool.OK);
        assertThat(kernelCalls).containsExactly("numvfs " + PF + " 4");
        assertThat(file("devices/pci0000:00/" + PF + "/sriov_numvfs")).isEqualTo("4");
        assertThat(out()).startsWith(PF + ": 4 VFs enabled: " + VF0 + " " + VF1 + "\n")
                .contains("bind them with: bin/devbind --bind uio_msi " + VF0 + " " + VF1);
    }

    @Test
    void createVfsBeyondTheLimitSaysTheLimit() {
        assertThat(tool().run("--create-vfs", "64", PF)).isEqualTo(DevBindTool.FAILED);
        assertThat(err()).contains("cannot enable 64 VFs on 0000:03:00.0: it supports at most 63");
    }

    @Test
    void createVfsOnAVfSaysToUseThePf() {
        assertThat(tool().run("--create-vfs", "1", VF1)).isEqualTo(DevBindTool.FAILED);
        assertThat(err()).contains("it is itself a virtual function of 0000:03:00.0");
    }

    // ------------------------------------------------------------------------------------------- usage

    @Test
    void helpPrintsTheUsage() {
        assertThat(tool().run("--help")).isEqualTo(DevBindTool.OK);
        assertThat(out()).isEqualTo(DevBindTool.HELP).contains("--bind DRIVER ADDR...").contains("--create-vfs N PF_ADDR");
    }

    @Test
    void mistakesOnTheCommandLineExitWithStatus2AndTheUsage() {
        assertThat(tool().run("--frobnicate")).isEqualTo(DevBindTool.USAGE);
        assertThat(tool().run("--bind", "uio_msi")).isEqualTo(DevBindTool.USAGE);
        assertThat(tool().run("--bind", "uio_msi", "03:10")).isEqualTo(DevBindTool.USAGE);
        assertThat(tool().run("--create-vfs", "many", PF)).isEqualTo(DevBindTool.USAGE);
        assertThat(tool().run("--unbind")).isEqualTo(DevBindTool.USAGE);
        assertThat(err()).contains("unknown command '--frobnicate'")
                .contains("--bind needs a driver and at least one PCI address")
                .contains("invalid PCI address '03:10'")
                .contains("'many' is not a number of VFs")
                .contains("usage: bin/devbind");
        assertThat(kernelCalls).isEmpty();
    }
}
