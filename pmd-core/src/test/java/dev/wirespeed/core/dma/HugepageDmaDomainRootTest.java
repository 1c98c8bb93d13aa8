/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.dma;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real hugepages on this machine: grows the pool by a few pages, mounts a private hugetlbfs, allocates
 * through {@link HugepageDmaDomain} and checks the physical addresses through pagemap. Everything is
 * put back afterwards (pool size, mount).
 */
class HugepageDmaDomainRootTest {
    private static final long MIB = 1L << 20;
    private static final long HUGEPAGE = 2 * MIB;
    /** Enough for the largest test below (3 hugepages) with one to spare. */
    private static final long EXTRA_PAGES = 4;

    private static Hugepages hugepages;
    private static long previousPoolSize = -1;
    private static Path mountPoint;
    private static boolean mounted;

    @BeforeAll
    static void reserveAndMount() throws IOException {
        assumeTrue(RootUser.isRoot(), RootUser.SKIP_MESSAGE);
        hugepages = Hugepages.system();
        previousPoolSize = hugepages.pool().total();
        long granted = hugepages.reserve(previousPoolSize + EXTRA_PAGES);
        assertThat(granted).as("the kernel's answer is what nr_hugepages now reads").isEqualTo(hugepages.pool().total());
        assertThat(granted).as("hugepages granted (machine short of memory?)").isGreaterThanOrEqualTo(previousPoolSize + EXTRA_PAGES);
        // A private mount rather than a shared /dev/hugepages: the "no file left behind" check must not
        // see other processes' files.
        mountPoint = Files.createTempDirectory("wirespeed-hugetlbfs-");
        hugepages.mountHugetlbfs(mountPoint);
        mounted = true;
    }

    @AfterAll
    static void unmountAndRestore() throws IOException, InterruptedException {
        try {
            if (mounted) {
                try {
                    hugepages.unmount(mountPoint);
                } catch (DmaException busy) {
                    // A test failed with a region still mapped: detach the mount anyway so none is left
                    // behind (the kernel drops it when the JVM exits), and report the failure.
                    new ProcessBuilder("umount", "--lazy", mountPoint.toString()).inheritIO().start().waitFor();
                    throw busy;
                }
            }
            if (mountPoint != null) {
                Files.deleteIfExists(mountPoint);
            }
        } finally {
            if (previousPoolSize >= 0) {
                hugepages.reserve(previousPoolSize);
            }
        }
    }

    private static long freePages() {
        return hugepages.pool().free();
    }

    private static void assertMountEmpty() throws IOException {
        try (var files = Files.list(mountPoint)) {
            assertThat(files).as("files left in " + mountPoint).isEmpty();
        }
    }

    @Test
    void theMountIsListedAndFoundByOpen() {
        assertThat(hugepages.mountAt(mountPoint)).contains(new Hugepages.Mount(mountPoint, HUGEPAGE));
        long mountsBefore = hugepages.mounts().size();
        assertThat(hugepages.mountHugetlbfs(mountPoint)).as("mounting again reuses the mount")
                .isEqualTo(new Hugepages.Mount(mountPoint, HUGEPAGE));
        assertThat(hugepages.mounts()).hasSize((int) mountsBefore);
        try (HugepageDmaDomain domain = HugepageDmaDomain.open()) {
            assertThat(hugepages.mountAt(domain.mount())).as("open() picks a 2 MiB hugetlbfs").isPresent();
        }
    }

    @Test
    void allocatesPinnedContiguousHugepagesAndGivesThemBack() throws IOException {
        long freeBefore = freePages();
        try (HugepageDmaDomain domain = HugepageDmaDomain.open(hugepages, mountPoint);
             Pagemap pagemap = Pagemap.open()) {
            DmaRegion region = domain.allocate(2 * HUGEPAGE + 1, "rx ring 0 of port 0");

            assertMountEmpty();
            assertThat(region.size()).isEqualTo(3 * HUGEPAGE);
            assertThat(region.chunkCount()).isEqualTo(3);
            assertThat(freePages()).as("three hugepages in use").isEqualTo(freeBefore - 3);

            MemorySegment seg = region.segment();
            for (int chunk = 0; chunk < 3; chunk++) {
                long chunkOffset = chunk * HUGEPAGE;
                long iova = region.iova(chunkOffset);
                assertThat(iova).isNotZero();
                assertThat(iova % HUGEPAGE).as("chunk %d IOVA 0x%x is 2 MiB-aligned", chunk, iova).isZero();
                for (long page = 0; page < HUGEPAGE; page += Pagemap.BASE_PAGE_SIZE) {
                    long physical = pagemap.physicalAddress(seg.address() + chunkOffset + page);
                    assertThat(physical).as("4 KiB page at +0x%x of chunk %d", page, chunk).isEqualTo(iova + page);
                    assertThat(region.iova(chunkOffset + page + 5)).isEqualTo(physical + 5);
                }
            }

            assertThat(seg.mismatch(MemorySegment.ofArray(new byte[(int) seg.byteSize()]))).as("zeroed").isEqualTo(-1);
            for (long off = 0; off < seg.byteSize(); off += 8) {
                seg.set(JAVA_LONG, off, ~off);
            }
            for (long off = 0; off < seg.byteSize(); off += 8) {
                assertThat(seg.get(JAVA_LONG, off)).isEqualTo(~off);
            }

            region.close();

            assertThatThrownBy(() -> seg.get(JAVA_BYTE, 0)).isInstanceOf(IllegalStateException.class);
            assertThat(freePages()).as("hugepages returned on close").isEqualTo(freeBefore);
        }
        assertMountEmpty();
    }

    @Test
    void closingTheDomainFreesItsRegions() {
        long freeBefore = freePages();
        HugepageDmaDomain domain = HugepageDmaDomain.open(hugepages, mountPoint);
        DmaRegion a;
        DmaRegion b;
        try {
            a = domain.allocate(1, "tx ring");
            b = domain.allocate(HUGEPAGE, "rx ring");
            assertThat(a.iova(0)).isNotEqualTo(b.iova(0));
            assertThat(freePages()).isEqualTo(freeBefore - 2);
        } finally {
            domain.close(); // also when an assertion failed: a live mapping would keep the mount busy
        }

        assertThat(a.isClosed()).isTrue();
        assertThat(b.isClosed()).isTrue();
        assertThatThrownBy(() -> b.segment().get(JAVA_BYTE, 0)).isInstanceOf(IllegalStateException.class);
        assertThat(freePages()).isEqualTo(freeBefore);
    }

    @Test
    void askingForMoreThanIsFreeNamesTheCounts() throws IOException {
        try (HugepageDmaDomain domain = HugepageDmaDomain.open(hugepages, mountPoint)) {
            Hugepages.Pool pool = hugepages.pool();
            long needed = pool.available() + 1;

            assertThatThrownBy(() -> domain.allocate(needed * HUGEPAGE, "packet pool"))
                    .isInstanceOf(DmaException.class)
                    .hasMessageContainingAll("packet pool needs " + needed + " free 2 MiB hugepage",
                            "but only " + pool.available() + " ")
                    .hasMessageContaining("free " + pool.free())
                    .hasMessageContaining("> " + hugepages.nrHugepagesFile());
            assertThat(hugepages.pool().free()).isEqualTo(pool.free());
        }
        assertMountEmpty();
    }

    @Test
    void aMountSizeLimitIsNotMistakenForAnEmptyPool() throws Exception {
        Path small = Files.createTempDirectory("wirespeed-hugetlbfs-small-");
        Process mount = new ProcessBuilder("mount", "-t", "hugetlbfs", "-o", "pagesize=2M,size=2M", "nodev", small.toString())
                .inheritIO().start();
        assertThat(mount.waitFor()).as("mount with size=2M").isZero();
        try {
            long freeBefore = freePages();
            try (HugepageDmaDomain domain = HugepageDmaDomain.open(hugepages, small)) {
                assertThatThrownBy(() -> domain.allocate(2 * HUGEPAGE, "packet pool"))
                        .isInstanceOf(DmaException.class)
                        .hasMessageContainingAll("hugetlbfs at " + small + " refused 2 hugepages for packet pool", "size= option");
                DmaRegion fits = domain.allocate(HUGEPAGE, "tx ring");
                assertThat(fits.iova(0) % HUGEPAGE).isZero();
            }
            assertThat(freePages()).isEqualTo(freeBefore);
            try (var files = Files.list(small)) {
                assertThat(files).isEmpty();
            }
        } finally {
            hugepages.unmount(small);
            Files.delete(small);
        }
    }
}
