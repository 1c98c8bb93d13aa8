/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.dma;

import dev.wirespeed.emulator.pf.VfFilter;
import dev.wirespeed.emulator.regs.BurstFence;
import dev.wirespeed.emulator.regs.QueueRegisters;
import dev.wirespeed.emulator.regs.RegisterFile;
import dev.wirespeed.emulator.wire.FrameQueue;
import dev.wirespeed.emulator.wire.FrameSink;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.function.Supplier;

/**
 * Transmit for one queue: reads advanced descriptors from TDH up to TDT (facts §2.2, §2.3), keeps the two
 * context slots, gathers a packet's data descriptors up to EOP, inserts the VLAN tag and IPv4/L4
 * checksums when asked, applies the PF's anti-spoofing, hands the frame to the wire, writes DD back on
 * RS descriptors, advances TDH (and the head write-back, when enabled) and raises the queue's cause.
 *
 * <p>Malicious-driver detection, where the PF switched it on (Linux on X550, see {@link VfFilter#maliciousDriverDetection()}):
 * a data descriptor without CC, or naming a context slot never written, stops the queue (facts §8.9) and
 * the event goes to the PF. The 82599, and a PF that leaves MDD off, do not check.
 *
 * <p>With the PF's VFTE bit off the queue is not served at all: no descriptor is fetched and TDH stands
 * still, as on the chip (the tx queue looks hung to a driver that checks TDH).
 *
 * <p>A port VLAN: the PF's tag (VMVIR) is inserted into every frame the VF sends, in place of any VLE tag
 * [? VMVIR.VLANA "always use default VLAN" with a VLE descriptor].
 *
 * <p>Per burst: the registers, the ring's translation, statistics and counters. A one-descriptor packet
 * that asks for no offload goes to the wire from its buffer as it lies; others are gathered first.
 * TSO and legacy descriptors are not modelled: they stop the queue with a reason.
 */
final class TxPath {
    private static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_RELEASE = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
    static final int DCMD_EOP = 1 << 24, DCMD_RS = 1 << 27, DCMD_DEXT = 1 << 29, DCMD_VLE = 1 << 30, DCMD_TSE = 1 << 31;
    static final int DTYP_CONTEXT = 0x2, DTYP_DATA = 0x3;
    static final int OLINFO_CC = 1 << 7, POPTS_IXSM = 1 << 8, POPTS_TXSM = 1 << 9;
    private static final int BURST = 64;

    private static final ValueLayout.OfShort BE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final int index;
    private final RegisterFile regs;
    private final DmaWindow dma;
    private final FrameSink wire;
    private final EngineCounters counters;
    private final FaultSink faults;
    private final Supplier<VfFilter> filters; // the PF's current rules, looked up once TDT showed work
    // a packet that spans buffers or asks for offloads is gathered here (a heap array: see NetBytes)
    private final byte[] frame = new byte[FrameQueue.MAX_FRAME + 16];
    private final MemorySegment frameView = MemorySegment.ofArray(frame);
    private final int[] ctxVlanMacIp = new int[2];
    private final int[] ctxTucmd = new int[2];
    private final boolean[] ctxValid = new boolean[2];
    private int length;
    private boolean inPacket;
    private int stopsSeen; // the queue's stop count at the last burst (QueueRegisters.txStops)
    private int firstCmd, firstOlinfo;
    private VfFilter filter; // the PF's rules, for the burst in progress
    private long burstPackets, burstOctets;
    @SuppressWarnings("unused") private long touched;
    private final long[] touchAddress = new long[BURST];

    TxPath(int index, RegisterFile regs, DmaWindow dma, FrameSink wire, EngineCounters counters, FaultSink faults,
           Supplier<VfFilter> filters) {
        this.filters = filters;
        this.index = index;
        this.regs = regs;
        this.dma = dma;
        this.wire = wire;
        this.counters = counters;
        this.faults = faults;
    }

    /** The queue was stopped since the last burst (and is running again): forget a half-gathered packet and the contexts. */
    private void restart() {
        inPacket = false;
        length = 0;
        ctxValid[0] = ctxValid[1] = false;
    }

    /** Fault injection: the queue makes no progress (TDH stays put), as a hung tx unit would. */
    volatile boolean stalled;

    /** Processes up to a burst of descriptors; returns how many. */
    int poll() {
        QueueRegisters q = regs.queue(index);
        int head = q.txHead();
        int tail = q.txTail();
        if (head == tail || stalled) {
            return 0; // the stall is looked at after TDT: a stall set before the doorbell applies to what it rang in
        }
        // after reading TDT: a PF change made before the doorbell applies. Before the fence: getting the
        // rules may wait for the PF's lock, which a VF reset holds while it waits for the fence
        this.filter = filters.get();
        if (!filter.txEnabled()) {
            filter = null;
            return 0; // VFTE off: nothing fetched, TDH stays
        }
        BurstFence fence = regs.txBursts();
        fence.begin();
        try {
            if (!q.txEnabled()) {
                return 0; // stopped since the pass looked; the write that stopped it did not wait for this burst
            }
            int stops = q.txStops();
            if (stops != stopsSeen) {
                // stopped and enabled again since the last burst, maybe on a new ring, whether or not a pass
                // saw it off (read inside the fence, so no stop can slip between this check and the burst)
                stopsSeen = stops;
                restart();
                return 0; // head and tail were read before: the next pass reads them again
            }
            return burst(q, head, tail);
        } finally {
            fence.end();
        }
    }

    private int burst(QueueRegisters q, int head, int tail) {
        int count = q.txRingBytes() / 16;
        if (count == 0 || head >= count || tail >= count) {
            q.stopTx("tx queue " + index + ": head " + head + " or tail " + tail + " outside a ring of " + count + " descriptors");
            return 0;
        }
        long ring = q.txRingBase();
        // the whole ring in one region (the usual case): translated once per burst, not per descriptor
        long ringOffset = dma.translate(ring, 16L * count);
        MemorySegment ringSegment = ringOffset < 0 ? null : dma.segment;
        if (ringSegment != null) {
            touchBuffers(ringSegment, ringOffset, head, tail, count);
        }
        int done = 0;
        boolean wroteBack = false;
        while (head != tail && done < BURST) {
            long descIova = ring + 16L * head;
            MemorySegment ds;
            long d;
            if (ringSegment != null) {
                ds = ringSegment;
                d = ringOffset + 16L * head;
            } else {
                d = dma.translate(descIova, 16);
                if (d < 0) {
                    endBurst();
                    return fault(q, "tx queue " + index + ": descriptor " + head + " at IOVA 0x" + Long.toHexString(descIova)
                            + " is outside the VF's DMA memory");
                }
                ds = dma.segment;
            }
            long addr = ds.get(LE64, d);
            int cmd = ds.get(LE32, d + 8);
            int olinfo = ds.get(LE32, d + 12);
            if ((cmd & DCMD_DEXT) == 0) {
                q.stopTx("tx queue " + index + ": descriptor " + head + " is a legacy descriptor (DEXT clear); only advanced descriptors are modelled");
                endBurst();
                return done;
            }
            int dtyp = (cmd >>> 20) & 0xF;
            boolean ok;
            if (dtyp == DTYP_DATA) {
                ok = data(q, head, addr, cmd, olinfo);
            } else if (dtyp == DTYP_CONTEXT) {
                int slot = (olinfo >>> 4) & 1; // DW3 IDX
                ctxVlanMacIp[slot] = (int) addr;
                ctxTucmd[slot] = cmd;
                ctxValid[slot] = true;
                ok = true;
            } else {
                q.stopTx("tx queue " + index + ": descriptor " + head + " has DTYP " + dtyp + " (only 2 = context, 3 = data exist)");
                ok = false;
            }
            if (!ok) {
                endBurst();
                return done;
            }
            if ((cmd & DCMD_RS) != 0) {
                if (ringSegment == null) {
                    d = dma.translate(descIova, 16);
                    ds = dma.segment;
                }
                INT_RELEASE.setRelease(ds, d + 12, 1); // DD in the status dword (facts §2.2)
                wroteBack = true;
            }
            head = head + 1 == count ? 0 : head + 1;
            done++;
        }
        endBurst();
        q.setTxHead(head);
        if (q.headWriteBackEnabled()) {
            long wb = dma.translate(q.headWriteBackAddress(), 4);
            if (wb < 0) {
                return fault(q, "tx queue " + index + ": head write-back address 0x" + Long.toHexString(q.headWriteBackAddress())
                        + " is outside the VF's DMA memory");
            }
            INT_RELEASE.setRelease(dma.segment, wb, head);
            wroteBack = true;
        }
        if (wroteBack) {
            regs.interrupts().raiseTxQueue(index);
        }
        return done;
    }

    /**
     * A data descriptor: MDD checks, then its buffer is added to the packet, which goes out at EOP.
     * Returns false if the queue stopped (a fault or a refused descriptor). Apart from {@link #poll} so
     * that both stay small enough for the JIT to compile well (one 928-bytecode method varied by run).
     */
    private boolean data(QueueRegisters q, int head, long addr, int cmd, int olinfo) {
        if (filter.maliciousDriverDetection() && ((olinfo & OLINFO_CC) == 0 || !ctxValid[(olinfo >>> 4) & 1])) {
            // every data descriptor, not only a packet's first (facts §8.9)
            q.stopTx("tx queue " + index + ": MDD: data descriptor " + head
                    + ((olinfo & OLINFO_CC) == 0 ? " without CC" : " names a context slot never written")
                    + " (X550 malicious driver detection, facts §8.9)");
            regs.reportMaliciousDriver(index); // the chip tells the PF, which answers on its own time
            return false;
        }
        if (!inPacket) {
            if ((cmd & DCMD_TSE) != 0) {
                q.stopTx("tx queue " + index + ": TSO (DCMD.TSE) is not modelled");
                return false;
            }
            inPacket = true;
            length = 0;
            firstCmd = cmd;
            firstOlinfo = olinfo;
        }
        int len = cmd & 0xFFFF;
        if (length + len > FrameQueue.MAX_FRAME) {
            q.stopTx("tx queue " + index + ": packet longer than " + FrameQueue.MAX_FRAME + " bytes");
            return false;
        }
        long b = dma.translate(addr, Math.max(1, len));
        if (b < 0 || addr == 0) {
            fault(q, "tx queue " + index + ": buffer of descriptor " + head + " at IOVA 0x" + Long.toHexString(addr)
                    + " is outside the VF's DMA memory");
            return false;
        }
        boolean eop = (cmd & DCMD_EOP) != 0;
        if (eop && length == 0 && !modifies()) {
            inPacket = false;
            send(dma.segment, b, len); // one buffer, sent as it is: read in place, no copy
        } else {
            MemorySegment.copy(dma.segment, ValueLayout.JAVA_BYTE, b, frame, length, len);
            length += len;
            if (eop) {
                inPacket = false;
                finishGathered();
            }
        }
        return true;
    }

    /**
     * Loads one word of each buffer the burst will send, before sending any: the driver wrote those
     * buffers on another core, so each first read misses the cache. Issued back to back, the misses
     * overlap (the CPU keeps many loads in flight) instead of costing one full round trip per frame;
     * Java has no prefetch instruction, and this is what one would do.
     */
    private void touchBuffers(MemorySegment ring, long ringOffset, int head, int tail, int count) {
        int n = 0;
        for (int i = head; i != tail && n < BURST; i = i + 1 == count ? 0 : i + 1) {
            touchAddress[n++] = ring.get(LE64, ringOffset + 16L * i); // descriptors: consecutive lines
        }
        long t = 0;
        for (int k = 0; k < n; k++) { // then the buffers: independent loads, many in flight at once
            long b = dma.translate(touchAddress[k], 8);
            if (b >= 0) {
                t += dma.segment.get(LE64, b);
            }
        }
        touched = t; // kept so the loads are not optimised away
    }

    /** Whether the packet being started needs changes to its bytes (checksums, a VLAN tag, the PF's port VLAN). */
    private boolean modifies() {
        return (firstCmd & DCMD_VLE) != 0 || (firstOlinfo & (POPTS_IXSM | POPTS_TXSM)) != 0 || filter.portVlanTag() != 0;
    }

    /** A packet gathered into {@link #frame}: applies the offloads it asked for, then sends it. */
    private void finishGathered() {
        int slot = (firstOlinfo >>> 4) & 1;
        int vlanMacIp = ctxVlanMacIp[slot];
        int macLen = (vlanMacIp >>> 9) & 0x7F;
        int ipLen = vlanMacIp & 0x1FF;
        if (ctxValid[slot]) {
            offloadChecksums(macLen, ipLen, ctxTucmd[slot]);
        }
        int portTag = filter.portVlanTag();
        if ((portTag != 0 || (firstCmd & DCMD_VLE) != 0) && length + 4 <= FrameQueue.MAX_FRAME && length >= 12) {
            System.arraycopy(frame, 12, frame, 16, length - 12);
            NetBytes.put16(frame, 12, 0x8100);
            NetBytes.put16(frame, 14, portTag != 0 ? portTag : vlanMacIp >>> 16);
            length += 4;
        }
        send(frameView, 0, length);
    }

    /** Anti-spoofing and the VF's tx switch, then the wire; statistics are added up per burst. */
    private void send(MemorySegment f, long at, int len) {
        if (len < 14) {
            counters.txSpoofed++;
            return;
        }
        long src = Long.reverseBytes(f.get(LE64, at + 6)) >>> 16; // bytes 6..11
        int etherType = f.get(BE16, at + 12) & 0xFFFF;
        int vid = 0;
        if (etherType == 0x8100 && len >= 18) {
            vid = f.get(BE16, at + 14) & 0xFFF;
            etherType = f.get(BE16, at + 16) & 0xFFFF;
        }
        VfFilter filter = this.filter;
        if (filter.dropsSource(src) || filter.dropsEtherType(etherType) || filter.dropsVlan(vid)) {
            counters.txSpoofed++;
            return;
        }
        if (!wire.offer(f, at, len)) {
            counters.txWireFull++;
            return;
        }
        burstPackets++;
        burstOctets += len;
    }

    /** The statistics registers and counters get one update per burst, not one per frame. */
    private void endBurst() {
        if (burstPackets > 0) {
            regs.statistics().addTransmitted(burstPackets, burstOctets);
            counters.txSent += burstPackets;
            burstPackets = burstOctets = 0;
        }
        filter = null;
    }

    /** IXSM: IPv4 header checksum; TXSM: TCP or UDP checksum, per the context's TUCMD (facts §2.2, §2.3). */
    private void offloadChecksums(int macLen, int ipLen, int tucmd) {
        boolean ipv4 = (tucmd & (1 << 10)) != 0;
        int ip = macLen;
        if ((firstOlinfo & POPTS_IXSM) != 0 && ipv4 && ipLen >= 20 && ip + ipLen <= length) {
            NetBytes.put16(frame, ip + 10, 0);
            NetBytes.put16(frame, ip + 10, Checksums.finish(Checksums.sum(frame, ip, ipLen, 0)));
        }
        if ((firstOlinfo & POPTS_TXSM) == 0) {
            return;
        }
        int l4t = (tucmd >>> 11) & 3;
        if (l4t > 1) {
            return; // SCTP CRC32c and the reserved type: not modelled
        }
        boolean tcp = l4t == 1;
        int l4 = ip + ipLen;
        int l4Length = ipv4 ? NetBytes.get16(frame, ip + 2) - ipLen : NetBytes.get16(frame, ip + 4) - (ipLen - 40);
        if (ipLen == 0 || l4Length < (tcp ? 20 : 8) || l4 + l4Length > length) {
            return;
        }
        int field = l4 + (tcp ? 16 : 6);
        NetBytes.put16(frame, field, 0);
        long sum = Checksums.pseudoHeader(frame, ip, ipv4, tcp ? 6 : 17, l4Length);
        int c = Checksums.finish(Checksums.sum(frame, l4, l4Length, sum));
        NetBytes.put16(frame, field, !tcp && c == 0 ? 0xFFFF : c);
    }

    private int fault(QueueRegisters q, String reason) {
        q.stopTx(reason);
        faults.dmaFault(reason); // the engine tells the PF after the pass (VfDmaEngine)
        return 0;
    }
}
