/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.packet;

import dev.wirespeed.core.dma.AnonymousDmaDomain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PacketPoolTest {
    private final AnonymousDmaDomain dma = new AnonymousDmaDomain("test");

    @AfterEach
    void closeDomain() {
        dma.close();
    }

    @Test
    void everyBufferIsDistinctNonNegativeAndInsideOneDmaChunk() {
        try (PacketPool pool = PacketPool.create("p", dma, 3000)) {
            int[] all = new int[3000];
            assertThat(pool.allocBulk(all, 0, 3000)).isEqualTo(3000);
            Set<Integer> seen = new HashSet<>();
            long chunk = dma.chunkSize();
            for (int h : all) {
                assertThat(h).isNotNegative();
                assertThat(seen.add(h)).isTrue();
                long start = pool.offset(h);
                long end = start + PacketPool.METADATA_SIZE + pool.headroom() + pool.dataRoom() - 1;
                assertThat(start / chunk).as("buffer must not straddle a DMA chunk").isEqualTo(end / chunk);
                // The IOVA stored in the metadata is the domain's IOVA of the headroom start.
                assertThat(pool.bufferIova(h)).isEqualTo(dmaIova(pool, start + PacketPool.METADATA_SIZE));
                assertThat(pool.dataIova(h)).isEqualTo(pool.bufferIova(h) + pool.headroom());
            }
            assertThat(pool.available()).isZero();
            assertThat(pool.alloc()).isEqualTo(PacketPool.NO_PACKET);
            PacketPool.freeAll(all, 0, all.length);
            assertThat(pool.isFull()).isTrue();
        }
    }

    private long dmaIova(PacketPool pool, long offset) {
        // Recompute from the domain: find() maps an IOVA back to the region; the first chunk's IOVA is
        // the region's base, and buffers never straddle chunks, so base + offset holds within a chunk.
        long base = pool.bufferIova(firstHandle(pool)) - PacketPool.METADATA_SIZE;
        return base + offset;
    }

    private int firstHandle(PacketPool pool) {
        return pool.id() << 24; // offset 0
    }

    @Test
    void freshBuffersHaveDefaultMetadataEvenAfterReuse() {
        try (PacketPool pool = PacketPool.create("p", dma, 4)) {
            int h = pool.alloc();
            pool.setLength(h, 99);
            pool.setRssHash(h, 7);
            pool.setFlags(h, PacketFlags.RX_VLAN_STRIPPED);
            pool.setVlanTci(h, 0xABC);
            pool.setPort(h, 3);
            pool.setDataStart(h, 10);
            pool.free(h);
            int again = pool.alloc();
            assertThat(again).isEqualTo(h); // LIFO: the cache-hot buffer comes back first
            assertThat(pool.dataLength(again)).isZero();
            assertThat(pool.packetLength(again)).isZero();
            assertThat(pool.rssHash(again)).isZero();
            assertThat(pool.flags(again)).isZero();
            assertThat(pool.vlanTci(again)).isZero();
            assertThat(pool.port(again)).isZero();
            assertThat(pool.dataStart(again)).isEqualTo(PacketPool.DEFAULT_HEADROOM);
            assertThat(pool.next(again)).isEqualTo(PacketPool.NO_PACKET);
            assertThat(pool.segmentCount(again)).isEqualTo(1);
            pool.free(again);
        }
    }

    @Test
    void bulkAllocationIsAllOrNothing() {
        try (PacketPool pool = PacketPool.create("p", dma, 10)) {
            int[] a = new int[16];
            assertThat(pool.allocBulk(a, 0, 8)).isEqualTo(8);
            assertThat(pool.allocBulk(a, 8, 3)).isZero();
            assertThat(pool.available()).isEqualTo(2);
            assertThat(pool.allocBulk(a, 8, 2)).isEqualTo(2);
            PacketPool.freeAll(a, 0, 10);
            assertThat(pool.isFull()).isTrue();
        }
    }

    @Test
    void freeingAChainReturnsEverySegment() {
        try (PacketPool pool = PacketPool.create("p", dma, 8)) {
            int a = pool.alloc();
            int b = pool.alloc();
            int c = pool.alloc();
            pool.setNext(a, b);
            pool.setNext(b, c);
            pool.setSegmentCount(a, 3);
            assertThat(pool.inUse()).isEqualTo(3);
            pool.free(a);
            assertThat(pool.isFull()).isTrue();
        }
    }

    @Test
    void anotherThreadCanFreeButNotAllocate() throws Exception {
        try (PacketPool pool = PacketPool.create("p", dma, 1000)) {
            int[] hs = new int[1000];
            pool.allocBulk(hs, 0, 1000);
            AtomicReference<Throwable> allocError = new AtomicReference<>();
            Thread other = Thread.ofPlatform().start(() -> {
                PacketPool.freeAll(hs, 0, 1000);
                try {
                    pool.alloc();
                } catch (Throwable t) {
                    allocError.set(t);
                }
            });
            other.join();
            assertThat(allocError.get()).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("owned by thread").hasMessageContaining("adopt()");
            assertThat(pool.available()).isEqualTo(1000);
            // The owner gets the returned buffers back through the return queue.
            int[] again = new int[1000];
            assertThat(pool.allocBulk(again, 0, 1000)).isEqualTo(1000);
            assertThat(Set.copyOf(java.util.Arrays.stream(again).boxed().toList())).hasSize(1000);
            pool.adopt();
            PacketPool.freeAll(again, 0, 1000);
        }
    }

    @Test
    void concurrentReturnsFromManyThreadsLoseNothing() throws Exception {
        int n = 20_000;
        try (PacketPool pool = PacketPool.create("p", dma, n)) {
            int[] hs = new int[n];
            pool.allocBulk(hs, 0, n);
            Thread[] threads = new Thread[4];
            for (int t = 0; t < threads.length; t++) {
                int from = t * (n / threads.length);
                threads[t] = Thread.ofPlatform().start(() -> {
                    for (int i = from; i < from + n / threads.length; i++) {
                        pool.free(hs[i]);
                    }
                });
            }
            // Meanwhile the owner keeps allocating and freeing what comes back.
            int recycled = 0;
            int[] tmp = new int[32];
            while (recycled < 50_000) {
                if (pool.allocBulk(tmp, 0, 32) == 32) {
                    PacketPool.freeAll(tmp, 0, 32);
                }
                recycled++;
            }
            for (Thread t : threads) {
                t.join();
            }
            assertThat(pool.available()).isEqualTo(n);
            int[] again = new int[n];
            assertThat(pool.allocBulk(again, 0, n)).isEqualTo(n); // every buffer drains back, each once
            assertThat(java.util.Arrays.stream(again).distinct().count()).isEqualTo(n);
            PacketPool.freeAll(again, 0, n);
        }
    }

    @Test
    void doubleFreeIsDetected() {
        try (PacketPool pool = PacketPool.create("p", dma, 2)) {
            int h = pool.alloc();
            pool.free(h);
            pool.free(pool.alloc());
            assertThatThrownBy(() -> pool.free(h)).isInstanceOf(IllegalStateException.class).hasMessageContaining("freed twice");
        }
    }

    @Test
    void closingWithBuffersOutReportsExactlyHowManyLeaked() {
        PacketPool pool = PacketPool.create("leaky", dma, 16);
        int[] hs = new int[3];
        pool.allocBulk(hs, 0, 3);
        assertThatThrownBy(pool::close).isInstanceOf(PoolLeakException.class)
                .hasMessageContaining("'leaky' closed with 3 of 16 buffers still in use");
        assertThatThrownBy(() -> pool.dataLength(hs[0])).as("memory is gone, access fails cleanly")
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void handlesOfOtherPoolsAreRejected() {
        try (PacketPool a = PacketPool.create("a", dma, 2); PacketPool b = PacketPool.create("b", dma, 2)) {
            int h = b.alloc();
            assertThat(PacketPool.of(h)).isSameAs(b);
            assertThatThrownBy(() -> a.free(h)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a'");
            b.free(h);
        }
        assertThatThrownBy(() -> PacketPool.of(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badGeometryIsRefusedWithTheLimits() {
        assertThatThrownBy(() -> PacketPool.create("x", dma, 0)).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> PacketPool.create("x", dma, 8, 128, 20000)).hasMessageContaining("64..16384");
        assertThatThrownBy(() -> PacketPool.create("x", dma, 8, 7, 2048)).hasMessageContaining("multiple of 8");
    }

    @Test
    void headroomAllowsPrependAndTrim() {
        try (PacketPool pool = PacketPool.create("p", dma, 2, 128, 2048)) {
            int h = pool.alloc();
            pool.setLength(h, 60);
            long before = pool.dataOffset(h);
            pool.prepend(h, 4);
            assertThat(pool.dataOffset(h)).isEqualTo(before - 4);
            assertThat(pool.packetLength(h)).isEqualTo(64);
            pool.trimFront(h, 4);
            assertThat(pool.dataOffset(h)).isEqualTo(before);
            assertThat(pool.tailroom(h)).isEqualTo(2048 - 60);
            assertThatThrownBy(() -> pool.prepend(h, 129)).hasMessageContaining("headroom");
            pool.free(h);
        }
    }
}
