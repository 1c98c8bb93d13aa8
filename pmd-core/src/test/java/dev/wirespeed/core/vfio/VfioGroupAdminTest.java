/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.vfio;

import dev.wirespeed.core.pci.FakeSysfs;
import dev.wirespeed.core.pci.PciAddress;
import dev.wirespeed.core.pci.PciSysfs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** devbind's VFIO part against a fake sysfs and /dev: viability before binding, --owner, groups in --status. */
class VfioGroupAdminTest {
    static final PciAddress VF0 = PciAddress.parse("0000:03:10.0");
    static final PciAddress VF1 = PciAddress.parse("0000:03:10.1");
    static final PciAddress LONE = PciAddress.parse("0000:04:00.0");

    @TempDir
    Path tmp;
    FakeSysfs fake;
    VfioGroupAdmin admin;
    Path dev;

    @BeforeEach
    void setUp() {
        Path sys = tmp.resolve("sys");
        dev = tmp.resolve("dev");
        fake = new FakeSysfs(sys);
        admin = new VfioGroupAdmin(new PciSysfs(sys), dev);
        member(VF0, 9).boundTo("igbvf");
        member(VF1, 9).boundTo("igbvf");
        member(LONE, 10);
    }

    FakeSysfs.Device member(PciAddress address, int group) {
        FakeSysfs.Device d = fake.device(address.toString(), 0x8086, 0x10ca).iommuGroup(group);
        return d;
    }

    @Test
    void bindingOneFunctionOfASharedGroupIsRefusedNamingTheOther() {
        assertThatThrownBy(() -> admin.requireViableAfterBind(List.of(VF0), VF0))
                .hasMessage("not binding 0000:03:10.0 to vfio-pci: its IOMMU group 9 also holds 0000:03:10.1 (igbvf), and VFIO"
                        + " gives a process a group only when every function in it is on vfio-pci or on no driver (the IOMMU"
                        + " cannot keep them apart). Bind them together: bin/devbind --bind vfio-pci 0000:03:10.0 0000:03:10.1"
                        + " (or --force to bind 0000:03:10.0 alone)");
        assertThatCode(() -> admin.requireViableAfterBind(List.of(VF0, VF1), VF1)).doesNotThrowAnyException();
        assertThatCode(() -> admin.requireViableAfterBind(List.of(LONE), LONE)).doesNotThrowAnyException();
    }

    @Test
    void aFunctionWithoutAGroupHasNoIommu() {
        fake.device("0000:05:00.0", 0x8086, 0x10ca);
        assertThatThrownBy(() -> admin.requireViableAfterBind(List.of(PciAddress.parse("0000:05:00.0")), PciAddress.parse("0000:05:00.0")))
                .hasMessageStartingWith("cannot bind 0000:05:00.0 to vfio-pci: 0000:05:00.0 has no IOMMU group")
                .hasMessageContaining("bin/devbind --bind uio_msi 0000:05:00.0");
    }

    @Test
    void ownerHandsTheGroupNodeToTheUser() throws IOException {
        assertThatThrownBy(() -> admin.handOver(LONE, "root")).hasMessageContaining("bind it first: bin/devbind --bind vfio-pci 0000:04:00.0");
        fake.driver("vfio-pci");
        fake.new Device(new PciSysfs(tmp.resolve("sys")).deviceDirectory(LONE)).boundTo("vfio-pci");
        FakeSysfs.mkdirs(dev.resolve("vfio"));
        Files.writeString(dev.resolve("vfio/10"), "");
        String user = System.getProperty("user.name");
        assertThat(admin.handOver(LONE, user)).startsWith("0000:04:00.0: IOMMU group 10 (" + dev.resolve("vfio/10") + ") now belongs to " + user)
                .contains("memlock unlimited");
        assertThat(Files.getOwner(dev.resolve("vfio/10")).getName()).isEqualTo(user);
        assertThatThrownBy(() -> admin.handOver(LONE, "no-such-user-h6")).hasMessage("--owner: no user 'no-such-user-h6' on this machine (see `getent passwd`)");
        assertThat(admin.groupLines(List.of(LONE, VF0))).containsExactly(
                "group 9: 0000:03:10.0 (igbvf), 0000:03:10.1 (igbvf); not viable for VFIO (a member is on another kernel driver)",
                "group 10: 0000:04:00.0 (vfio-pci); viable for VFIO; " + dev.resolve("vfio/10") + " owned by " + user);
    }
}
