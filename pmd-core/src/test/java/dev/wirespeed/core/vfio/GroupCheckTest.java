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

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Group membership and the not-viable message, against a fake sysfs tree. */
class GroupCheckTest {
    static final PciAddress VF = PciAddress.parse("0000:01:10.0");

    @TempDir
    Path tmp;
    FakeSysfs fake;
    GroupCheck check;

    @BeforeEach
    void setUp() {
        fake = new FakeSysfs(tmp);
        check = new GroupCheck(new PciSysfs(tmp), VF);
    }

    /** A device in IOMMU group {@code group}, listed in the group's devices directory as the kernel does. */
    FakeSysfs.Device member(String address, int group) {
        FakeSysfs.Device d = fake.device(address, 0x8086, 0x10ca).iommuGroup(group);
        return d;
    }

    @Test
    void aKernelDriverInTheGroupIsNamedWithTheCommand() {
        member("0000:01:10.0", 7).boundTo("vfio-pci");
        member("0000:01:10.1", 7).boundTo("igbvf");
        member("0000:01:10.2", 7); // no driver: harmless
        member("0000:00:1c.0", 7).boundTo("pcieport");
        assertThat(check.members(7)).extracting(PciAddress::toString)
                .containsExactly("0000:00:1c.0", "0000:01:10.0", "0000:01:10.1", "0000:01:10.2");
        assertThat(check.blockers(7)).containsExactly("0000:01:10.1 (bound to igbvf)");
        assertThat(check.notViableMessage(7))
                .startsWith("IOMMU group 7 of 0000:01:10.0 is not viable: ")
                .contains("but 0000:01:10.1 (bound to igbvf) is not;")
                .endsWith("as root, bin/devbind --bind vfio-pci 0000:01:10.1 (or --unbind them)")
                .doesNotContain("\n");
    }

    @Test
    void whenSysfsShowsNothingInTheWayTheMembersAreListed() {
        member("0000:01:10.0", 3).boundTo("vfio-pci");
        assertThat(check.blockers(3)).isEmpty();
        assertThat(check.notViableMessage(3)).contains("members: 0000:01:10.0").contains("kernel/iommu_groups/3/devices");
    }
}
