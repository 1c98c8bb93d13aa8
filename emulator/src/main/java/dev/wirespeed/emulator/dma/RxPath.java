/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.dma;

import dev.wirespeed.emulator.pf.VfFilter;
import dev.wirespeed.emulator.regs.QueueRegisters;
import dev.wirespeed.emulator.regs.RegisterFile;
import dev.wirespeed.emulator.regs.VfRegisterMap;
import dev.wirespeed.emulator.wire.FrameQueue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Receive: takes frames from the wire, filters them as the PF's switch would, writes them into the rx
 * ring's buffers per SRRCTL (several descriptors for a frame larger than one buffer) and writes back
 * advanced descriptors (facts §2.1), then advances RDH and raises the queue's cause.
 *
 * <p>Queue 0 receives everything (RSS is not modelled yet). Without enough free descriptors a frame is
 * dropped and counted if SRRCTL.DROP_EN is set, otherwise it waits on the wire, as the chip would hold
 * it in its packet buffer.
 */
final class RxPath {
    private static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle STATUS = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
    static final int DD = 1, EOP = 1 << 1, VP = 1 << 3;
    private static final int BURST = 32;

    private final RegisterFile regs;
    private final DmaWindow dma;
    private final FrameQueue wire;
    private final EngineCounters counters;
    private final FaultSink faults;
    private final MemorySegment frame = Arena.ofAuto().allocate(FrameQueue.MAX_FRAME + 16, 64);
    private final RxClassifier classifier = new RxClassifier();

    RxPath(RegisterFile regs, DmaWindow dma, FrameQueue wire, EngineCounters counters, FaultSink faults) {
        this.regs = regs;
        this.dma = dma;
        this.wire = wire;
        this.counters = counters;
        this.faults = faults;
    }

    /** Moves up to a burst of frames from the wire into the ring; returns how many frames it consumed. */
    int poll(VfFilter filter) {
        int done = 0;
        int delivered = 0;
        QueueRegisters q = regs.queue(0);
        while (done < BURST) {
            int len = wire.peekInto(frame, 0);
            if (len < 0) {
                break;
            }
            int r = receive(filter, q, len);
            if (r == WAIT) {
                break;
            }
            wire.drop();
            done++;
            if (r == DELIVERED) {
                delivered++;
            }
            if (r == FAULT) {
                break;
            }
        }
        if (delivered > 0) {
            regs.interrupts().raiseRxQueue(0);
        }
        return done;
    }

    private static final int DELIVERED = 0, DROPPED = 1, WAIT = 2, FAULT = 3;

    private int receive(VfFilter filter, QueueRegisters q, int len) {
        if (!filter.rxEnabled()) {
            counters.rxVfDisabled++;
            return DROPPED;
        }
        if (len < 14) {
            counters.rxFiltered++;
            return DROPPED;
        }
        long dst = Long.reverseBytes(frame.get(LE64, 0)) >>> 16;
        if (!filter.acceptsDestination(dst)) {
            counters.rxFiltered++;
            return DROPPED;
        }
        int l3 = 14;
        int vlanTag = 0;
        boolean stripped = false;
        if (Checksums.get16(frame, 12) == 0x8100 && len >= 18) {
            int tci = Checksums.get16(frame, 14);
            if (!filter.acceptsVlan(tci & 0xFFF)) {
                counters.rxFiltered++;
                return DROPPED;
            }
            if ((q.rxdctl() & VfRegisterMap.RXDCTL_VME) != 0) {
                MemorySegment.copy(frame, 16, frame, 12, len - 16); // strip the tag
                len -= 4;
                vlanTag = tci;
                stripped = true;
            } else {
                l3 = 18;
            }
        }
        if (!q.rxEnabled()) {
            counters.rxQueueDisabled++;
            return DROPPED;
        }
        int count = q.rxRingBytes() / 16;
        int head = q.rxHead();
        int tail = q.rxTail();
        if (count == 0 || head >= count || tail >= count) {
            q.stopRx("rx queue 0: head " + head + " or tail " + tail + " outside a ring of " + count + " descriptors");
            return FAULT;
        }
        int srrctl = q.srrctl();
        int bufSize = (srrctl & VfRegisterMap.SRRCTL_BSIZEPKT_MASK) * 1024;
        int need = Math.max(1, (len + bufSize - 1) / bufSize);
        int free = Math.floorMod(tail - head, count);
        if (free < need) {
            if ((srrctl & VfRegisterMap.SRRCTL_DROP_EN) != 0) {
                counters.rxNoDescriptor++;
                return DROPPED;
            }
            return WAIT;
        }
        classifier.classify(frame, l3, len);
        boolean corrupt = (q.dcaRxctrl() & VfRegisterMap.DCA_RXCTRL_BIT12) != 0;
        long ring = q.rxRingBase();
        int copied = 0;
        for (int i = 0; i < need; i++) {
            long descIova = ring + 16L * head;
            long d = dma.translate(descIova, 16);
            if (d < 0) {
                return fault(q, "rx queue 0: descriptor " + head + " at IOVA 0x" + Long.toHexString(descIova) + " is outside the VF's DMA memory");
            }
            MemorySegment ds = dma.segment;
            long bufIova = ds.get(LE64, d);
            int chunk = Math.min(bufSize, len - copied);
            long b = dma.translate(bufIova, chunk);
            if (b < 0 || bufIova == 0) {
                return fault(q, "rx queue 0: buffer of descriptor " + head + " at IOVA 0x" + Long.toHexString(bufIova) + " is outside the VF's DMA memory");
            }
            MemorySegment bs = dma.segment;
            MemorySegment.copy(frame, copied, bs, b, chunk);
            if (corrupt) {
                scramble(bs, b, chunk); // DCA_RXCTRL bit 12 left set: the data arrives as garbage (facts §8.7)
            }
            copied += chunk;
            boolean last = i == need - 1;
            d = dma.translate(descIova, 16);
            ds = dma.segment;
            int status = DD | (last ? EOP | classifier.statusErrors | (stripped ? VP : 0) : 0);
            ds.set(LE32, d, last ? classifier.packetType : 0); // RSS type 0, packet type
            ds.set(LE32, d + 4, 0); // RSS hash
            ds.set(LE32, d + 12, chunk | (last ? vlanTag << 16 : 0));
            STATUS.setRelease(ds, d + 8, status); // DD last: software sees a complete descriptor
            head = head + 1 == count ? 0 : head + 1;
        }
        q.setRxHead(head);
        regs.statistics().addReceived(1, len, (dst >>> 40 & 1) != 0 && dst != 0xFFFF_FFFF_FFFFL ? 1 : 0);
        counters.rxDelivered++;
        return DELIVERED;
    }

    private static void scramble(MemorySegment s, long off, int len) {
        for (int i = 0; i < len; i++) {
            s.set(ValueLayout.JAVA_BYTE, off + i, (byte) ~s.get(ValueLayout.JAVA_BYTE, off + i));
        }
    }

    private int fault(QueueRegisters q, String reason) {
        q.stopRx(reason);
        faults.dmaFault(reason);
        return FAULT;
    }
}
