/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.dma;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HugepagesTest {
    @TempDir
    Path dir;

    @Test
    void readsThePoolCountersFromSysfs() {
        FakeSystem fake = new FakeSystem(dir).pool(8, 5, 1, 2).overcommit(3);

        Hugepages.Pool pool = fake.hugepages().pool();

        assertThat(pool).isEqualTo(new Hugepages.Pool(8, 5, 1, 2, 3));
        // 5 free minus 1 promised, plus 3 - 2 overcommit headroom
        assertThat(pool.available()).isEqualTo(5);
    }

    @Test
    void aPoolWithoutOvercommitFileHasNoOvercommit() {
        FakeSystem fake = new FakeSystem(dir).pool(4, 4, 4, 0);

        Hugepages.Pool pool = fake.hugepages().pool();

        assertThat(pool.overcommit()).isZero();
        assertThat(pool.available()).as("every free page is promised to a mapping").isZero();
    }

    @Test
    void reserveWritesNrHugepagesAndReportsWhatTheFileThenHolds() {
        FakeSystem fake = new FakeSystem(dir).pool(2, 2, 0, 0);
        Hugepages hugepages = fake.hugepages();

        long granted = hugepages.reserve(12);

        assertThat(fake.read("nr_hugepages")).isEqualTo("12\n");
        assertThat(granted).isEqualTo(12);
        assertThat(hugepages.reserve(0)).isZero();
        assertThat(fake.read("nr_hugepages")).isEqualTo("0\n");
    }

    @Test
    void reserveRejectsANegativeCount() {
        Hugepages hugepages = new FakeSystem(dir).hugepages();

        assertThatThrownBy(() -> hugepages.reserve(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void aMissingPoolSaysTheKernelLacksHugepages() throws Exception {
        Hugepages hugepages = new Hugepages(dir.resolve("nothing"), dir.resolve("mounts"));

        assertThatThrownBy(hugepages::pool)
                .isInstanceOf(DmaException.class)
                .hasMessageContaining(dir.resolve("nothing/hugepages-2048kB/nr_hugepages").toString())
                .hasMessageContaining("CONFIG_HUGETLBFS");
        assertThatThrownBy(() -> hugepages.reserve(1))
                .isInstanceOf(DmaException.class)
                .hasMessageContaining("does not exist");
        assertThat(Files.exists(dir.resolve("nothing"))).as("reserve must not create sysfs files").isFalse();
    }

    @Test
    void anUnreadableCounterNamesTheFileAndItsContent() {
        FakeSystem fake = new FakeSystem(dir);
        FakeSystem.write(fake.pool.resolve("free_hugepages"), "lots\n");

        assertThatThrownBy(() -> fake.hugepages().pool())
                .isInstanceOf(DmaException.class)
                .hasMessageContaining("free_hugepages")
                .hasMessageContaining("'lots'");
    }

    @Test
    void findsHugetlbfsMountsWithTheirPageSizes() {
        FakeSystem fake = new FakeSystem(dir).mounts("""
                sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0
                hugetlbfs /mnt/huge1g hugetlbfs rw,relatime,pagesize=1024M 0 0
                nodev /dev/hugepages hugetlbfs rw,relatime,pagesize=2M 0 0
                none /mnt/my\\040huge hugetlbfs rw,relatime 0 0
                tmpfs /dev/shm tmpfs rw,nosuid,nodev 0 0
                """);
        Hugepages hugepages = fake.hugepages();

        assertThat(hugepages.mounts()).containsExactly(
                new Hugepages.Mount(Path.of("/mnt/huge1g"), 1L << 30),
                new Hugepages.Mount(Path.of("/dev/hugepages"), 2L << 20),
                new Hugepages.Mount(Path.of("/mnt/my huge"), 2L << 20));
        assertThat(hugepages.findMount()).contains(new Hugepages.Mount(Path.of("/dev/hugepages"), 2L << 20));
        assertThat(hugepages.mountAt(Path.of("/mnt/my huge"))).isPresent();
        assertThat(hugepages.mountAt(Path.of("/mnt/huge1g"))).as("1 GiB pages are not 2 MiB ones").isEmpty();
        assertThat(hugepages.mountAt(Path.of("/dev/shm"))).isEmpty();
    }

    @Test
    void noHugetlbfsInTheMountTableMeansNoMount() {
        Hugepages hugepages = new FakeSystem(dir).hugepages();

        assertThat(hugepages.mounts()).isEmpty();
        assertThat(hugepages.findMount()).isEmpty();
    }

    @Test
    void parsesPageSizeOptions() {
        assertThat(Hugepages.pageSizeOption("rw,relatime,pagesize=2M")).isEqualTo(2L << 20);
        assertThat(Hugepages.pageSizeOption("pagesize=1G,rw")).isEqualTo(1L << 30);
        assertThat(Hugepages.pageSizeOption("rw,pagesize=2048k")).isEqualTo(2L << 20);
        assertThat(Hugepages.pageSizeOption("rw,relatime")).as("default").isEqualTo(2L << 20);
        assertThatThrownBy(() -> Hugepages.pageSizeOption("pagesize=twoM"))
                .isInstanceOf(DmaException.class)
                .hasMessageContaining("'twoM'");
    }

    @Test
    void unescapesOctalEscapesOnly() {
        assertThat(Hugepages.unescape("/a\\040b\\011c\\134d")).isEqualTo("/a b\tc\\d");
        assertThat(Hugepages.unescape("/a\\9x\\04")).isEqualTo("/a\\9x\\04");
    }
}
