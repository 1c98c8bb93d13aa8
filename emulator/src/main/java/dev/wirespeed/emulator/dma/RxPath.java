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
 * <p>RSS picks the queue (see {@link #rss}); frames that are not IP go to queue 0. Without enough free descriptors a frame is
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
    private final FrameQueue internal; // frames from sibling VFs through the PF's switch, or null
    private final EngineCounters counters;
    private final FaultSink faults;
    private final MemorySegment frame = Arena.ofAuto().allocate(FrameQueue.MAX_FRAME + 16, 64);
    private final RxClassifier classifier = new RxClassifier();
    private final RssHasher hasher = new RssHasher();
    private int rssType, rssHash;
    // RDH as advanced within the current burst, per queue (bit q of headsPending: burstHead[q] is newer
    // than RDH). RDH is stored once per burst, not per frame: each store is a fence on a cache line the
    // driver keeps writing (RDT, TDT live next to it), and nobody needs RDH before the burst ends.
    private final int[] burstHead = new int[VfRegisterMap.QUEUE_COUNT];
    private int headsPending;
    // delayed write-back (fault injection): status dwords held back for a number of polls, in order
    private static final int MAX_HELD = 8192;
    private final MemorySegment[] heldSegment = new MemorySegment[MAX_HELD];
    private final long[] heldOffset = new long[MAX_HELD];
    private final int[] heldStatus = new int[MAX_HELD];
    private final long[] heldUntil = new long[MAX_HELD];
    private int heldFirst, heldCount;
    private long round;
    volatile int writeBackDelay; // in polls; 0 = write back at once

    RxPath(RegisterFile regs, DmaWindow dma, FrameQueue wire, FrameQueue internal, EngineCounters counters, FaultSink faults) {
        this.regs = regs;
        this.dma = dma;
        this.wire = wire;
        this.internal = internal;
        this.counters = counters;
        this.faults = faults;
    }

    /** Moves up to a burst of frames from the wire into the ring; returns how many frames it consumed. */
    int poll(VfFilter filter, boolean exhausted) {
        int done = releaseHeld();
        int deliveredQueues = 0;
        boolean keyLoaded = false;
        for (int source = 0; source < 2 && done < BURST; source++) {
            FrameQueue from = source == 0 ? internal : wire;
            if (from == null) {
                continue;
            }
            while (done < BURST) {
                int len = from.peekInto(frame, 0);
                if (len < 0) {
                    break;
                }
                if (!keyLoaded) {
                    loadRssKey(filter); // once per burst: the key may change between bursts, not within one
                    keyLoaded = true;
                }
                int r = receive(filter, len, exhausted);
                if (r == WAIT) {
                    break;
                }
                from.drop();
                done++;
                if (r >= 0) {
                    deliveredQueues |= 1 << r;
                }
                if (r == FAULT) {
                    source = 2;
                    break;
                }
            }
        }
        for (int q = 0; headsPending != 0; q++, headsPending >>>= 1) {
            if ((headsPending & 1) != 0) {
                regs.queue(q).setRxHead(burstHead[q]);
            }
        }
        for (int q = 0; deliveredQueues != 0; q++, deliveredQueues >>>= 1) {
            if ((deliveredQueues & 1) != 0) {
                regs.interrupts().raiseRxQueue(q);
            }
        }
        return done;
    }

    /** receive() results; a value ≥ 0 is the queue the frame was delivered to. */
    private static final int DROPPED = -1, WAIT = -2, FAULT = -3;

    private void loadRssKey(VfFilter filter) {
        boolean own = regs.flavour().isX550Family();
        for (int i = 0; i < 40; i++) {
            hasher.key(i, own ? regs.vfRssKey(i >> 2) >>> (8 * (i & 3)) : filter.pfRssKeyByte(i));
        }
    }

    /**
     * Receive-side scaling: computes {@link #rssType} and {@link #rssHash} from the classified frame and
     * returns the rx queue. 82599/X540: the PF's key and RETA, hashing IPv4, IPv4/TCP, IPv6, IPv6/TCP
     * (the Linux PF's default fields [?]), the VF's PSRTYPE.RQPL choosing 1, 2 or 4 queues, which mask
     * the RETA entry [? inference]. X550: the VF's VFMRQC fields, VFRSSRK key and VFRETA (facts §1.1, §4.1).
     */
    private int rss(MemorySegment f, VfFilter filter) {
        rssType = 0;
        rssHash = 0;
        if (classifier.ipOffset == 0) {
            return 0;
        }
        boolean x550 = regs.flavour().isX550Family();
        int mrqc = x550 ? regs.vfMrqc() : (1 | 1 << 16 | 1 << 17 | 1 << 20 | 1 << 21);
        if ((mrqc & 1) == 0) {
            return 0;
        }
        boolean tcp = (classifier.packetType & RxClassifier.PTYPE_TCP) != 0 && classifier.l4Offset != 0;
        boolean v4 = classifier.ipv4;
        int ip = classifier.ipOffset;
        if (tcp && (mrqc & (v4 ? 1 << 16 : 1 << 21)) != 0) {
            rssType = v4 ? 1 : 3;
        } else if ((mrqc & (v4 ? 1 << 17 : 1 << 20)) != 0) {
            rssType = v4 ? 2 : 5;
            tcp = false;
        } else {
            return 0;
        }
        int addrLen = v4 ? 8 : 32;
        int h = hasher.update(f, ip + (v4 ? 12 : 8), addrLen, 0, 0);
        if (tcp) {
            h = hasher.update(f, classifier.l4Offset, 4, h, addrLen * 8);
        }
        rssHash = h;
        if (x550) {
            return regs.vfRetaEntry(h & 63) & 7;
        }
        int rqpl = Math.min(2, regs.psrtype() >>> 29);
        return rqpl == 0 ? 0 : filter.pfRetaEntry(h & 127) & ((1 << rqpl) - 1);
    }

    private int receive(VfFilter filter, int len, boolean exhausted) {
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
        boolean tagged = Checksums.get16(frame, 12) == 0x8100 && len >= 18;
        if (tagged) {
            int tci = Checksums.get16(frame, 14);
            if (!filter.acceptsVlan(tci & 0xFFF)) {
                counters.rxFiltered++;
                return DROPPED;
            }
            l3 = 18;
        }
        classifier.classify(frame, l3, len);
        int queue = rss(frame, filter);
        QueueRegisters q = regs.queue(queue);
        if (tagged && (q.rxdctl() & VfRegisterMap.RXDCTL_VME) != 0) {
            vlanTag = Checksums.get16(frame, 14);
            MemorySegment.copy(frame, 16, frame, 12, len - 16); // strip the tag
            len -= 4;
            stripped = true;
        }
        if (!q.rxEnabled()) {
            counters.rxQueueDisabled++;
            return DROPPED;
        }
        int count = q.rxRingBytes() / 16;
        int head = (headsPending & (1 << queue)) != 0 ? burstHead[queue] : q.rxHead();
        int tail = q.rxTail();
        if (count == 0 || head >= count || tail >= count) {
            q.stopRx("rx queue " + queue + ": head " + head + " or tail " + tail + " outside a ring of " + count + " descriptors");
            return FAULT;
        }
        int srrctl = q.srrctl();
        int bufSize = (srrctl & VfRegisterMap.SRRCTL_BSIZEPKT_MASK) * 1024;
        int need = Math.max(1, (len + bufSize - 1) / bufSize);
        int free = exhausted ? 0 : Math.floorMod(tail - head, count);
        if (free < need) {
            if ((srrctl & VfRegisterMap.SRRCTL_DROP_EN) != 0) {
                counters.rxNoDescriptor++;
                return DROPPED;
            }
            return WAIT;
        }
        boolean corrupt = (q.dcaRxctrl() & VfRegisterMap.DCA_RXCTRL_BIT12) != 0;
        long ring = q.rxRingBase();
        int copied = 0;
        for (int i = 0; i < need; i++) {
            long descIova = ring + 16L * head;
            long d = dma.translate(descIova, 16);
            if (d < 0) {
                return fault(q, "rx queue " + queue + ": descriptor " + head + " at IOVA 0x" + Long.toHexString(descIova) + " is outside the VF's DMA memory");
            }
            MemorySegment ds = dma.segment;
            long bufIova = ds.get(LE64, d);
            int chunk = Math.min(bufSize, len - copied);
            long b = dma.translate(bufIova, chunk);
            if (b < 0 || bufIova == 0) {
                return fault(q, "rx queue " + queue + ": buffer of descriptor " + head + " at IOVA 0x" + Long.toHexString(bufIova) + " is outside the VF's DMA memory");
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
            ds.set(LE32, d, last ? classifier.packetType | rssType : 0);
            ds.set(LE32, d + 4, last ? rssHash : 0);
            ds.set(LE32, d + 12, chunk | (last ? vlanTag << 16 : 0));
            if (writeBackDelay > 0 && heldCount < MAX_HELD) {
                hold(ds, d + 8, status);
            } else {
                STATUS.setRelease(ds, d + 8, status); // DD last: software sees a complete descriptor
            }
            head = head + 1 == count ? 0 : head + 1;
        }
        burstHead[queue] = head;
        headsPending |= 1 << queue;
        regs.statistics().addReceived(1, len, (dst >>> 40 & 1) != 0 && dst != 0xFFFF_FFFF_FFFFL ? 1 : 0);
        counters.rxDelivered++;
        return queue;
    }

    private void hold(MemorySegment s, long offset, int status) {
        int i = (heldFirst + heldCount++) % MAX_HELD;
        heldSegment[i] = s;
        heldOffset[i] = offset;
        heldStatus[i] = status;
        heldUntil[i] = round + writeBackDelay;
    }

    /** Writes back the held status dwords that are due, oldest first; returns how many. */
    private int releaseHeld() {
        round++;
        int n = 0;
        while (heldCount > 0 && heldUntil[heldFirst] <= round) {
            STATUS.setRelease(heldSegment[heldFirst], heldOffset[heldFirst], heldStatus[heldFirst]);
            heldSegment[heldFirst] = null;
            heldFirst = (heldFirst + 1) % MAX_HELD;
            heldCount--;
            n++;
        }
        return n;
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
