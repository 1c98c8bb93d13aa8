/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.time;

import java.util.PriorityQueue;

/**
 * A clock that only moves when told to, for deterministic tests of time-dependent behaviour
 * (interrupt throttling). Scheduled tasks run on the thread calling {@link #advance}, in time order.
 */
public final class ManualDeviceClock implements DeviceClock {
    private record Task(long at, long seq, Runnable action) {
    }

    private final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private long now;
    private long seq;

    public ManualDeviceClock(long startNanos) {
        this.now = startNanos;
    }

    public ManualDeviceClock() {
        this(1_000_000_000L);
    }

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public DeviceTimer newTimer(Runnable action) {
        return new DeviceTimer() {
            private Task last; // guarded by the clock: the last arming, maybe run already

            @Override
            public void arm(long atNanos) {
                synchronized (ManualDeviceClock.this) {
                    tasks.remove(last); // armed again before it ran: it moves, and still runs once (no-op if it ran)
                    last = new Task(atNanos, seq++, action);
                    tasks.add(last);
                }
            }
        };
    }

    /** Moves time forward by {@code nanos}, running every task that falls due, each at its own time. */
    public void advance(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("time only moves forward; advance(" + nanos + ")");
        }
        long target;
        synchronized (this) {
            target = now + nanos;
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.at > target) {
                    now = target;
                    return;
                }
                tasks.poll();
                now = Math.max(now, next.at);
            }
            next.action.run(); // outside the clock's lock: the task takes device locks
        }
    }

    /** Tasks scheduled and not yet run. */
    public synchronized int pendingTasks() {
        return tasks.size();
    }
}
