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

/** The tx ring on its own; the test plays the device, reading descriptors per facts §2.2/§2.3 and writing DD back. */
class TxQueueTest {
    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int TDT0 = 0x2018;
    private static final int SIZE = 128;
    private static final int DTYP_SHIFT = 20, EOP = 1 << 24, IFCS = 1 << 25, RS = 1 << 27, DEXT = 1 << 29, VLE = 1 << 30, CC = 1 << 7;

    private final AnonymousDmaDomain dma = new AnonymousDmaDomain("tx test");
    private final PacketPool pool = PacketPool.create("tx test", dma, 1024);
    private final DmaRegion region = dma.allocate(SIZE * 16, "ring");
    private final MemorySegment ring = region.segment();
    private final RecordingBar bar = new RecordingBar();
    private final TxQueue q = new TxQueue(0, ring, region.iova(0), SIZE);

    TxQueueTest() {
        q.reset(bar, TDT0);
        q.gate.open();
    }

    @AfterEach
    void tearDown() {
        pool.close();
        dma.close();
    }

    private PacketBatch packets(int n, int length) {
        PacketBatch b = new PacketBatch(n);
        for (int i = 0; i < n; i++) {
            int h = pool.alloc();
            pool.setLength(h, length);
            b.add(h);
        }
        return b;
    }

    private int cmd(int slot) {
        return ring.get(LE32, slot * 16L + 8);
    }

    private int olinfo(int slot) {
        return ring.get(LE32, slot * 16L + 12);
    }

    /** The device finished everything up to {@code slot}: DD on each RS descriptor there. */
    private void complete(int upTo) {
        for (int s = 0; s <= upTo; s++) {
            if ((cmd(s) & RS) != 0) {
                ring.set(LE32, s * 16L + 12, 1);
            }
        }
    }

    @Test
    void aBurstStartsWithAContextAndEveryDataDescriptorCarriesCc() {
        PacketBatch b = packets(40, 100);
        int first = b.get(0);
        assertThat(q.transmit(b)).isEqualTo(40);
        assertThat(b.isEmpty()).isTrue();
        assertThat(bar.valuesWrittenTo(TDT0)).as("one tail write per burst").containsExactly(41);
        assertThat((cmd(0) >>> DTYP_SHIFT) & 0xF).as("slot 0: context descriptor").isEqualTo(2);
        assertThat(cmd(0) & DEXT).isNotZero();
        assertThat(ring.get(LE32, 0) >>> 9 & 0x7F).as("MACLEN 14").isEqualTo(14);
        for (int s = 1; s <= 40; s++) {
            int c = cmd(s);
            assertThat((c >>> DTYP_SHIFT) & 0xF).isEqualTo(3);
            assertThat(c & (EOP | IFCS | DEXT)).isEqualTo(EOP | IFCS | DEXT);
            assertThat(c & 0xFFFF).isEqualTo(100);
            assertThat(olinfo(s) & CC).as("CC on every data descriptor (X550 MDD)").isNotZero();
            assertThat(olinfo(s) >>> 14).as("PAYLEN").isEqualTo(100);
        }
        assertThat(ring.get(LE64, 16)).isEqualTo(pool.dataIova(first));
        int rsCount = 0;
        for (int s = 0; s <= 40; s++) {
            rsCount += (cmd(s) & RS) != 0 ? 1 : 0;
        }
        assertThat(rsCount).as("RS once per 32 descriptors").isEqualTo(1);
        assertThat(cmd(31) & RS).as("the context plus 31 packets make 32").isNotZero();
        q.releaseBuffers();
        assertThat(pool.isFull()).isTrue();
    }

    @Test
    void completedBuffersAreFreedInBulkWhenTheRingRunsLow() {
        assertThat(q.transmit(packets(100, 60))).isEqualTo(100);
        complete(100);
        int inUse = pool.inUse();
        assertThat(inUse).isEqualTo(100);
        q.cleanCompleted();
        assertThat(pool.inUse()).as("packets up to the last RS written back are free; the rest wait for the next RS")
                .isEqualTo(100 - 95);
        q.releaseBuffers();
        assertThat(pool.isFull()).isTrue();
    }

    @Test
    void whatTheRingCannotTakeStaysInTheBatchInOrder() {
        PacketBatch b = packets(200, 60);
        int firstLeft = b.get(SIZE - 2);
        assertThat(q.transmit(b)).as("one slot stays empty and one holds the context").isEqualTo(SIZE - 2);
        assertThat(b.size()).isEqualTo(200 - (SIZE - 2));
        assertThat(b.get(0)).isEqualTo(firstLeft);
        complete(SIZE - 1);
        assertThat(q.transmit(b)).as("after completion the rest fits").isEqualTo(200 - (SIZE - 2));
        b.freeAll();
        q.releaseBuffers();
        assertThat(pool.isFull()).isTrue();
    }

    @Test
    void offloadsWriteANewContextOnlyWhenTheyChange() {
        PacketBatch b = packets(3, 60);
        for (int i = 0; i < 3; i++) {
            int h = b.get(i);
            pool.setFlags(h, PacketFlags.TX_IPV4 | PacketFlags.TX_IPV4_CHECKSUM | PacketFlags.TX_TCP_CHECKSUM | PacketFlags.TX_VLAN_INSERT);
            pool.setHeaderLengths(h, 14, 20);
            pool.setVlanTci(h, i < 2 ? 100 : 200);
        }
        assertThat(q.transmit(b)).isEqualTo(3);
        // slot 0 context (VLAN 100), 1-2 data, 3 context (VLAN 200), 4 data
        assertThat((cmd(0) >>> DTYP_SHIFT) & 0xF).isEqualTo(2);
        assertThat(ring.get(LE32, 0)).isEqualTo(20 | 14 << 9 | 100 << 16);
        assertThat(cmd(0) & (1 << 10 | 3 << 11)).as("TUCMD IPv4, L4T TCP").isEqualTo(1 << 10 | 1 << 11);
        assertThat((cmd(2) >>> DTYP_SHIFT) & 0xF).isEqualTo(3);
        assertThat((cmd(3) >>> DTYP_SHIFT) & 0xF).isEqualTo(2);
        assertThat(ring.get(LE32, 48) >>> 16).isEqualTo(200);
        for (int s : new int[]{1, 2, 4}) {
            assertThat(cmd(s) & VLE).isNotZero();
            assertThat(olinfo(s) & (3 << 8)).as("IXSM and TXSM").isEqualTo(3 << 8);
        }
        q.releaseBuffers();
    }

    @Test
    void chainsUseOneDescriptorPerSegmentWithEopOnTheLast() {
        int head = pool.alloc();
        int s2 = pool.alloc();
        int s3 = pool.alloc();
        pool.setDataLength(head, 2000);
        pool.setDataLength(s2, 2000);
        pool.setDataLength(s3, 1000);
        pool.setNext(head, s2);
        pool.setNext(s2, s3);
        pool.setPacketLength(head, 5000);
        pool.setSegmentCount(head, 3);
        PacketBatch b = new PacketBatch(1);
        b.add(head);
        assertThat(q.transmit(b)).isEqualTo(1);
        assertThat(cmd(1) & EOP).isZero();
        assertThat(cmd(2) & EOP).isZero();
        assertThat(cmd(3) & EOP).isNotZero();
        assertThat(cmd(3) & 0xFFFF).isEqualTo(1000);
        assertThat(olinfo(1) >>> 14).as("PAYLEN is the whole packet").isEqualTo(5000);
        assertThat(ring.get(LE64, 32)).isEqualTo(pool.dataIova(s2));
        q.releaseBuffers();
        assertThat(pool.isFull()).as("freeing the head frees the chain").isTrue();
    }

    @Test
    void aPacketWithMoreSegmentsThanTheDeviceTakesIsDroppedAndCounted() {
        int head = pool.alloc();
        int prev = head;
        for (int i = 1; i < 45; i++) {
            int s = pool.alloc();
            pool.setDataLength(s, 10);
            pool.setNext(prev, s);
            prev = s;
        }
        pool.setDataLength(head, 10);
        pool.setSegmentCount(head, 45);
        pool.setPacketLength(head, 450);
        PacketBatch b = new PacketBatch(2);
        b.add(head);
        assertThat(q.transmit(b)).isEqualTo(1);
        assertThat(q.oversized).isEqualTo(1);
        assertThat(pool.isFull()).isTrue();
    }

    /** Issue 12 point 8: Linux pads to a PAYLEN of 17 (ixgbevf_xmit_frame_ring), DPDK refuses frames under 14 (ixgbe_prep_pkts). */
    @Test
    void framesShorterThan17BytesArePaddedWithZerosAndThoseShorterThanAHeaderDropped() {
        PacketBatch runt = packets(1, 13);
        int h = runt.handles()[0];
        assertThat(q.transmit(runt)).as("taken (and dropped)").isEqualTo(1);
        assertThat(q.runts).isEqualTo(1);
        assertThat(q.inFlight()).isZero();
        assertThat(pool.isFull()).as("the runt went back to its pool").isTrue();

        PacketBatch shortOne = packets(1, 15);
        h = shortOne.handles()[0];
        pool.memory().asSlice(pool.dataOffset(h), 64).fill((byte) 0x5A); // old contents past the frame
        assertThat(q.transmit(shortOne)).isEqualTo(1);
        int data = 1; // slot 0 holds the first context descriptor
        assertThat(cmd(data) & 0xFFFF).as("buffer length").isEqualTo(17);
        assertThat(olinfo(data) >>> 14).as("PAYLEN").isEqualTo(17);
        byte[] sent = pool.memory().asSlice(pool.dataOffset(h), 17).toArray(ValueLayout.JAVA_BYTE);
        assertThat(sent[14]).isEqualTo((byte) 0x5A);
        assertThat(sent[15]).isZero();
        assertThat(sent[16]).isZero();
        assertThat(q.runts).isEqualTo(1);
        q.releaseBuffers();
    }
}
