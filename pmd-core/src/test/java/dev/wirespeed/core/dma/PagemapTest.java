/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.dma;

import dev.wirespeed.core.os.LibC;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class PagemapTest {
    private static final long PRESENT = 1L << 63;
    private static final long SOFT_DIRTY = 1L << 55;
    private static final long EXCLUSIVE = 1L << 56;
    private static final long FILE_PAGE = 1L << 61;

    @TempDir
    Path dir;

    /** A pagemap-format file with one entry per 4 KiB page, virtual page i at offset 8 * i. */
    private Path pagemapFile(long... entries) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(entries.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long e : entries) {
            buf.putLong(e);
        }
        Path file = dir.resolve("pagemap");
        Files.write(file, buf.array());
        return file;
    }

    @Test
    void translatesThePfnAndKeepsTheOffsetWithinThePage() throws Exception {
        Path file = pagemapFile(0, PRESENT | 0x12345, PRESENT | SOFT_DIRTY | EXCLUSIVE | FILE_PAGE | 0x7_ffff_ffffL);
        try (Pagemap pagemap = Pagemap.open(file)) {
            assertThat(pagemap.physicalAddress(0x1000)).isEqualTo(0x12345000L);
            assertThat(pagemap.physicalAddress(0x1abc)).isEqualTo(0x12345abcL);
            assertThat(pagemap.physicalAddress(0x2fff))
                    .as("flag bits 55-62 are not part of the PFN")
                    .isEqualTo(0x7_ffff_ffffL << 12 | 0xfff);
            assertThat(pagemap.isPresent(0x1000)).isTrue();
            assertThat(pagemap.isPresent(0x0fff)).isFalse();
        }
    }

    @Test
    void aPageThatIsNotPresentCannotBeTranslated() throws Exception {
        try (Pagemap pagemap = Pagemap.open(pagemapFile(0, 0x12345))) {
            assertThatThrownBy(() -> pagemap.physicalAddress(0x1008))
                    .isInstanceOf(DmaException.class)
                    .hasMessageContaining("0x1008")
                    .hasMessageContaining("not present");
        }
    }

    @Test
    void aPresentPageWithPfnZeroMeansThePfnIsHidden() throws Exception {
        try (Pagemap pagemap = Pagemap.open(pagemapFile(PRESENT | SOFT_DIRTY))) {
            assertThatThrownBy(() -> pagemap.physicalAddress(0x10))
                    .isInstanceOf(DmaException.class)
                    .hasMessageContaining("reading physical addresses needs CAP_SYS_ADMIN (run as root)");
        }
    }

    @Test
    void anAddressBeyondTheFileHasNoEntry() throws Exception {
        try (Pagemap pagemap = Pagemap.open(pagemapFile(PRESENT | 1))) {
            assertThatThrownBy(() -> pagemap.physicalAddress(0x5000))
                    .isInstanceOf(DmaException.class)
                    .hasMessageContaining("no entry for virtual address 0x5000");
        }
    }

    @Test
    void aMissingFileIsReportedWithItsPath() {
        assertThatThrownBy(() -> Pagemap.open(dir.resolve("nope")))
                .isInstanceOf(DmaException.class)
                .hasMessageContaining(dir.resolve("nope").toString())
                .hasMessageContaining("ENOENT");
    }

    @Test
    void aClosedPagemapRefusesToRead() throws Exception {
        Pagemap pagemap = Pagemap.open(pagemapFile(PRESENT | 1));
        pagemap.close();
        pagemap.close(); // harmless

        assertThatThrownBy(() -> pagemap.entry(0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void untouchedMemoryIsNotPresentInThisProcess() {
        MemorySegment anon = LibC.mmap(2 * Pagemap.BASE_PAGE_SIZE, LibC.PROT_READ | LibC.PROT_WRITE,
                LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS, -1, 0);
        try (Pagemap pagemap = Pagemap.open()) {
            assertThat(pagemap.isPresent(anon.address())).isFalse();
            anon.set(JAVA_BYTE, 0, (byte) 1);
            assertThat(pagemap.isPresent(anon.address())).isTrue();
            assertThat(pagemap.isPresent(anon.address() + Pagemap.BASE_PAGE_SIZE)).isFalse();
        } finally {
            LibC.munmap(anon);
        }
    }

    @Test
    void rootSeesRealPhysicalAddresses() {
        assumeTrue(RootUser.isRoot(), RootUser.SKIP_MESSAGE);
        MemorySegment anon = LibC.mmap(Pagemap.BASE_PAGE_SIZE, LibC.PROT_READ | LibC.PROT_WRITE,
                LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS | LibC.MAP_POPULATE, -1, 0);
        try (Pagemap pagemap = Pagemap.open()) {
            LibC.mlock(anon);
            long physical = pagemap.physicalAddress(anon.address() + 0x123);

            assertThat(physical).isNotZero();
            assertThat(physical & 0xfff).isEqualTo(0x123);
        } finally {
            LibC.munmap(anon);
        }
    }

    @Test
    void withoutRootThePhysicalAddressIsHidden() {
        assumeFalse(RootUser.isRoot(), "root may read physical addresses; this checks the unprivileged message");
        MemorySegment anon = LibC.mmap(Pagemap.BASE_PAGE_SIZE, LibC.PROT_READ | LibC.PROT_WRITE,
                LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS | LibC.MAP_POPULATE, -1, 0);
        try (Pagemap pagemap = Pagemap.open()) {
            assertThatThrownBy(() -> pagemap.physicalAddress(anon.address()))
                    .isInstanceOf(DmaException.class)
                    .hasMessageContaining("CAP_SYS_ADMIN");
        } finally {
            LibC.munmap(anon);
        }
    }
}
