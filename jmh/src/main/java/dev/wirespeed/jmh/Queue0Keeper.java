/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.jmh;

import dev.wirespeed.core.device.Bar;
import dev.wirespeed.core.dma.AnonymousDmaDomain;
import dev.wirespeed.core.dma.DmaRegion;
import dev.wirespeed.emulator.EmulatedVf;
import dev.wirespeed.emulator.wire.GenFrameFormat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Keeps queue 0 of a VF busy with the least work software can do, so that a benchmark stepping the
 * emulator on the same thread measures the emulator, not a driver. The VF driver brings the VF up
 * (mailbox, ring programming) and starts the port; from then on this class owns the rings' contents:
 *
 * <ul>
 * <li>rx: re-posts the buffers the driver posted (their addresses are read once at the start, since the
 *     device's write-back overwrites them), moving RDT one slot behind RDH, so the device never runs
 *     out of descriptors;</li>
 * <li>tx: fills the ring with 60-byte generator-format frames in buffers of its own, numbered in
 *     transmit order so the sink counts them in order, and moves TDT as TDH advances.</li>
 * </ul>
 * The driver must not be used on queue 0 meanwhile. The rx buffers stay the driver's: stopping the
 * port afterwards returns them to its pool as usual. Register offsets and descriptor bits are from
 * the facts sheet (§1.2, §2.1, §2.2).
 */
final class Queue0Keeper implements AutoCloseable {
    private static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int RDBAL = 0x1000, RDBAH = 0x1004, RDLEN = 0x1008, RDH = 0x1010, RDT = 0x1018;
    private static final int TDBAL = 0x2000, TDBAH = 0x2004, TDLEN = 0x2008, TDH = 0x2010, TDT = 0x2018;
    private static final int DTYP_DATA = 0x0030_0000, DEXT = 1 << 29, IFCS = 1 << 25, EOP = 1 << 24, RS = 1 << 27;
    private static final int FRAME = 60;
    private static final int BUFFER = 128;

    private final Bar bar;
    private final MemorySegment rxRing;
    private final long rxRingOffset;
    private final int rxCount;
    private final long[] rxBuffers;
    private int rxTail;

    private MemorySegment txRing;
    private long txRingOffset;
    private int txCount;
    private DmaRegion txFrames;
    private int txTail;
    private long txSeq;

    Queue0Keeper(EmulatedVf vf, long dstMac, long srcMac) {
        this.bar = vf.bar(0);
        long rxBase = base(RDBAL, RDBAH);
        rxCount = bar.read32(RDLEN) / 16;
        DmaRegion rx = region(rxBase, rxCount * 16L, "rx ring");
        rxRing = rx.segment();
        rxRingOffset = rxBase - rx.iova(0);
        rxBuffers = new long[rxCount];
        for (int i = 0; i < rxCount; i++) {
            rxBuffers[i] = rxRing.get(LE64, rxRingOffset + 16L * i);
        }
        rxTail = bar.read32(RDT);

        long txBase = base(TDBAL, TDBAH);
        txCount = bar.read32(TDLEN) / 16;
        DmaRegion tx = region(txBase, txCount * 16L, "tx ring");
        txRing = tx.segment();
        txRingOffset = txBase - tx.iova(0);
        txFrames = vf.dma().allocate((long) BUFFER * txCount, "benchmark tx frames");
        MemorySegment f = txFrames.segment();
        for (int i = 0; i < txCount; i++) {
            GenFrameFormat.writeHeaders(f, (long) BUFFER * i, FRAME, dstMac, srcMac, 0);
        }
        txTail = bar.read32(TDT);
        if (txTail != bar.read32(TDH)) {
            throw new IllegalStateException("tx queue 0 has descriptors in flight; start the keeper on an idle port");
        }
    }

    private long base(int low, int high) {
        return Integer.toUnsignedLong(bar.read32(high)) << 32 | Integer.toUnsignedLong(bar.read32(low));
    }

    private static DmaRegion region(long iova, long length, String what) {
        DmaRegion r = AnonymousDmaDomain.find(iova, length);
        if (r == null) {
            throw new IllegalStateException(what + " at IOVA 0x" + Long.toHexString(iova) + " is not in anonymous DMA memory");
        }
        return r;
    }

    /** Re-posts every descriptor the device has used; returns how many. */
    int refillRx() {
        int head = bar.read32(RDH);
        int newTail = head == 0 ? rxCount - 1 : head - 1;
        int n = 0;
        for (int i = rxTail; i != newTail; i = i + 1 == rxCount ? 0 : i + 1, n++) {
            long d = rxRingOffset + 16L * i;
            rxRing.set(LE64, d, rxBuffers[i]);
            rxRing.set(LE64, d + 8, 0); // header address 0 also clears DD
        }
        if (n > 0) {
            rxTail = newTail;
            bar.write32(RDT, newTail);
        }
        return n;
    }

    /** Queues a frame in every descriptor the device has finished with; returns how many. */
    int refillTx() {
        int head = bar.read32(TDH);
        int newTail = head == 0 ? txCount - 1 : head - 1;
        int n = 0;
        MemorySegment frames = txFrames.segment();
        for (int i = txTail; i != newTail; i = i + 1 == txCount ? 0 : i + 1, n++) {
            long buf = (long) BUFFER * i;
            GenFrameFormat.writeSequence(frames, buf, FRAME, txSeq++);
            long d = txRingOffset + 16L * i;
            txRing.set(LE64, d, txFrames.iova(buf));
            txRing.set(LE32, d + 8, FRAME | DTYP_DATA | DEXT | IFCS | EOP | ((i & 31) == 31 ? RS : 0));
            txRing.set(LE32, d + 12, FRAME << 14);
        }
        if (n > 0) {
            txTail = newTail;
            bar.write32(TDT, newTail);
        }
        return n;
    }

    /** Lets the device finish what is queued on tx, so the port can stop with an idle ring. */
    void drainTx(Runnable step) {
        for (int i = 0; i < 1_000_000 && bar.read32(TDH) != txTail; i++) {
            step.run();
        }
    }

    @Override
    public void close() {
        txFrames.close();
    }
}
