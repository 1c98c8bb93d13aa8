/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.dma;

import dev.wirespeed.emulator.regs.QueueRegisters;
import dev.wirespeed.emulator.regs.VfRegisterMap;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * One rx queue's registers as the rx path sees them during a burst: read once when the burst first
 * delivers to the queue ({@link #load}), RDH kept here and stored once at the end ({@link #storeHead}).
 * Each register read is a load from a cache line the driver keeps writing (RDT, TDT), so reading them
 * per frame would cost more than the frame. RDT is read again only when the ring looks full.
 *
 * <p>The ring's memory is translated once per burst when one DMA region holds it all (the usual case),
 * otherwise per descriptor.
 */
final class RxRingView {
    private static final VarHandle STATUS = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
    /** RXDCTL bit 15 enables the per-queue long-packet limit in bits 13:0 (Linux defines.h IXGBE_RXDCTL_RLPML_EN/RLPMLMASK). */
    static final int RLPML_EN = 1 << 15, RLPML_MASK = 0x3FFF;
    final QueueRegisters queue;
    private final DmaWindow dma;
    // loaded per burst
    int count, head, tail, bufSize, delivered;
    /** RXDCTL.RLPML when RLPML_EN is set (longest frame the queue takes, as stored), else no limit. */
    int longestFrame;
    boolean dropEnabled, corrupt, vlanStrip, faulted, enabledAtLoad;
    /** SRRCTL.DESCTYPE 0: legacy descriptors (length in DW2, status, errors and VLAN in DW3; the address stays). */
    boolean legacy;
    private long base;
    private MemorySegment ringSegment; // null: translate per descriptor
    private long ringOffset;
    private final long[] pendingOffset = new long[4 * RxPath.BURST];
    private final int[] pendingStatus = new int[4 * RxPath.BURST];
    private int pendingCount;
    /** Set by {@link #descriptor}: the segment holding the descriptor. */
    MemorySegment descriptorSegment;

    RxRingView(QueueRegisters queue, DmaWindow dma) {
        this.queue = queue;
        this.dma = dma;
    }

    /** Reads the queue's registers for a burst; a ring the model cannot run stops the queue ({@link #faulted}). */
    void load() {
        delivered = 0;
        faulted = false;
        enabledAtLoad = queue.rxEnabled(); // first: a VF reset clears the ring length before ENABLE
        count = queue.rxRingBytes() / 16;
        head = queue.rxHead();
        tail = queue.rxTail();
        int srrctl = queue.srrctl();
        bufSize = (srrctl & VfRegisterMap.SRRCTL_BSIZEPKT_MASK) * 1024;
        dropEnabled = (srrctl & VfRegisterMap.SRRCTL_DROP_EN) != 0;
        legacy = (srrctl & VfRegisterMap.SRRCTL_DESCTYPE_MASK) == 0;
        corrupt = (queue.dcaRxctrl() & VfRegisterMap.DCA_RXCTRL_BIT12) != 0;
        int rxdctl = queue.rxdctl();
        vlanStrip = (rxdctl & VfRegisterMap.RXDCTL_VME) != 0;
        longestFrame = (rxdctl & RLPML_EN) != 0 ? rxdctl & RLPML_MASK : Integer.MAX_VALUE;
        base = queue.rxRingBase();
        if (!enabledAtLoad) {
            return; // frames are counted as dropped for a disabled queue; nothing else is looked at
        }
        if (count == 0 || head >= count || tail >= count || bufSize == 0) {
            fault("rx queue " + queue.index() + ": head " + head + " or tail " + tail + " outside a ring of " + count + " descriptors");
            return;
        }
        long off = dma.translate(base, 16L * count);
        ringSegment = off < 0 ? null : dma.segment;
        ringOffset = off;
    }

    /** Free descriptors as of the last RDT read. */
    int free() {
        int n = tail - head;
        return n < 0 ? n + count : n;
    }

    /** Reads RDT again (software may have refilled since the burst began); returns the free descriptors. */
    int reloadTail() {
        int t = queue.rxTail();
        if (t < count) {
            tail = t;
        }
        return free();
    }

    /** Offset of descriptor {@code i} in {@link #descriptorSegment}, or -1 on a DMA fault. */
    long descriptor(int i) {
        if (ringSegment != null) {
            descriptorSegment = ringSegment;
            return ringOffset + 16L * i;
        }
        long d = dma.translate(descriptorIova(i), 16);
        descriptorSegment = dma.segment;
        return d;
    }

    long descriptorIova(int i) {
        return base + 16L * i;
    }

    void advance() {
        head = head + 1 == count ? 0 : head + 1;
    }

    /**
     * Records descriptor {@code i}'s status dword for {@link #writeStatus}, or writes it now when the ring
     * is not in one region. Written together at the end of a burst, in ring order, like the chip's
     * write-back of several descriptors at once: written one by one as each frame lands, every DD store
     * would pull the cache line back from a driver polling the next descriptor in the same line.
     */
    void deferStatus(long offset, int status) {
        if (ringSegment == null || pendingCount == pendingOffset.length) {
            STATUS.setRelease(descriptorSegment, offset, status);
            return;
        }
        pendingOffset[pendingCount] = offset;
        pendingStatus[pendingCount++] = status;
    }

    /** Writes the recorded status dwords, DD last in each descriptor: its data and fields are in place. */
    void writeStatus() {
        MemorySegment ring = ringSegment;
        for (int i = 0; i < pendingCount; i++) {
            STATUS.setRelease(ring, pendingOffset[i], pendingStatus[i]);
        }
        pendingCount = 0;
    }

    void storeHead() {
        queue.setRxHead(head);
    }

    /** The burst is over: forget the segment so a closed region is not held. */
    void unload() {
        writeStatus();
        ringSegment = null;
        descriptorSegment = null;
    }

    void fault(String reason) {
        faulted = true;
        enabledAtLoad = false; // the rest of the burst's frames for this queue are dropped and counted
        queue.stopRx(reason);
    }
}
