/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.port;

import dev.wirespeed.core.dma.AnonymousDmaDomain;
import dev.wirespeed.core.packet.PacketBatch;
import dev.wirespeed.core.packet.PacketPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;

import static org.assertj.core.api.Assertions.assertThat;

/** The null port's copy mode writes whole frames word by word and reads any frame back, aligned or not. */
class NullPortCopyTest {
    private final AnonymousDmaDomain dma = new AnonymousDmaDomain("t");

    @AfterEach
    void close() {
        dma.close();
    }

    @Test
    void rxWritesEveryByteOfTheFrameWhateverItsSize() {
        for (int size : new int[] {14, 15, 16, 61, 64, 65, 2048}) {
            try (PacketPool pool = PacketPool.create("p" + size, dma, 64)) {
                PortConfig cfg = PortConfig.builder().rxPool(pool).build();
                try (Port port = Ports.open("null:size=" + size + ",copy=1", cfg)) {
                    port.start();
                    PacketBatch batch = new PacketBatch(4);
                    port.rx(0, batch);
                    long mac = port.macAddress().value();
                    for (int i = 0; i < batch.size(); i++) {
                        int h = batch.get(i);
                        long at = pool.dataOffset(h);
                        for (int b = 0; b < size; b++) {
                            byte want = b < 6 ? (byte) (mac >>> (40 - 8 * b)) : (byte) b;
                            assertThat(pool.memory().get(ValueLayout.JAVA_BYTE, at + b)).as("size %d byte %d", size, b).isEqualTo(want);
                        }
                        if (size < pool.dataRoom()) {
                            assertThat(pool.memory().get(ValueLayout.JAVA_BYTE, at + size)).as("nothing written past the frame").isZero();
                        }
                    }
                    port.tx(0, batch);
                    assertThat(pool.isFull()).isTrue();
                }
            }
        }
    }

    @Test
    void txReadsFramesOfAnyLengthAtAnyDataStart() {
        try (PacketPool pool = PacketPool.create("p", dma, 64)) {
            PortConfig cfg = PortConfig.builder().rxPool(pool).build();
            try (Port port = Ports.open("null:size=64,copy=1", cfg)) {
                port.start();
                PacketBatch batch = new PacketBatch(4);
                int[] lengths = {0, 3, 13, pool.dataRoom() - 1};
                for (int len : lengths) {
                    int h = pool.alloc();
                    pool.setDataStart(h, pool.headroom() + 1); // odd start: unaligned words
                    pool.setLength(h, len);
                    batch.add(h);
                }
                assertThat(port.tx(0, batch)).isEqualTo(4);
                PortStats s = port.stats(new PortStats());
                assertThat(s.obytes).isEqualTo(0 + 3 + 13 + pool.dataRoom() - 1);
                assertThat(pool.isFull()).isTrue();
            }
        }
    }
}
