/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

import dev.wirespeed.core.dma.AnonymousDmaDomain;
import dev.wirespeed.core.dma.DmaRegion;
import dev.wirespeed.core.packet.PacketBatch;
import dev.wirespeed.core.packet.PacketFlags;
import dev.wirespeed.core.packet.PacketPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rx ring on its own; the test plays the device and writes advanced write-back descriptors as
 * the facts sheet lays them out (§2.1), little-endian, with its own offsets.
 */
class RxQueueTest {
    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int RDT0 = 0x1018;
    private static final int SIZE = 128;

    private final AnonymousDmaDomain dma = new AnonymousDmaDomain("rx test");
    private final PacketPool pool = PacketPool.create("rx test", dma, 1024);
    private final DmaRegion region = dma.allocate(SIZE * 16, "ring");
    private final MemorySegment ring = region.segment();
    private final RecordingBar bar = new RecordingBar();
    private int deviceHead;

    @AfterEach
    void tearDown() {
        pool.close();
        dma.close();
    }

    private RxQueue queue(boolean checksums, boolean strip) {
        RxQueue q = new RxQueue(0, ring, region.iova(0), SIZE, pool, 7, checksums, strip);
        q.fill(true);
        q.startTail(bar, RDT0);
        q.gate.open();
        return q;
    }

    /** The device writes one descriptor back: DW0 info, DW1 RSS, DW2 status/errors, DW3 length/VLAN. */
    private void writeBack(int length, int status, int info, int rss, int vlan) {
        long d = deviceHead * 16L;
        ring.set(LE32, d, info);
        ring.set(LE32, d + 4, rss);
        ring.set(LE32, d + 12, length | vlan << 16);
        ring.set(LE32, d + 8, status);
        deviceHead = (deviceHead + 1) % SIZE;
    }

    @Test
    void fillingArmsEveryDescriptorWithItsBufferAndHandsAllButOneToTheDevice() {
        RxQueue q = queue(false, false);
        for (int i = 0; i < SIZE; i++) {
            long addr = ring.get(LE64, i * 16L);
            assertThat(addr % 2).as("buffer addresses are even (bit 0 is A0/NSE)").isZero();
            assertThat(ring.get(LE64, i * 16L + 8)).as("header address 0 clears DD").isZero();
        }
        assertThat(bar.valuesWrittenTo(RDT0)).containsExactly(SIZE - 1);
        assertThat(pool.inUse()).isEqualTo(SIZE);
        q.releaseBuffers();
        assertThat(pool.isFull()).isTrue();
    }

    @Test
    void completePacketsAreReceivedWithMetadataAndTheTailMovesOncePer32() {
        RxQueue q = queue(true, true);
        for (int i = 0; i < 100; i++) {
            writeBack(60 + i, 0b11 /* DD EOP */, 0x1 /* RSS IPv4/TCP */ | 0x110 << 0, 0xCAFE0000 + i, 0);
        }
        PacketBatch batch = new PacketBatch(64);
        assertThat(q.receive(batch)).isEqualTo(64);
        for (int i = 0; i < 64; i++) {
            int h = batch.get(i);
            assertThat(pool.packetLength(h)).isEqualTo(60 + i);
            assertThat(pool.dataLength(h)).isEqualTo(60 + i);
            assertThat(pool.rssHash(h)).isEqualTo(0xCAFE0000 + i);
            assertThat(pool.flags(h) & PacketFlags.RX_RSS_HASH).isNotZero();
            assertThat(pool.port(h)).isEqualTo(7);
            assertThat(pool.packetType(h)).isEqualTo(0x110);
        }
        assertThat(bar.valuesWrittenTo(RDT0)).as("re-armed in groups of 32, with one RDT write per burst").containsExactly(SIZE - 1, 63);
        batch.freeAll();
        assertThat(q.receive(batch)).isEqualTo(36);
        assertThat(q.receive(batch)).isZero();
        assertThat(bar.valuesWrittenTo(RDT0)).containsExactly(SIZE - 1, 63, 95);
        batch.freeAll();
        q.releaseBuffers();
        assertThat(pool.isFull()).isTrue();
    }

    @Test
    void aDescriptorWithoutDdEndsTheBurst() {
        RxQueue q = queue(false, false);
        writeBack(60, 0b11, 0, 0, 0);
        writeBack(60, 0b10 /* EOP but no DD */, 0, 0, 0);
        PacketBatch batch = new PacketBatch(32);
        assertThat(q.receive(batch)).isEqualTo(1);
        assertThat(q.hasWork()).isFalse();
        batch.freeAll();
        q.releaseBuffers();
        assertThat(pool.isFull()).isTrue();
    }

    @Test
    void framesLongerThanABufferBecomeChainsEvenAcrossBursts() {
        RxQueue q = queue(false, false);
        writeBack(2048, 0b01, 0, 0, 0);      // DD, no EOP
        PacketBatch batch = new PacketBatch(32);
        assertThat(q.receive(batch)).as("half a packet is not handed out").isZero();
        writeBack(2048, 0b01, 0, 0, 0);
        writeBack(904, 0b11, 0, 0, 0);
        writeBack(64, 0b11, 0, 0, 0);
        assertThat(q.receive(batch)).isEqualTo(2);
        int h = batch.get(0);
        assertThat(pool.packetLength(h)).isEqualTo(5000);
        assertThat(pool.segmentCount(h)).isEqualTo(3);
        assertThat(pool.dataLength(h)).isEqualTo(2048);
        int s2 = pool.next(h);
        int s3 = pool.next(s2);
        assertThat(pool.dataLength(s3)).isEqualTo(904);
        assertThat(pool.next(s3)).isEqualTo(PacketPool.NO_PACKET);
        assertThat(pool.packetLength(batch.get(1))).isEqualTo(64);
        batch.freeAll();
        q.releaseBuffers();
        assertThat(pool.isFull()).isTrue();
    }

    @Test
    void framesWithErrorsAreDroppedAndCounted() {
        RxQueue q = queue(false, false);
        writeBack(60, 0b11 | 1 << 24 /* CE: CRC error */, 0, 0, 0);
        writeBack(60, 0b11, 0, 0, 0);
        PacketBatch batch = new PacketBatch(32);
        assertThat(q.receive(batch)).isEqualTo(1);
        assertThat(q.frameErrors).isEqualTo(1);
        batch.freeAll();
        q.releaseBuffers();
        assertThat(pool.isFull()).isTrue();
    }

    @Test
    void checksumAndVlanStatusBecomeFlags() {
        RxQueue q = queue(true, true);
        int ipcs = 1 << 6, l4cs = 1 << 5, vp = 1 << 3, ipe = 1 << 31, tcpe = 1 << 30;
        writeBack(60, 0b11 | ipcs | l4cs | vp, 0, 0, 0x2064);
        writeBack(60, 0b11 | ipcs | l4cs | ipe | tcpe, 0, 0, 0);
        writeBack(60, 0b11, 0, 0, 0);
        PacketBatch batch = new PacketBatch(32);
        assertThat(q.receive(batch)).isEqualTo(3);
        assertThat(pool.flags(batch.get(0))).isEqualTo(PacketFlags.RX_IP_CHECKSUM_GOOD | PacketFlags.RX_L4_CHECKSUM_GOOD | PacketFlags.RX_VLAN_STRIPPED);
        assertThat(pool.vlanTci(batch.get(0))).isEqualTo(0x2064);
        assertThat(pool.flags(batch.get(1))).isEqualTo(PacketFlags.RX_IP_CHECKSUM_BAD | PacketFlags.RX_L4_CHECKSUM_BAD);
        assertThat(pool.flags(batch.get(2))).as("nothing checked, nothing claimed").isZero();
        batch.freeAll();
        q.releaseBuffers();
    }

    @Test
    void anEmptyPoolIsCountedAndTheRingRefillsLater() {
        RxQueue q = queue(false, false);
        int[] hoard = new int[pool.available()];
        int n = pool.allocBulk(hoard, 0, hoard.length);
        for (int i = 0; i < 40; i++) {
            writeBack(60, 0b11, 0, 0, 0);
        }
        PacketBatch batch = new PacketBatch(64);
        assertThat(q.receive(batch)).isEqualTo(40);
        assertThat(q.allocFailures).isEqualTo(1);
        assertThat(bar.valuesWrittenTo(RDT0)).containsExactly(SIZE - 1);
        PacketPool.freeAll(hoard, 0, n);
        batch.freeAll();
        assertThat(q.receive(batch)).isZero();
        assertThat(bar.valuesWrittenTo(RDT0)).as("refilled on the next burst").containsExactly(SIZE - 1, 31);
        q.releaseBuffers();
    }
}
