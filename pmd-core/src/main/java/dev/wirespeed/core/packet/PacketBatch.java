/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.packet;

import java.util.Objects;

/**
 * A reusable holder of up to {@link #capacity()} packet handles: what a burst moves. {@code rx} appends
 * to it; {@code tx} takes packets from its front and leaves what the ring could not take, in order.
 * Using it allocates nothing. Not thread-safe: a batch belongs to one thread at a time.
 */
public final class PacketBatch {
    public static final int DEFAULT_CAPACITY = 32;

    private final int[] handles;
    private int size;

    public PacketBatch() {
        this(DEFAULT_CAPACITY);
    }

    public PacketBatch(int capacity) {
        if (capacity < 1 || capacity > 65536) {
            throw new IllegalArgumentException("batch capacity must be 1..65536, got " + capacity);
        }
        handles = new int[capacity];
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return handles.length;
    }

    /** Free slots: how many packets an {@code rx} may append. */
    public int remaining() {
        return handles.length - size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public int get(int i) {
        Objects.checkIndex(i, size);
        return handles[i];
    }

    public void set(int i, int handle) {
        Objects.checkIndex(i, size);
        handles[i] = handle;
    }

    /** Appends a handle; false when the batch is full. */
    public boolean add(int handle) {
        if (size == handles.length) {
            return false;
        }
        handles[size++] = handle;
        return true;
    }

    /**
     * The backing array, for drivers and forwarding loops that fill or read it in place; valid entries
     * are {@code [0, size())}. After writing entries past {@code size()}, call {@link #setSize}.
     */
    public int[] handles() {
        return handles;
    }

    public void setSize(int size) {
        Objects.checkIndex(size, handles.length + 1);
        this.size = size;
    }

    public void clear() {
        size = 0;
    }

    /** Removes the first {@code n} handles (the ones a transmit took), keeping the rest in order. */
    public void removeFirst(int n) {
        Objects.checkIndex(n, size + 1);
        int rest = size - n;
        if (rest > 0 && n > 0) {
            System.arraycopy(handles, n, handles, 0, rest);
        }
        size = rest;
    }

    /** Frees every packet in the batch to its pool and empties the batch. */
    public void freeAll() {
        PacketPool.freeAll(handles, 0, size);
        size = 0;
    }

    @Override
    public String toString() {
        return "PacketBatch[" + size + "/" + handles.length + "]";
    }
}
