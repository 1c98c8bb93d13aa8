/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.time;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** Real time. Deferred work (throttled interrupts) runs on one daemon thread shared by all emulated devices. */
final class SystemDeviceClock implements DeviceClock {
    static final SystemDeviceClock INSTANCE = new SystemDeviceClock();

    private final ScheduledThreadPoolExecutor timer;

    private SystemDeviceClock() {
        timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "emulator-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void schedule(long atNanos, Runnable task) {
        timer.schedule(task, Math.max(0, atNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
}
