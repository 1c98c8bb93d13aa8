/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.wire;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Frames arriving from a traffic generator ({@code wire=gen}): {@link GenFrameFormat} frames of one size,
 * round-robin over {@code flows} flows (distinct source address and UDP port, so RSS spreads them),
 * numbered 0, 1, 2, … across flows, at most {@code rate} frames per second (0 = as fast as the port
 * takes them) and {@code count} frames in all (0 = no end). When the port cannot take a frame the
 * generator waits rather than drops, so every frame it numbers reaches the port's rx: the sink (or the
 * rx ring) sees loss only where the model or the driver loses frames. With {@code rate=0} it also waits
 * for a free rx descriptor (see {@link #waitsForDescriptors()}), so a benchmark measures forwarding,
 * not the model dropping frames as fast as it can make them; with a rate, frames the port has no
 * descriptor for are dropped under SRRCTL.DROP_EN like frames from a real link.
 *
 * <p>An emulated port reads the frames in place ({@link RxFrames}): the next frame is its flow's
 * template (in a heap array) with the sequence number and pattern rewritten, so the rx DMA engine copies each
 * frame once, straight into the ring's buffer. {@link #fill} offers the same frames to a
 * {@link FrameQueue} instead. Allocation-free; device thread only, except the read-only counters.
 */
public final class TrafficGenerator implements RxSource, RxFrames {
    private static final int BURST = 32;
    private static final VarHandle GENERATED;

    static {
        try {
            GENERATED = MethodHandles.lookup().findVarHandle(TrafficGenerator.class, "generated", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int length;
    private final int flows;
    private final long rate;
    private final long count;
    private final byte[] templates;
    private final MemorySegment templateView; // the same bytes, for GenFrameFormat and queue copies
    private final int stride;
    private final LongSupplier nanoClock;
    private BooleanSupplier startWhen;
    private boolean started;
    private long startNanos = -1;
    private long nextSeq;
    private int nextFlow;
    private long allowance; // frames that may go out before the rate and count limits are looked at again
    @SuppressWarnings("unused") private volatile long generated; // published with release stores: read by other threads

    /**
     * @param length frame length without CRC, {@link GenFrameFormat#MIN_LENGTH}..{@link GenFrameFormat#MAX_LENGTH}
     * @param flows  1..65536
     * @param rate   frames per second, 0 = unlimited
     * @param count  frames in all, 0 = unlimited
     */
    public TrafficGenerator(long dstMac, long srcMac, int length, int flows, long rate, long count) {
        this(dstMac, srcMac, length, flows, rate, count, System::nanoTime);
    }

    /** With the clock the rate is measured by, in nanoseconds (tests pass a manual one). */
    public TrafficGenerator(long dstMac, long srcMac, int length, int flows, long rate, long count, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        GenFrameFormat.checkLength(length);
        if (flows < 1 || flows > 65_536) {
            throw new IllegalArgumentException("flows " + flows + " out of range 1..65536");
        }
        if (rate < 0 || count < 0) {
            throw new IllegalArgumentException("rate and count must be ≥ 0 (0 = unlimited): rate=" + rate + " count=" + count);
        }
        this.length = length;
        this.flows = flows;
        this.rate = rate;
        this.count = count;
        this.stride = (length + 63) & ~63;
        this.templates = new byte[stride * flows];
        this.templateView = MemorySegment.ofArray(templates);
        for (int f = 0; f < flows; f++) {
            GenFrameFormat.writeHeaders(templateView, (long) stride * f, length, dstMac, srcMac, f);
        }
        prepare(); // from here on the template of nextFlow always holds frame nextSeq
    }

    /**
     * Holds every frame back until {@code condition} first holds (checked on the device thread), e.g.
     * until the port enabled its rx queue, so that frames are not lost while a driver is still setting
     * up. From then on the generator runs whatever the port does, as a link partner would.
     */
    public TrafficGenerator startWhen(BooleanSupplier condition) {
        this.startWhen = condition;
        return this;
    }

    @Override
    public int peek() {
        if (allowance == 0 && !renewAllowance()) {
            return -1;
        }
        return length;
    }

    @Override
    public byte[] frameArray() {
        return templates;
    }

    @Override
    public int frameOffset() {
        return stride * nextFlow;
    }

    @Override
    public void take() {
        allowance--;
        nextSeq++;
        nextFlow = nextFlow + 1 == flows ? 0 : nextFlow + 1;
        GENERATED.setRelease(this, nextSeq); // a plain store on x86: cheap enough per frame
        prepare(); // the next frame now, not when it is read: see prepare()
    }

    /**
     * Writes the next frame's sequence number and pattern into its flow's template. Done as soon as the
     * previous frame is taken rather than when the port reads the frame: a read that overlaps a store
     * still in flight only in part (the sequence number is not word-aligned) waits for that store, and
     * the port reads the frame right after peeking it.
     */
    private void prepare() {
        GenFrameFormat.writeSequence(templates, stride * nextFlow, length, nextSeq);
    }

    /** An unlimited generator ({@code rate=0}) runs as fast as the port takes frames, never faster: nothing it numbers is dropped for want of descriptors. */
    @Override
    public boolean waitsForDescriptors() {
        return rate == 0;
    }

    /** Works out how many frames may go now; false if none. */
    private boolean renewAllowance() {
        if (!started) {
            if (startWhen != null && !startWhen.getAsBoolean()) {
                return false;
            }
            started = true;
        }
        long budget = Long.MAX_VALUE;
        if (count != 0) {
            budget = count - nextSeq;
        }
        if (rate != 0) {
            long now = nanoClock.getAsLong();
            if (startNanos < 0) {
                startNanos = now;
            }
            long due = (long) ((now - startNanos) * 1e-9 * rate) + 1;
            budget = Math.min(budget, Math.min(due - nextSeq, BURST)); // a rate is re-checked at least every burst
        }
        allowance = Math.max(0, budget);
        return allowance > 0;
    }

    /** Offers up to a burst of frames to {@code inbound}, for a port that reads a queue; returns how many. */
    @Override
    public int fill(FrameQueue inbound) {
        int n = 0;
        while (n < BURST) {
            int len = peek();
            if (len < 0 || !inbound.offer(templateView, frameOffset(), len)) {
                break; // limit reached, or the port is behind: hold this number and retry next round
            }
            take();
            n++;
        }
        return n;
    }

    /** Frames handed to the port so far. */
    public long generated() {
        return (long) GENERATED.getAcquire(this);
    }

    /** Whether {@code count} frames have been generated (never, for an endless generator). */
    public boolean finished() {
        return count != 0 && generated() >= count;
    }

    public int length() {
        return length;
    }
}
