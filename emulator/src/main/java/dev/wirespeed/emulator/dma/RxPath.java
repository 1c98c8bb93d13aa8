/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.dma;

import dev.wirespeed.emulator.pf.VfFilter;
import dev.wirespeed.emulator.regs.QueueRegisters;
import dev.wirespeed.emulator.regs.RegisterFile;
import dev.wirespeed.emulator.regs.VfRegisterMap;
import dev.wirespeed.emulator.wire.RxFrames;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.function.Supplier;

/**
 * Receive: takes frames from the wire, filters them as the PF's switch would, writes them into the rx
 * ring's buffers per SRRCTL (several descriptors for a frame larger than one buffer) and writes back
 * advanced descriptors (facts §2.1), then advances RDH and raises the queue's cause.
 *
 * <p>RSS picks the queue (see {@link #rss}); frames that are not IP go to queue 0. Without enough free descriptors a frame is
 * dropped and counted if SRRCTL.DROP_EN is set, otherwise it waits on the wire, as the chip would hold
 * it in its packet buffer.
 *
 * <p>Work is done in bursts of up to {@value #BURST} frames, and what does not change within a burst is
 * looked at once per burst: a queue's ring registers (its {@link RxRingView}, RXDCTL.ENABLE among them:
 * a write that stops a queue waits for the burst, see {@link dev.wirespeed.emulator.regs.BurstFence}), the RSS key, the
 * statistics registers and counters (one update each), RDH and the interrupt cause. Frames are read where
 * they lie ({@link RxFrames}) and copied once, into the ring's buffers. Per frame remain the filters,
 * the classification (with its checksums), RSS, one buffer address translation and the write-back.
 */
final class RxPath {
    private static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle STATUS = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();
    static final int DD = 1, EOP = 1 << 1, VP = 1 << 3;
    static final int BURST = 64;
    /** The Linux PF's RSS fields for 82599/X540 VFs: IPv4, IPv4/TCP, IPv6, IPv6/TCP (facts §4.1) [?]. */
    private static final int PF_MRQC = 1 | 1 << 16 | 1 << 17 | 1 << 20 | 1 << 21;

    private final RegisterFile regs;
    private final DmaWindow dma;
    private final RxFrames wire;
    private final RxFrames internal; // frames from sibling VFs through the PF's switch, or null
    private final EngineCounters counters;
    private final FaultSink faults;
    private final Supplier<VfFilter> filters; // the PF's current rules; looked up once a burst has a frame
    private final RxClassifier classifier = new RxClassifier();
    private final RssHasher hasher = new RssHasher();
    private final RxRingView[] rings = new RxRingView[VfRegisterMap.QUEUE_COUNT];
    private int loadedRings; // bit q: rings[q] was loaded in this burst
    private boolean inBurst;  // between BurstFence.begin and end
    // the frame being received, where it lies
    private byte[] f;
    private int fo;
    // per burst: RSS settings, and the totals the statistics registers and counters get at its end
    private boolean x550, rlpmlWorks;
    private VfFilter keyFilter; // the snapshot the PF's RSS key was last loaded from
    private int mrqc, rqpl;
    private int rssType, rssHash;
    private long burstPackets, burstOctets, burstMulticast, burstNoDescriptor;
    private boolean elastic; // the frame's source waits for descriptors instead of being dropped
    // delayed write-back (fault injection): status dwords held back for a number of polls, in order
    private static final int MAX_HELD = 8192;
    private final MemorySegment[] heldSegment = new MemorySegment[MAX_HELD];
    private final long[] heldOffset = new long[MAX_HELD];
    private final QueueRegisters[] heldQueue = new QueueRegisters[MAX_HELD];
    private final int[] heldStops = new int[MAX_HELD]; // the queue's stop count when the write-back was held
    private final int[] heldStatus = new int[MAX_HELD];
    private final long[] heldUntil = new long[MAX_HELD];
    private int heldFirst, heldCount;
    private long round;
    volatile int writeBackDelay; // in polls; 0 = write back at once
    private int delay; // writeBackDelay as of the burst's start (a volatile read per frame would cost more than the frame)
    volatile boolean exhaustFault; // fault injection: no free descriptors whatever RDT says
    private boolean exhausted;     // exhaustFault as of the burst's start

    RxPath(RegisterFile regs, DmaWindow dma, RxFrames wire, RxFrames internal, EngineCounters counters, FaultSink faults,
           Supplier<VfFilter> filters) {
        this.filters = filters;
        this.regs = regs;
        this.dma = dma;
        this.wire = wire;
        this.internal = internal;
        this.counters = counters;
        this.faults = faults;
        for (int q = 0; q < rings.length; q++) {
            rings[q] = new RxRingView(regs.queue(q), dma);
        }
    }

    /** Moves up to a burst of frames from the wire into the rings; returns how many frames it consumed. */
    int poll() {
        int done = heldCount > 0 ? releaseHeld() : 0;
        try {
            return done + receiveBurst(BURST - done);
        } finally {
            if (inBurst) { // also when a frame threw: writers waiting on the fence must not wait for nothing
                inBurst = false;
                try {
                    endBurst();
                } finally {
                    regs.rxBursts().end();
                }
            }
        }
    }

    private int receiveBurst(int max) {
        int done = 0;
        VfFilter filter = null;
        for (int source = 0; source < 2 && done < max; source++) {
            RxFrames from = source == 0 ? internal : wire;
            if (from == null) {
                continue;
            }
            while (done < max) {
                int len = from.peek();
                if (len < 0) {
                    break;
                }
                if (filter == null) { // after the first peek: a PF change made before the frame arrived applies to it
                    // the PF's rules before the fence: getting them may wait for the PF's lock, and a VF reset
                    // holds that lock while it waits for the burst in flight to end
                    filter = filters.get();
                    regs.rxBursts().begin(); // before any queue register is read: see BurstFence
                    inBurst = true;
                    startBurst(filter);
                }
                f = from.frameArray();
                fo = from.frameOffset();
                elastic = from.waitsForDescriptors();
                int r = receive(filter, len);
                if (r == WAIT) {
                    break;
                }
                from.take();
                done++;
                if (r == FAULT) {
                    return done;
                }
            }
        }
        return done;
    }

    /** receive() results; a value ≥ 0 is the queue the frame was delivered to. */
    private static final int DROPPED = -1, WAIT = -2, FAULT = -3;

    /**
     * Once per burst, after its first frame was peeked: the injected faults, the RSS key and fields (they
     * may change between bursts, not within one). Faults are read here, not at the start of the pass: a
     * fault set before a frame arrived must apply to that frame even if the device thread was descheduled
     * between the start of its pass and the frame's arrival (a pass that read "not exhausted" and then
     * found the generator started delivered one frame of a port opened with {@code fault=rx-exhaust@0}).
     */
    private void startBurst(VfFilter filter) {
        delay = writeBackDelay;
        exhausted = exhaustFault;
        x550 = regs.flavour().isX550Family();
        rlpmlWorks = regs.flavour() != dev.wirespeed.emulator.Flavour.X82599; // "does not work on 82599" (Linux ixgbevf_configure_rx_ring)
        if (x550) {
            for (int i = 0; i < 10; i++) {
                int k = regs.vfRssKey(i);
                for (int b = 0; b < 4; b++) {
                    hasher.key(4 * i + b, k >>> (8 * b));
                }
            }
            mrqc = regs.vfMrqc();
        } else {
            if (filter != keyFilter) { // the PF's key changes only with a new filter snapshot
                for (int i = 0; i < 40; i++) {
                    hasher.key(i, filter.pfRssKeyByte(i));
                }
                keyFilter = filter;
            }
            mrqc = PF_MRQC;
            rqpl = Math.min(2, regs.psrtype() >>> 29);
        }
    }

    /** Once per burst: RDH of every queue that received, its interrupt cause, statistics and counters. */
    private void endBurst() {
        for (int bits = loadedRings; bits != 0; bits &= bits - 1) {
            int q = Integer.numberOfTrailingZeros(bits);
            RxRingView ring = rings[q];
            ring.writeStatus(); // the burst's DD bits, together (see RxRingView.deferStatus)
            if (ring.delivered > 0) {
                ring.storeHead();
                regs.interrupts().raiseRxQueue(q);
            }
            ring.unload();
        }
        loadedRings = 0;
        if (burstNoDescriptor > 0) {
            counters.rxNoDescriptor += burstNoDescriptor; // overload: one counter update per burst, not per drop
            burstNoDescriptor = 0;
        }
        if (burstPackets > 0) {
            regs.statistics().addReceived(burstPackets, burstOctets, burstMulticast);
            counters.rxDelivered += burstPackets;
            burstPackets = burstOctets = burstMulticast = 0;
        }
    }

    private RxRingView ring(int q) {
        RxRingView ring = rings[q];
        if ((loadedRings & 1 << q) == 0) {
            ring.load();
            loadedRings |= 1 << q;
        }
        return ring;
    }

    /**
     * Receive-side scaling: computes {@link #rssType} and {@link #rssHash} from the classified frame and
     * returns the rx queue. 82599/X540: the PF's key and RETA, hashing IPv4, IPv4/TCP, IPv6, IPv6/TCP
     * (the Linux PF's default fields [?]), the VF's PSRTYPE.RQPL choosing 1, 2 or 4 queues, which mask
     * the RETA entry [? inference]. X550: the VF's VFMRQC fields, VFRSSRK key and VFRETA (facts §1.1, §4.1).
     */
    private int rss(VfFilter filter) {
        rssType = 0;
        rssHash = 0;
        if (classifier.ipOffset == 0 || (mrqc & 1) == 0) {
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
        int h;
        if (v4) {
            h = hasher.ipv4(classifier.ipv4Addresses, tcp ? NetBytes.get32(f, classifier.l4Offset) : 0, tcp);
        } else {
            h = hasher.update(f, ip + 8, 32, 0, 0);
            if (tcp) {
                h = hasher.update(f, classifier.l4Offset, 4, h, 32 * 8);
            }
        }
        rssHash = h;
        return queueFor(h, filter);
    }

    /** The redirection table's queue for hash {@code h}. */
    private int queueFor(int h, VfFilter filter) {
        if (x550) {
            return regs.vfRetaEntry(h & 63) & 7;
        }
        return rqpl == 0 ? 0 : filter.pfRetaEntry(h & 127) & ((1 << rqpl) - 1);
    }

    /**
     * One frame, start to end: the PF's filters, classification and RSS, then the ring's descriptors and
     * buffers; returns the queue it went to, or why not.
     *
     * <p>Deliberately one method, called once per frame and never inlined into the burst loop (it is
     * too large for that). Split into parts, each part was hot on its own and got compiled on its own
     * first or not, by the luck of the compile queue; a part compiled on its own is too big to inline
     * afterwards, so from run to run the frame cost one, two or three calls, and the rate changed by a
     * third. What it calls now is small (classification, RSS, ring bookkeeping) or cold (faults, VLAN
     * stripping, corruption, delayed write-back).
     */
    private int receive(VfFilter filter, int len) {
        // the PF's filters
        if (!filter.rxEnabled()) {
            counters.rxVfDisabled++;
            return DROPPED;
        }
        if (len < 14) {
            counters.rxFiltered++;
            return DROPPED;
        }
        long w0 = NetBytes.get64(f, fo); // the addresses, the type and what follows it in two reads
        long w1 = len >= 16 ? NetBytes.get64(f, fo + 8) : (long) NetBytes.get16(f, fo + 12) << 16;
        long dst = w0 >>> 16;
        if (!filter.acceptsDestination(dst)) {
            counters.rxFiltered++;
            return DROPPED;
        }
        int l3 = 14;
        int etherType = (int) (w1 >>> 16) & 0xFFFF;
        boolean tagged = etherType == 0x8100 && len >= 18;
        if (tagged) {
            if (!filter.acceptsVlan((int) w1 & 0xFFF)) {
                counters.rxFiltered++;
                return DROPPED;
            }
            l3 = 18;
            etherType = NetBytes.get16(f, fo + 16);
        } else if (!filter.acceptsUntagged()) {
            counters.rxFiltered++; // VMOLR.AUPE off: the PF enforces a port VLAN, untagged frames are not the VF's
            return DROPPED;
        }
        // what the write-back will report, and the queue
        classifier.classify(f, fo, l3, etherType, len);
        int queue = rss(filter);
        RxRingView ring = ring(queue);
        if (!ring.enabledAtLoad) {
            if (!ring.faulted) {
                ring.load(); // enabled since the burst began? (stopping one waits for the burst instead: BurstFence)
            }
            if (!ring.enabledAtLoad) {
                counters.rxQueueDisabled++;
                return DROPPED;
            }
        }
        boolean stripped = tagged && ring.vlanStrip;
        int outLen = stripped ? len - 4 : len;
        if (outLen > ring.longestFrame && rlpmlWorks) {
            counters.rxFiltered++; // longer than the queue's RLPML: the X540/X550 drop it
            return DROPPED;
        }
        int need = outLen <= ring.bufSize ? 1 : (outLen + ring.bufSize - 1) / ring.bufSize; // no division for the usual frame
        if (exhausted || ring.free() < need) {
            int why = noRoom(ring, need);
            if (why != 0) {
                return why;
            }
        }
        // the buffers and descriptors, per SRRCTL: several for a frame larger than one buffer
        for (int i = 0, copied = 0; i < need; i++) {
            int chunk = Math.min(ring.bufSize, outLen - copied);
            int head = ring.head;
            long d = ring.descriptor(head);
            if (d < 0) {
                return descriptorFault(ring, queue, head);
            }
            MemorySegment ds = ring.descriptorSegment;
            long bufIova = ds.get(LE64, d);
            long b = dma.translate(bufIova, chunk);
            if (b < 0 || bufIova == 0) {
                return bufferFault(ring, queue, head, bufIova);
            }
            MemorySegment bs = dma.segment;
            if (stripped) {
                copyStripped(copied, chunk, bs, b);
            } else {
                MemorySegment.copy(f, fo + copied, bs, ValueLayout.JAVA_BYTE, b, chunk);
            }
            if (ring.corrupt) {
                scramble(bs, b, chunk); // DCA_RXCTRL bit 12 left set: the data arrives as garbage (facts §8.7)
            }
            boolean last = i == need - 1;
            int vlanTag = last && stripped ? NetBytes.get16(f, fo + 14) : 0;
            // VP says the frame was 802.1Q-tagged on the wire, stripped or not (the tag itself is in DW3 only when stripped)
            int status = DD | (last ? EOP | classifier.statusErrors | (tagged ? VP : 0) : 0);
            long statusAt = d + 8;
            if (ring.legacy) {
                // legacy write-back: the buffer address stays, DW2 = length (+ a fragment checksum, 0 here), and DW3
                // = status byte, errors byte, VLAN: the advanced status low byte and error bits 31:24 (same bits)
                ds.set(LE32, d + 8, chunk);
                statusAt = d + 12;
                status = status & 0xFF | (status >>> 24) << 8 | vlanTag << 16;
            } else {
                ds.set(LE64, d, last ? Integer.toUnsignedLong(classifier.packetType | rssType) | (long) rssHash << 32 : 0); // DW0, DW1
                ds.set(LE32, d + 12, chunk | vlanTag << 16);
            }
            if (delay > 0 && heldCount < MAX_HELD) {
                hold(ring, ds, statusAt, status);
            } else {
                ring.deferStatus(statusAt, status);
            }
            ring.advance();
            copied += chunk;
        }
        ring.delivered++;
        burstPackets++;
        burstOctets += outLen;
        if ((dst >>> 40 & 1) != 0 && dst != 0xFFFF_FFFF_FFFFL) {
            burstMulticast++;
        }
        return queue;
    }

    /**
     * The ring looked full: reads RDT again; returns 0 if {@code need} descriptors are free after all,
     * else {@link #DROPPED} (SRRCTL.DROP_EN, counted) or {@link #WAIT} (the frame stays on the wire).
     */
    private int noRoom(RxRingView ring, int need) {
        if (!exhausted && ring.reloadTail() >= need) {
            return 0;
        }
        if (ring.dropEnabled && !elastic) {
            burstNoDescriptor++;
            return DROPPED;
        }
        return WAIT;
    }

    /**
     * Copies {@code chunk} bytes of the frame as received with its VLAN tag stripped, starting {@code from}
     * bytes in: the received frame is the wire frame without bytes 12..15.
     */
    private void copyStripped(int from, int chunk, MemorySegment dst, long at) {
        int head = Math.max(0, Math.min(chunk, 12 - from)); // bytes before the tag
        if (head > 0) {
            MemorySegment.copy(f, fo + from, dst, ValueLayout.JAVA_BYTE, at, head);
        }
        if (chunk > head) {
            MemorySegment.copy(f, fo + from + head + 4, dst, ValueLayout.JAVA_BYTE, at + head, chunk - head);
        }
    }

    private void hold(RxRingView ring, MemorySegment s, long offset, int status) {
        int i = (heldFirst + heldCount++) % MAX_HELD;
        heldQueue[i] = ring.queue;
        heldStops[i] = ring.queue.rxStops();
        heldSegment[i] = s;
        heldOffset[i] = offset;
        heldStatus[i] = status;
        heldUntil[i] = round + delay;
    }

    /**
     * Writes back the held status dwords that are due, oldest first; returns how many. Inside the burst
     * fence like a burst: a write-back for a queue stopped meanwhile (even if enabled again since) is
     * dropped, so once the write that stopped it has returned nothing lands in its ring (the driver frees
     * those buffers as never filled).
     */
    private int releaseHeld() {
        round++;
        int n = 0;
        regs.rxBursts().begin();
        try {
            while (heldCount > 0 && heldUntil[heldFirst] <= round) {
                if (heldQueue[heldFirst].rxStops() == heldStops[heldFirst]) { // not stopped since (and maybe restarted)
                    STATUS.setRelease(heldSegment[heldFirst], heldOffset[heldFirst], heldStatus[heldFirst]);
                }
                heldSegment[heldFirst] = null;
                heldQueue[heldFirst] = null;
                heldFirst = (heldFirst + 1) % MAX_HELD;
                heldCount--;
                n++;
            }
        } finally {
            regs.rxBursts().end();
        }
        return n;
    }

    private static void scramble(MemorySegment s, long off, int len) {
        for (int i = 0; i < len; i++) {
            s.set(ValueLayout.JAVA_BYTE, off + i, (byte) ~s.get(ValueLayout.JAVA_BYTE, off + i));
        }
    }

    // the fault paths are methods of their own: their message building is cold code in a hot method
    private int descriptorFault(RxRingView ring, int queue, int head) {
        fault(ring, "rx queue " + queue + ": descriptor " + head + " at IOVA 0x" + Long.toHexString(ring.descriptorIova(head))
                + " is outside the VF's DMA memory");
        return FAULT;
    }

    private int bufferFault(RxRingView ring, int queue, int head, long bufIova) {
        fault(ring, "rx queue " + queue + ": buffer of descriptor " + head + " at IOVA 0x" + Long.toHexString(bufIova)
                + " is outside the VF's DMA memory");
        return FAULT;
    }

    private int fault(RxRingView ring, String reason) {
        ring.fault(reason);
        faults.dmaFault(reason); // the engine tells the PF after the pass (VfDmaEngine)
        return FAULT;
    }
}
