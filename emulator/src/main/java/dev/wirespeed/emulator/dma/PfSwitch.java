/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.dma;

import dev.wirespeed.emulator.pf.EmulatedPf;
import dev.wirespeed.emulator.pf.VfFilter;
import dev.wirespeed.emulator.wire.FrameQueue;
import dev.wirespeed.emulator.wire.FrameSink;
import dev.wirespeed.emulator.wire.WireEnd;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The PF's internal switch: every VF of the PF shares one physical port ({@code wire}). A frame a VF sends
 * to another VF's station (or MACVLAN) address stays inside and goes to that VF only; broadcast and
 * multicast go to every VF whose filters accept them, the sender included (the chip echoes a VF's own
 * broadcast, facts §8.6), and out on the wire; other unicast goes out on the wire. Frames from the wire
 * go to the VF owning the destination, or to every accepting VF for broadcast/multicast.
 *
 * <p>The switch and all its VFs' engines run as one {@link DeviceWork} on one thread, which keeps
 * every frame queue single-producer, single-consumer.
 */
public final class PfSwitch implements DeviceWork {
    private static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final long BROADCAST = 0xFFFF_FFFF_FFFFL;
    private static final int BURST = 32;

    private final WireEnd wire;
    private final VfDmaEngine[] engines;
    private final FrameQueue[] toVf;
    private final MemorySegment frame = Arena.ofAuto().allocate(FrameQueue.MAX_FRAME + 16, 64);
    private volatile long switchedInternally, fromWireUnclaimed, internalDrops;

    /** Switches all VFs of {@code pf} onto {@code wire}, each VF with an internal queue of {@code depth} frames. */
    public PfSwitch(EmulatedPf pf, WireEnd wire, int depth) {
        Objects.requireNonNull(pf, "pf");
        this.wire = Objects.requireNonNull(wire, "wire");
        int n = pf.vfCount();
        engines = new VfDmaEngine[n];
        toVf = new FrameQueue[n];
        for (int i = 0; i < n; i++) {
            final int source = i;
            toVf[i] = new FrameQueue(depth);
            FrameSink fromVf = (src, off, len) -> forward(source, src, off, len);
            engines[i] = new VfDmaEngine(pf, i, wire, toVf[i], fromVf);
        }
    }

    public VfDmaEngine engine(int vf) {
        return engines[vf];
    }

    @Override
    public int doWork() {
        int work = 0;
        for (int i = 0; i < BURST; i++) {
            int len = wire.inbound().peekInto(frame, 0);
            if (len < 0) {
                break;
            }
            if (!distribute(-1, frame, 0, len)) {
                fromWireUnclaimed++;
            }
            wire.inbound().drop();
            work++;
        }
        for (VfDmaEngine e : engines) {
            work += e.doWork();
        }
        return work;
    }

    /** A frame transmitted by VF {@code source}. */
    private boolean forward(int source, MemorySegment src, long offset, int length) {
        long dst = destination(src, offset, length);
        boolean group = (dst >>> 40 & 1) != 0;
        if (!group && distribute(source, src, offset, length)) {
            switchedInternally++;
            return true; // to a sibling VF: stays inside
        }
        if (group) {
            distribute(source, src, offset, length);
        }
        return wire.outbound().offer(src, offset, length);
    }

    /**
     * Copies the frame to the VFs it is for: for unicast the one VF (other than {@code source}) owning
     * the address; for broadcast/multicast every VF whose filter accepts it. Returns whether any VF took it.
     */
    private boolean distribute(int source, MemorySegment src, long offset, int length) {
        long dst = destination(src, offset, length);
        if (dst < 0) {
            return false;
        }
        boolean group = (dst >>> 40 & 1) != 0 || dst == BROADCAST;
        boolean any = false;
        for (int j = 0; j < engines.length; j++) {
            VfFilter f = engines[j].currentFilter();
            if (group ? f.acceptsDestination(dst) : j != source && f.ownsUnicast(dst)) {
                if (!toVf[j].offer(src, offset, length)) {
                    internalDrops++;
                }
                any = true;
                if (!group) {
                    break;
                }
            }
        }
        return any;
    }

    private static long destination(MemorySegment s, long offset, int length) {
        return length < 14 ? -1 : Long.reverseBytes(s.get(LE64, offset)) >>> 16;
    }

    /** Unicast frames between VFs that never touched the wire. */
    public long switchedInternally() {
        return switchedInternally;
    }

    /** Frames from the wire no VF wanted. */
    public long fromWireUnclaimed() {
        return fromWireUnclaimed;
    }

    /** Frames lost because a VF's internal queue was full. */
    public long internalDrops() {
        return internalDrops;
    }
}
