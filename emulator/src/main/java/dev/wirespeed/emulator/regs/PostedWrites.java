/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.regs;

import dev.wirespeed.emulator.time.DeviceClock;
import dev.wirespeed.emulator.time.DeviceTimer;

/**
 * BAR writes as PCIe delivers them: posted. A write leaves the CPU at once and reaches the device a little
 * later; a read (a non-posted request) may not pass the writes issued before it, so the read's completion
 * reflects them. Here each write is queued with the time it lands; the device clock's timer applies the
 * writes whose time has come, in order, and a read applies every queued write first.
 *
 * <p>What this makes visible: a driver that writes, say, EICR and EIMS and then looks at memory without a
 * register read in between has no guarantee the device has seen either write yet.
 *
 * <p>Writes are applied under this object's lock, so their order holds whether the timer thread or a
 * reading thread applies them; applying one may take the PF's lock (mailbox, VF reset), never the reverse.
 */
final class PostedWrites {
    interface Sink {
        void apply(int offset, int value);
    }

    private final Sink sink;
    private final DeviceClock clock;
    private final long delayNanos;
    private final DeviceTimer timer;
    // a FIFO of (time, offset, value), grown when full; guarded by this
    private long[] due = new long[64];
    private int[] offsets = new int[64];
    private int[] values = new int[64];
    private int head, count;
    private long applied;

    PostedWrites(Sink sink, DeviceClock clock, long delayNanos) {
        this.sink = sink;
        this.clock = clock;
        this.delayNanos = delayNanos;
        this.timer = clock.newTimer(this::applyDue);
    }

    /** Queues a write that lands {@code delayNanos} from now. */
    void post(int offset, int value) {
        long at = clock.nanoTime() + delayNanos;
        boolean first;
        synchronized (this) {
            if (count == due.length) {
                grow();
            }
            int i = (head + count) % due.length;
            due[i] = at;
            offsets[i] = offset;
            values[i] = value;
            first = count++ == 0;
        }
        if (first) {
            timer.arm(at);
        }
    }

    /** A read is coming: every write issued before it lands first. */
    synchronized void flush() {
        while (count > 0) {
            applyHead();
        }
    }

    /** The timer: the writes whose time has come, then the timer again for the next one. */
    private void applyDue() {
        long next;
        synchronized (this) {
            long now = clock.nanoTime();
            while (count > 0 && due[head] - now <= 0) {
                applyHead();
            }
            if (count == 0) {
                return;
            }
            next = due[head];
        }
        timer.arm(next);
    }

    // must hold the lock
    private void applyHead() {
        int off = offsets[head];
        int value = values[head];
        head = (head + 1) % due.length;
        count--;
        applied++;
        sink.apply(off, value);
    }

    // must hold the lock
    private void grow() {
        int n = due.length;
        long[] d = new long[2 * n];
        int[] o = new int[2 * n];
        int[] v = new int[2 * n];
        for (int k = 0; k < count; k++) {
            int i = (head + k) % n;
            d[k] = due[i];
            o[k] = offsets[i];
            v[k] = values[i];
        }
        due = d;
        offsets = o;
        values = v;
        head = 0;
    }

    synchronized int pending() {
        return count;
    }

    synchronized long applied() {
        return applied;
    }

    @Override
    public synchronized String toString() {
        return "PostedWrites[" + count + " pending, " + applied + " applied, delay " + delayNanos + " ns]";
    }
}
