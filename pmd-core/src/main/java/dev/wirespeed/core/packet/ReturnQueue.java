/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.packet;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The way buffers come home from other threads: a lock-free many-producer, single-consumer queue
 * of handles. Producers (any thread) claim a slot with one atomic increment; the pool's owner drains.
 *
 * <p>It can never overflow: the capacity is at least the pool's buffer count and every queued entry
 * is a distinct buffer. A slot that is still occupied when claimed therefore means the same buffer
 * was freed twice, which is reported instead of silently corrupting the pool.
 */
final class ReturnQueue {
    private static final int EMPTY = -1;

    private final AtomicIntegerArray slots;
    private final int mask;
    private final AtomicLong tail = new AtomicLong();
    private long head; // consumer only

    ReturnQueue(int minCapacity) {
        int capacity = Integer.highestOneBit(Math.max(2, minCapacity) * 2 - 1);
        slots = new AtomicIntegerArray(capacity);
        for (int i = 0; i < capacity; i++) {
            slots.setPlain(i, EMPTY);
        }
        mask = capacity - 1;
    }

    /** Any thread. */
    void offer(int handle, String poolName) {
        long t = tail.getAndIncrement();
        if (!slots.compareAndSet((int) (t & mask), EMPTY, handle)) {
            throw new IllegalStateException("packet pool '" + poolName + "': buffer 0x" + Integer.toHexString(handle)
                    + " returned while the return queue is full: a buffer was freed twice");
        }
    }

    /** Owner only: moves queued handles onto {@code stack} from index {@code top}; returns the new top. */
    int drainTo(int[] stack, int top) {
        long h = head;
        while (top < stack.length) {
            int i = (int) (h & mask);
            int handle = slots.getAcquire(i);
            if (handle == EMPTY) {
                break; // empty, or a producer claimed the slot and has not written it yet
            }
            slots.setRelease(i, EMPTY);
            stack[top++] = handle;
            h++;
        }
        head = h;
        return top;
    }

    /** Handles queued or being queued; exact when no producer is active. */
    long size() {
        return tail.get() - head;
    }
}
