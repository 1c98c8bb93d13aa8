/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.dma;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnonymousDmaDomainTest {
    private static final long MIB = 1L << 20;
    private static final long CHUNK = AnonymousDmaDomain.CHUNK_SIZE;

    @Test
    void everyAnonymousDomainSharesOneIovaSpaceLikePhysicalMemory() {
        try (AnonymousDmaDomain app = new AnonymousDmaDomain("application"); AnonymousDmaDomain device = new AnonymousDmaDomain("device")) {
            DmaRegion pool = app.allocate(4096, "pool");
            DmaRegion ring = device.allocate(4096, "ring");
            assertThat(pool.iova(0)).isNotEqualTo(ring.iova(0));
            // The device finds the application's memory, as a VF without an IOMMU reaches any hugepage.
            assertThat(AnonymousDmaDomain.find(pool.iova(100), 8)).isSameAs(pool);
            assertThat(AnonymousDmaDomain.find(ring.iova(100), 8)).isSameAs(ring);
            long gone = pool.iova(0);
            pool.close();
            assertThat(AnonymousDmaDomain.find(gone, 8)).as("freed memory is a DMA fault").isNull();
        }
    }

    @Test
    void roundsUpToWholeChunksWithContiguousSyntheticIovas() {
        try (AnonymousDmaDomain domain = new AnonymousDmaDomain("test")) {
            DmaRegion region = domain.allocate(3 * MIB, "packet pool");

            assertThat(region.size()).isEqualTo(4 * MIB);
            assertThat(region.chunkCount()).isEqualTo(2);
            assertThat(region.chunkSize()).isEqualTo(CHUNK);
            assertThat(region.purpose()).isEqualTo("packet pool");
            long base = region.iova(0);
            assertThat(base).as("above 4 GiB, chunk-aligned").isGreaterThanOrEqualTo(1L << 32);
            assertThat(base % CHUNK).isZero();
            assertThat(region.iova(CHUNK - 1)).isEqualTo(base + CHUNK - 1);
            assertThat(region.iova(CHUNK)).isEqualTo(base + CHUNK);
            assertThat(region.iova(4 * MIB - 1)).isEqualTo(base + 4 * MIB - 1);
            assertThatThrownBy(() -> region.iova(4 * MIB)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> region.iova(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void regionsAreSeparatedByAnUnmappedGuardChunk() {
        try (AnonymousDmaDomain domain = new AnonymousDmaDomain("test")) {
            DmaRegion first = domain.allocate(1, "a");
            DmaRegion second = domain.allocate(CHUNK, "b");

            assertThat(second.iova(0)).isEqualTo(first.iova(0) + first.size() + CHUNK);
        }
    }

    @Test
    void findTranslatesIovasInsideLiveRegionsOnly() {
        try (AnonymousDmaDomain domain = new AnonymousDmaDomain("test")) {
            DmaRegion first = domain.allocate(CHUNK, "a");
            DmaRegion second = domain.allocate(2 * CHUNK, "b");
            long a = first.iova(0);
            long b = second.iova(0);

            assertThat(AnonymousDmaDomain.find(a, 64)).isSameAs(first);
            assertThat(AnonymousDmaDomain.find(a + CHUNK - 64, 64)).as("last bytes").isSameAs(first);
            assertThat(AnonymousDmaDomain.find(b + CHUNK - 8, 16)).as("across chunks of one region").isSameAs(second);
            assertThat(AnonymousDmaDomain.find(a + CHUNK - 8, 16)).as("runs past the end").isNull();
            assertThat(AnonymousDmaDomain.find(a + CHUNK, 1)).as("guard chunk").isNull();
            assertThat(AnonymousDmaDomain.find(b - 1, 1)).as("last byte of the guard").isNull();
            assertThat(AnonymousDmaDomain.find(0, 1)).as("null IOVA").isNull();
            assertThat(AnonymousDmaDomain.find(a - 1, 1)).as("below the IOVA base").isNull();
            assertThat(AnonymousDmaDomain.find(b + 2 * CHUNK, 1)).as("past the last region").isNull();
            assertThat(AnonymousDmaDomain.find(a, -1)).as("negative length").isNull();

            first.close();
            assertThat(AnonymousDmaDomain.find(a, 64)).as("after close").isNull();
            assertThat(AnonymousDmaDomain.find(b, 64)).isSameAs(second);
        }
    }

    @Test
    void memoryStartsZeroedAndHoldsWhatIsWritten() {
        try (AnonymousDmaDomain domain = new AnonymousDmaDomain("test")) {
            DmaRegion region = domain.allocate(2 * CHUNK, "a");
            MemorySegment seg = region.segment();

            assertThat(seg.mismatch(MemorySegment.ofArray(new byte[(int) seg.byteSize()]))).isEqualTo(-1);
            for (long off = 0; off < seg.byteSize(); off += 8) {
                seg.set(JAVA_LONG, off, off * 0x9E3779B97F4A7C15L);
            }
            for (long off = 0; off < seg.byteSize(); off += 8) {
                assertThat(seg.get(JAVA_LONG, off)).isEqualTo(off * 0x9E3779B97F4A7C15L);
            }
        }
    }

    @Test
    void closingARegionMakesItsSegmentInaccessible() {
        try (AnonymousDmaDomain domain = new AnonymousDmaDomain("test")) {
            DmaRegion region = domain.allocate(1, "a");
            region.close();
            region.close(); // harmless

            assertThat(region.isClosed()).isTrue();
            assertThatThrownBy(() -> region.segment().get(JAVA_BYTE, 0)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void closingTheDomainFreesEveryRegionAndRefusesNewOnes() {
        AnonymousDmaDomain domain = new AnonymousDmaDomain("emu");
        DmaRegion a = domain.allocate(1, "a");
        DmaRegion b = domain.allocate(CHUNK + 1, "b");
        long iova = b.iova(0);

        domain.close();

        assertThat(a.isClosed()).isTrue();
        assertThat(b.isClosed()).isTrue();
        assertThatThrownBy(() -> b.segment().get(JAVA_BYTE, 0)).isInstanceOf(IllegalStateException.class);
        assertThat(AnonymousDmaDomain.find(iova, 1)).isNull();
        assertThatThrownBy(() -> domain.allocate(1, "late ring"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("emu")
                .hasMessageContaining("late ring");
    }

    @Test
    void nonPositiveSizesAreRefused() {
        try (AnonymousDmaDomain domain = new AnonymousDmaDomain("test")) {
            assertThatThrownBy(() -> domain.allocate(0, "ring")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("ring");
            assertThatThrownBy(() -> domain.allocate(-5, "ring")).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
