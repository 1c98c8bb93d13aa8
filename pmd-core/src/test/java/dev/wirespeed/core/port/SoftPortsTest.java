/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.port;

import dev.wirespeed.core.dma.AnonymousDmaDomain;
import dev.wirespeed.core.idle.WakeSource;
import dev.wirespeed.core.packet.PacketBatch;
import dev.wirespeed.core.packet.PacketPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SoftPortsTest {
    private final AnonymousDmaDomain dma = new AnonymousDmaDomain("t");

    @AfterEach
    void close() {
        dma.close();
    }

    @Test
    void nullPortsForwardAndCountAndGiveEveryBufferBack() {
        try (PacketPool pool = PacketPool.create("p", dma, 512)) {
            PortConfig cfg = PortConfig.builder().rxPool(pool).build();
            try (Port a = Ports.open("null:size=128,copy=1", cfg.toBuilder().portId(0).build());
                 Port b = Ports.open("null:", cfg.toBuilder().portId(1).build())) {
                a.start();
                b.start();
                PacketBatch batch = new PacketBatch(32);
                for (int i = 0; i < 100; i++) {
                    assertThat(a.rx(0, batch)).isEqualTo(32);
                    int h = batch.get(0);
                    assertThat(pool.dataLength(h)).isEqualTo(128);
                    assertThat(pool.port(h)).isEqualTo(0);
                    assertThat(pool.memory().get(ValueLayout.JAVA_BYTE, pool.dataOffset(h) + 20)).isEqualTo((byte) 20);
                    assertThat(b.tx(0, batch)).isEqualTo(32);
                    assertThat(batch.isEmpty()).isTrue();
                }
                PortStats sa = a.stats(new PortStats());
                PortStats sb = b.stats(new PortStats());
                assertThat(sa.ipackets).isEqualTo(3200);
                assertThat(sa.ibytes).isEqualTo(3200 * 128);
                assertThat(sb.opackets).isEqualTo(3200);
                assertThat(sb.obytes).isEqualTo(3200 * 128);
                assertThat(a.extendedStats()).containsEntry("rx_q0_packets", 3200L).containsEntry("rx_good_packets", 3200L);
                a.stop();
                b.stop();
                assertThat(pool.isFull()).isTrue();
            }
        }
    }

    @Test
    void eachRxQueueTakesBuffersFromItsOwnPoolWhenItHasOne() {
        try (PacketPool shared = PacketPool.create("shared", dma, 64); PacketPool own = PacketPool.create("own", dma, 64)) {
            PortConfig cfg = PortConfig.builder().rxQueues(3).rxPool(shared).rxPool(1, own).build();
            assertThat(cfg.rxPool(0)).isSameAs(shared);
            assertThat(cfg.rxPool(1)).isSameAs(own);
            assertThat(cfg.rxPool(2)).isSameAs(shared);
            assertThat(cfg.toBuilder().build().rxPool(1)).as("kept by toBuilder").isSameAs(own);
            assertThat(cfg.toString()).contains("pool=shared, rxq 1 pool=own");
            try (Port p = Ports.open("null:", cfg)) {
                p.start();
                PacketBatch batch = new PacketBatch(8);
                p.rx(1, batch);
                assertThat(PacketPool.of(batch.get(0))).isSameAs(own);
                batch.freeAll();
                p.rx(2, batch);
                assertThat(PacketPool.of(batch.get(0))).isSameAs(shared);
                batch.freeAll();
                p.stop();
            }
            assertThat(shared.isFull() && own.isFull()).isTrue();
        }
    }

    @Test
    void aQueuePoolMustBelongToAnExistingQueueAndEveryQueueNeedsAPool() {
        try (PacketPool own = PacketPool.create("own", dma, 8)) {
            assertThatThrownBy(() -> PortConfig.builder().rxQueues(2).rxPool(2, own).build())
                    .hasMessage("rx pool 'own' is set for rx queue 2, but the port has 2 rx queues; raise rxQueues or drop that pool");
            assertThatThrownBy(() -> PortConfig.builder().rxPool(64, own)).hasMessage("rx queue for a pool must be 0..63, got 64");
            PortConfig onlyQueue0 = PortConfig.builder().rxQueues(2).rxPool(0, own).build();
            assertThatThrownBy(() -> Ports.open("null:", onlyQueue0))
                    .hasMessage("null:: PortConfig has no rx pool for rx queue 1; set one with PortConfig.builder().rxPool(pool) or .rxPool(1, pool)");
        }
    }

    @Test
    void nullPortCountsAllocationFailures() {
        try (PacketPool pool = PacketPool.create("p", dma, 40)) {
            try (Port a = Ports.open("null:", PortConfig.builder().rxPool(pool).build())) {
                a.start();
                PacketBatch batch = new PacketBatch(32);
                assertThat(a.rx(0, batch)).isEqualTo(32);
                PacketBatch second = new PacketBatch(32);
                assertThat(a.rx(0, second)).isZero();
                assertThat(a.stats(new PortStats()).rxNombuf).isEqualTo(1);
                batch.freeAll();
            }
            assertThat(pool.isFull()).isTrue();
        }
    }

    @Test
    void badDeviceStringsGiveClearErrors() {
        try (PacketPool pool = PacketPool.create("p", dma, 8)) {
            PortConfig cfg = PortConfig.builder().rxPool(pool).build();
            assertThatThrownBy(() -> Ports.open("bogus:x", cfg)).hasMessageContaining("unknown scheme 'bogus'").hasMessageContaining("null");
            assertThatThrownBy(() -> Ports.open("null:size=5000", cfg)).hasMessageContaining("'size' must be 14..2048");
            assertThatThrownBy(() -> Ports.open("null:speed=10", cfg)).hasMessageContaining("unknown option 'speed'");
            assertThatThrownBy(() -> Ports.open("null:", PortConfig.builder().build())).hasMessageContaining("no rx pool");
            assertThatThrownBy(() -> Ports.open("ring:", cfg)).hasMessageContaining("needs a link name");
            assertThat(Ports.usage()).anyMatch(u -> u.startsWith("null:")).anyMatch(u -> u.startsWith("ring:"));
        }
    }

    @Test
    void ringPortsConnectBackToBackAcrossThreadsAndReturnEveryBuffer() throws Exception {
        try (PacketPool pool = PacketPool.create("p", dma, 2048)) {
            PortConfig cfg = PortConfig.builder().rxPool(pool).rxRingSize(256).build();
            Port a = Ports.open("ring:t1", cfg);
            Port b = Ports.open("ring:t1", cfg);
            assertThatThrownBy(() -> Ports.open("ring:t1", cfg)).hasMessageContaining("already connects two ports");
            a.start();
            b.start();
            assertThat(a.linkStatus().up()).isTrue();
            int total = 100_000;
            long[] received = new long[1];
            Thread rxThread = Thread.ofPlatform().start(() -> {
                PacketBatch in = new PacketBatch(32);
                while (received[0] < total) {
                    int n = b.rx(0, in);
                    received[0] += n;
                    in.freeAll(); // frees into a pool owned by the other thread: the return queue takes them
                    if (n == 0) {
                        Thread.onSpinWait();
                    }
                }
            });
            PacketBatch out = new PacketBatch(32);
            int sent = 0;
            while (sent < total) {
                int want = Math.min(32 - out.size(), total - sent - out.size());
                for (int i = 0; i < want; i++) {
                    int h = pool.alloc();
                    if (h == PacketPool.NO_PACKET) {
                        break;
                    }
                    pool.setLength(h, 60);
                    out.add(h);
                }
                sent += a.tx(0, out);
            }
            rxThread.join(60_000);
            assertThat(received[0]).isEqualTo(total);
            assertThat(a.stats(new PortStats()).opackets).isEqualTo(total);
            assertThat(b.stats(new PortStats()).ipackets).isEqualTo(total);
            // Some packets in flight when we stop must come back too.
            for (int i = 0; i < 10; i++) {
                out.add(pool.alloc());
            }
            a.tx(0, out);
            a.close();
            b.close();
            assertThat(pool.isFull()).isTrue();
        }
    }

    @Test
    void ringPortRxInterruptFiresOnlyWhenArmed() {
        try (PacketPool pool = PacketPool.create("p", dma, 64)) {
            PortConfig cfg = PortConfig.builder().rxPool(pool).rxInterrupts(true).build();
            try (Port a = Ports.open("ring:irq", cfg); Port b = Ports.open("ring:irq", cfg)) {
                a.start();
                b.start();
                WakeSource w = b.rxWakeSource(0);
                PacketBatch out = new PacketBatch(4);
                out.add(pool.alloc());
                a.tx(0, out);
                assertThat(w.eventFd().drain()).as("disarmed: no interrupt").isZero();
                assertThat(w.hasWork()).isTrue();
                PacketBatch in = new PacketBatch(4);
                b.rx(0, in);
                in.freeAll();
                assertThat(w.hasWork()).isFalse();
                w.arm();
                out.add(pool.alloc());
                a.tx(0, out);
                assertThat(w.eventFd().drain()).as("armed: one interrupt").isEqualTo(1);
                b.stop();
            }
            assertThat(pool.isFull()).isTrue();
        }
    }
}
