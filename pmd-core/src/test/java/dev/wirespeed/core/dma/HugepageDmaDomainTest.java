/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.dma;

import dev.wirespeed.core.os.Errno;
import dev.wirespeed.core.os.ErrnoException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hugepage domain's checks and messages, against fake sysfs and mount files (no root needed). */
class HugepageDmaDomainTest {
    private static final long MIB = 1L << 20;

    @TempDir
    Path dir;

    private FakeSystem fakeWithMount(Path mount) {
        return new FakeSystem(dir).mounts("nodev " + mount + " hugetlbfs rw,relatime,pagesize=2M 0 0\n");
    }

    @Test
    void withoutAMountTheErrorSaysHowToMountOne() {
        Hugepages hugepages = new FakeSystem(dir).mounts("""
                nodev /mnt/huge1g hugetlbfs rw,relatime,pagesize=1G 0 0
                tmpfs /dev/shm tmpfs rw 0 0
                """).hugepages();

        assertThatThrownBy(() -> HugepageDmaDomain.open(hugepages))
                .isInstanceOf(DmaException.class)
                .hasMessageContaining("no hugetlbfs with 2 MiB pages is mounted")
                .hasMessageContaining("mkdir -p /dev/hugepages && mount -t hugetlbfs nodev /dev/hugepages")
                .hasMessageContaining("bin/hugepages mount");
    }

    @Test
    void aDirectoryThatIsNotAHugetlbfsMountIsRefused() {
        Path plain = dir.resolve("plain");
        Hugepages hugepages = new FakeSystem(dir).hugepages();

        assertThatThrownBy(() -> HugepageDmaDomain.open(hugepages, plain))
                .isInstanceOf(DmaException.class)
                .hasMessageContaining(plain + " is not a hugetlbfs mount with 2 MiB pages")
                .hasMessageContaining("mount -t hugetlbfs -o pagesize=2M nodev " + plain);
    }

    @Test
    void findsTheMountInTheMountTable() throws Exception {
        Path mount = Files.createDirectory(dir.resolve("huge"));
        try (HugepageDmaDomain domain = HugepageDmaDomain.open(fakeWithMount(mount).hugepages())) {
            assertThat(domain.mount()).isEqualTo(mount);
            assertThat(domain.name()).isEqualTo("hugetlbfs " + mount);
            assertThat(domain.chunkSize()).isEqualTo(2 * MIB);
        }
    }

    @Test
    void tooFewFreeHugepagesAreReportedBeforeTouchingTheMount() throws Exception {
        Path mount = Files.createDirectory(dir.resolve("huge"));
        FakeSystem fake = fakeWithMount(mount).pool(4, 2, 1, 0);

        try (HugepageDmaDomain domain = HugepageDmaDomain.open(fake.hugepages(), mount)) {
            // 6 MiB + 1 byte: 4 hugepages; 2 free of which 1 is promised leaves 1
            assertThatThrownBy(() -> domain.allocate(6 * MIB + 1, "rx ring 0 of port 1"))
                    .isInstanceOf(DmaException.class)
                    .hasMessageContaining("rx ring 0 of port 1 needs 4 free 2 MiB hugepages but only 1 is available")
                    .hasMessageContaining("total 4, free 2, reserved 1, surplus 0")
                    .hasMessageContaining("echo 7 > " + fake.pool.resolve("nr_hugepages"))
                    .hasMessageContaining("sysctl -w vm.nr_hugepages=7")
                    .hasMessageContaining("bin/hugepages reserve 7");
        }
        try (var files = Files.list(mount)) {
            assertThat(files).as("no file was created").isEmpty();
        }
    }

    @Test
    void badSizesAndAClosedDomainAreRefused() throws Exception {
        Path mount = Files.createDirectory(dir.resolve("huge"));
        HugepageDmaDomain domain = HugepageDmaDomain.open(fakeWithMount(mount).pool(8, 8, 0, 0).hugepages(), mount);

        assertThatThrownBy(() -> domain.allocate(0, "tx ring")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tx ring");
        domain.close();
        assertThatThrownBy(() -> domain.allocate(4096, "tx ring")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void aLockedMemoryLimitErrorSaysHowToRaiseIt() {
        ErrnoException enomem = new ErrnoException("mlock(0x7f0000000000, 4194304)", Errno.ENOMEM);
        ErrnoException eperm = new ErrnoException("mlock(0x7f0000000000, 4194304)", Errno.EPERM);

        assertThat(HugepageDmaDomain.lockFailedMessage("packet pool", 4 * MIB, enomem))
                .contains("cannot lock packet pool in RAM", "4096 KiB", "ulimit -l unlimited", "run as root");
        assertThat(HugepageDmaDomain.lockFailedMessage("packet pool", 4 * MIB, eperm)).contains("ulimit -l");
    }
}
