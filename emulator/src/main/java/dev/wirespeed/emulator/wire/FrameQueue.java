/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A bounded single-producer single-consumer queue of Ethernet frames, stored in fixed-size slots of one
 * heap array (see {@link RxFrames} for why heap) so that moving a frame allocates nothing. One device thread produces (a transmitting port),
 * one consumes (a receiving port). Frames are kept without CRC, up to {@link #MAX_FRAME} bytes.
 */
public final class FrameQueue implements FrameSink, RxFrames {
    /** The family's largest frame, 9728 bytes with CRC (facts §4.3); stored without CRC, plus a VLAN tag's room. */
    public static final int MAX_FRAME = 9728;
    private static final int SLOT = 9732 + 12; // frame + room for an inserted tag, rounded to 16
    /** The most frames a queue holds: its slots are one heap array, 9.5 KiB a frame (300 MiB at this size). */
    public static final int MAX_CAPACITY = 1 << 15;
    private static final VarHandle HEAD, TAIL;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(FrameQueue.class, "head", long.class);
            TAIL = l.findVarHandle(FrameQueue.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final byte[] slots;
    private final MemorySegment slotView; // the same bytes, for copies from and to segments
    private final int[] lengths;
    private final int mask;
    private final boolean waitsForDescriptors;
    @SuppressWarnings("unused") private volatile long head; // next slot to consume
    @SuppressWarnings("unused") private volatile long tail; // next slot to produce

    /** @param capacity number of frames, a power of two */
    public FrameQueue(int capacity) {
        this(capacity, false);
    }

    /**
     * @param capacity number of frames, a power of two
     * @param waitsForDescriptors whether the port receiving from this queue holds a frame back until it has a
     *        free descriptor instead of dropping it (see {@link RxFrames#waitsForDescriptors()}): true for a
     *        queue fed from a file, which only offers frames as fast as the port takes them
     */
    public FrameQueue(int capacity, boolean waitsForDescriptors) {
        this.waitsForDescriptors = waitsForDescriptors;
        if (capacity < 2 || Integer.bitCount(capacity) != 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("frame queue capacity must be a power of two in 2.." + MAX_CAPACITY + ": " + capacity);
        }
        slots = new byte[SLOT * capacity];
        slotView = MemorySegment.ofArray(slots);
        lengths = new int[capacity];
        mask = capacity - 1;
    }

    public int capacity() {
        return mask + 1;
    }

    /** Frames waiting. */
    public int size() {
        return (int) ((long) TAIL.getAcquire(this) - (long) HEAD.getAcquire(this));
    }

    /**
     * Producer: copies {@code length} bytes from {@code src} at {@code offset} into the queue.
     * Returns false, copying nothing, when the queue is full (the frame is the caller's to drop).
     */
    @Override
    public boolean offer(MemorySegment src, long offset, int length) {
        if (length < 0 || length > MAX_FRAME) {
            throw new IllegalArgumentException("frame length " + length + " out of range 0.." + MAX_FRAME);
        }
        long t = (long) TAIL.getOpaque(this);
        if (t - (long) HEAD.getAcquire(this) > mask) {
            return false;
        }
        int i = (int) (t & mask);
        MemorySegment.copy(src, ValueLayout.JAVA_BYTE, offset, slots, i * SLOT, length);
        lengths[i] = length;
        TAIL.setRelease(this, t + 1);
        return true;
    }

    /** Producer convenience for tests and generators. */
    public boolean offer(byte[] frame) {
        return offer(MemorySegment.ofArray(frame), 0, frame.length); // tests and setup only: allocates
    }

    /** Consumer: length of the oldest frame, or -1 if empty. */
    public int peekLength() {
        return peek();
    }

    /** Consumer: copies the oldest frame into {@code dst} at {@code offset}; returns its length or -1 if empty. Does not remove it. */
    public int peekInto(MemorySegment dst, long offset) {
        long h = (long) HEAD.getOpaque(this);
        if (h == (long) TAIL.getAcquire(this)) {
            return -1;
        }
        int i = (int) (h & mask);
        MemorySegment.copy(slots, i * SLOT, dst, ValueLayout.JAVA_BYTE, offset, lengths[i]);
        return lengths[i];
    }

    /** Consumer, in place: the oldest frame's length or -1; it lies at {@link #frameOffset()} in {@link #frameArray()}. */
    @Override
    public int peek() {
        long h = (long) HEAD.getOpaque(this);
        if (h == (long) TAIL.getAcquire(this)) {
            return -1;
        }
        return lengths[(int) (h & mask)];
    }

    @Override
    public byte[] frameArray() {
        return slots;
    }

    /** {@link #frameArray()} as a segment, for readers written against segments (the sink). */
    public MemorySegment frameSegment() {
        return slotView;
    }

    @Override
    public int frameOffset() {
        return (int) ((long) HEAD.getOpaque(this) & mask) * SLOT;
    }

    @Override
    public void take() {
        drop();
    }

    @Override
    public boolean waitsForDescriptors() {
        return waitsForDescriptors;
    }

    /** Consumer: removes the oldest frame. */
    public void drop() {
        long h = (long) HEAD.getOpaque(this);
        if (h != (long) TAIL.getAcquire(this)) {
            HEAD.setRelease(this, h + 1);
        }
    }

    /** Consumer convenience for tests: removes and returns the oldest frame, or null. */
    public byte[] poll() {
        int len = peekLength();
        if (len < 0) {
            return null;
        }
        byte[] b = new byte[len];
        peekInto(MemorySegment.ofArray(b), 0);
        drop();
        return b;
    }
}
