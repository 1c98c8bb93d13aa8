/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.time;

/**
 * A one-shot timer made once and armed again and again ({@link DeviceClock#newTimer}). On the system clock
 * arming allocates nothing, so a register write that arms it (an EIMS write inside an interrupt throttle
 * interval) costs the writing thread no garbage; the manual clock of tests allocates a little per arming.
 */
public interface DeviceTimer {
    /**
     * Runs the timer's task once, at or after {@code atNanos} on its clock. Arming a timer that is armed
     * already moves its time; the task still runs once.
     */
    void arm(long atNanos);
}
