/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.time;

/**
 * The emulated device's sense of time: a monotonic clock and a way to run something later (interrupt
 * throttling needs both). Tests use {@link ManualDeviceClock} so that nothing depends on how fast the
 * machine happens to be.
 */
public interface DeviceClock {
    /** Monotonic nanoseconds. */
    long nanoTime();

    /**
     * A timer that runs {@code task} each time it comes due, on some other thread (or inside {@code advance}
     * for a manual clock), never on the thread that armed it.
     */
    DeviceTimer newTimer(Runnable task);

    /** The real clock: {@link System#nanoTime()} and one shared daemon timer thread. */
    static DeviceClock system() {
        return SystemDeviceClock.INSTANCE;
    }
}
