/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.time;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The real clock's timers: on time, once per arming, on the timer thread, and free to arm. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SystemDeviceClockTest {
    private final DeviceClock clock = DeviceClock.system();

    private static void await(AtomicInteger runs, int atLeast) throws InterruptedException {
        while (runs.get() < atLeast) {
            Thread.sleep(1);
        }
    }

    @Test
    void aTimerRunsOnceNotBeforeItsTimeAndOnAnotherThread() throws InterruptedException {
        AtomicInteger runs = new AtomicInteger();
        AtomicLong ranAt = new AtomicLong();
        Thread me = Thread.currentThread();
        DeviceTimer t = clock.newTimer(() -> {
            ranAt.set(clock.nanoTime());
            if (Thread.currentThread() != me) {
                runs.incrementAndGet();
            }
        });
        long at = clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(5);
        t.arm(at);
        await(runs, 1);
        assertThat(ranAt.get()).isGreaterThanOrEqualTo(at);
        Thread.sleep(30);
        assertThat(runs.get()).as("once per arming").isEqualTo(1);
        t.arm(clock.nanoTime());
        await(runs, 2); // and again after it ran
    }

    @Test
    void armingAnArmedTimerMovesItsTimeAndItStillRunsOnce() throws InterruptedException {
        AtomicInteger runs = new AtomicInteger();
        DeviceTimer t = clock.newTimer(runs::incrementAndGet);
        t.arm(clock.nanoTime() + TimeUnit.HOURS.toNanos(1));
        t.arm(clock.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1)); // earlier: the parked timer thread must wake for it
        await(runs, 1);
        Thread.sleep(30);
        assertThat(runs.get()).isEqualTo(1);
    }

    @Test
    void armingAllocatesNothingOnTheArmingThread() throws InterruptedException {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        AtomicInteger runs = new AtomicInteger();
        DeviceTimer[] timers = new DeviceTimer[4];
        for (int i = 0; i < timers.length; i++) {
            timers[i] = clock.newTimer(runs::incrementAndGet);
        }
        for (int round = 0; round < 2; round++) { // the first round warms up (class loading, the armed set's size)
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 20_000; i++) {
                timers[i & 3].arm(clock.nanoTime() + ((i & 1) == 0 ? 0 : 50_000));
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (round == 1) {
                assertThat(allocated).as("bytes allocated by 20,000 armings").isZero();
            }
        }
        await(runs, 1);
    }
}
