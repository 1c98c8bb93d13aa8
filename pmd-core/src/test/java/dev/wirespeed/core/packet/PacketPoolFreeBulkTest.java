/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.packet;

import dev.wirespeed.core.dma.AnonymousDmaDomain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link PacketPool#freeBulk}: the FAST_FREE-like burst return keeps the pool exact in every case. */
class PacketPoolFreeBulkTest {
    private final AnonymousDmaDomain dma = new AnonymousDmaDomain("test");

    @AfterEach
    void closeDomain() {
        dma.close();
    }

    @Test
    void aBurstOfOnePoolGoesBackWholeAndComesOutAgainFresh() {
        try (PacketPool pool = PacketPool.create("p", dma, 64)) {
            int[] burst = new int[32];
            pool.allocBulk(burst, 0, 32);
            pool.setLength(burst[5], 60);
            pool.freeBulk(burst, 0, 32);
            assertThat(pool.isFull()).isTrue();
            int[] again = new int[64];
            assertThat(pool.allocBulk(again, 0, 64)).isEqualTo(64);
            assertThat(Arrays.stream(again).distinct().count()).isEqualTo(64);
            for (int h : again) {
                assertThat(pool.next(h)).as("a fresh buffer is not chained").isEqualTo(PacketPool.NO_PACKET);
                assertThat(pool.packetLength(h)).isZero();
            }
            pool.freeBulk(again, 0, 64);
            assertThat(pool.isFull()).isTrue();
        }
    }

    @Test
    void aBufferFreedTwiceIsCaughtEvenWhenThePoolIsNotFull() {
        try (PacketPool pool = PacketPool.create("p", dma, 64)) {
            int[] burst = new int[4];
            pool.allocBulk(burst, 0, 4);
            pool.freeBulk(burst, 0, 2);
            // burst[1] again, inside a burst that would fit the stack: without the in-pool mark it would be
            // pushed a second time and later handed out twice.
            assertThatThrownBy(() -> pool.freeBulk(burst, 1, 3)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("0x" + Integer.toHexString(burst[1]) + " freed twice");
            assertThat(pool.available()).as("nothing pushed twice").isEqualTo(62);
            pool.freeBulk(burst, 2, 2);
            assertThat(pool.isFull()).isTrue();
            assertThatThrownBy(() -> pool.freeBulk(burst, 0, 4)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("freed twice");
            assertThat(pool.isFull()).isTrue();
        }
    }

    @Test
    void theSameHandleTwiceInOneBurstIsCaught() {
        try (PacketPool pool = PacketPool.create("p", dma, 64)) {
            int h = pool.alloc();
            assertThatThrownBy(() -> pool.freeBulk(new int[] {h, h}, 0, 2)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("freed twice");
            assertThat(pool.isFull()).isTrue();
        }
    }

    @Test
    void chainsAndOtherPoolsPacketsTakeThePerPacketPath() {
        try (PacketPool a = PacketPool.create("a", dma, 8); PacketPool b = PacketPool.create("b", dma, 8)) {
            int head = a.alloc();
            int tail = a.alloc();
            a.setNext(head, tail);
            a.setSegmentCount(head, 2);
            int single = a.alloc();
            int foreign = b.alloc();
            a.freeBulk(new int[] {head, foreign, single}, 0, 3);
            assertThat(a.isFull()).as("both segments of the chain and the single buffer").isTrue();
            assertThat(b.isFull()).as("b's packet went back to b").isTrue();
        }
    }

    @Test
    void anotherThreadsBurstGoesThroughTheReturnQueue() throws Exception {
        try (PacketPool pool = PacketPool.create("p", dma, 16)) {
            int[] burst = new int[16];
            pool.allocBulk(burst, 0, 16);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    pool.freeBulk(burst, 0, 16);
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            t.start();
            t.join();
            assertThat(failure.get()).isNull();
            assertThat(pool.isFull()).isTrue();
            assertThat(pool.allocBulk(burst, 0, 16)).isEqualTo(16); // the owner drains them back
            pool.freeBulk(burst, 0, 16);
        }
    }

    @Test
    void notAHandleIsRejectedAndTheBuffersBeforeItAreBack() {
        try (PacketPool pool = PacketPool.create("p", dma, 8)) {
            int h = pool.alloc();
            assertThatThrownBy(() -> pool.freeBulk(new int[] {h, PacketPool.NO_PACKET}, 0, 2))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a handle of an open packet pool");
            assertThat(pool.isFull()).isTrue();
            assertThatThrownBy(() -> pool.freeBulk(new int[2], 1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }
}
