/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.time;

import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * Real time. Timers (throttled interrupts) run on one daemon thread shared by all emulated devices.
 *
 * <p>Arming a timer allocates nothing: the timer is made once, and the armed set is an array that only
 * grows when more timers are armed at once than ever before. (A {@code ScheduledExecutorService} would
 * allocate a task object per arming, on the thread that arms, which is the driver's thread when its
 * EIMS write re-arms a throttled interrupt.) The timer thread takes the due timers out of the set under
 * the lock and runs them outside it, so a task may take device locks and re-arm its timer.
 */
final class SystemDeviceClock implements DeviceClock {
    static final SystemDeviceClock INSTANCE = new SystemDeviceClock();
    private static final System.Logger LOG = System.getLogger(SystemDeviceClock.class.getName());

    private final Object lock = new Object();
    private Timer[] armed = new Timer[16]; // guarded by lock
    private int armedCount;                // guarded by lock
    private Timer[] due = new Timer[16];   // the timer thread's
    // what the timer thread does next, guarded by lock: look at the armed set again without parking, park
    // until nextLook, or park until a timer is armed
    private boolean looking = true;
    private long nextLook;
    private boolean sleepsForGood;
    private final Thread thread;

    private SystemDeviceClock() {
        thread = Thread.ofPlatform().name("emulator-timer").daemon(true).unstarted(this::run);
        thread.start();
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public DeviceTimer newTimer(Runnable task) {
        return new Timer(task);
    }

    private final class Timer implements DeviceTimer {
        private final Runnable task;
        private long at;          // guarded by lock
        private boolean isArmed;  // guarded by lock

        Timer(Runnable task) {
            this.task = task;
        }

        @Override
        public void arm(long atNanos) {
            boolean wake;
            synchronized (lock) {
                at = atNanos;
                if (!isArmed) {
                    isArmed = true;
                    if (armedCount == armed.length) {
                        armed = Arrays.copyOf(armed, 2 * armedCount);
                    }
                    armed[armedCount++] = this;
                }
                // only if the timer thread would otherwise look too late: a wake-up costs the arming thread a system call
                wake = sleepsForGood || !looking && atNanos - nextLook < 0;
            }
            if (wake) {
                LockSupport.unpark(thread);
            }
        }
    }

    private void run() {
        while (true) {
            int n = 0;
            long now = System.nanoTime();
            long wait = Long.MAX_VALUE;
            synchronized (lock) {
                looking = true;
                sleepsForGood = false;
                for (int i = 0; i < armedCount; ) {
                    Timer t = armed[i];
                    long left = t.at - now;
                    if (left > 0) {
                        wait = Math.min(wait, left);
                        i++;
                        continue;
                    }
                    t.isArmed = false;
                    armed[i] = armed[--armedCount];
                    armed[armedCount] = null;
                    if (n == due.length) {
                        due = Arrays.copyOf(due, 2 * n);
                    }
                    due[n++] = t;
                }
                if (n == 0) { // it will park: an arming for an earlier time must wake it
                    looking = false;
                    sleepsForGood = wait == Long.MAX_VALUE;
                    nextLook = now + (sleepsForGood ? 0 : wait);
                }
            }
            for (int i = 0; i < n; i++) {
                try {
                    due[i].task.run();
                } catch (RuntimeException | Error e) {
                    LOG.log(System.Logger.Level.ERROR, "emulator timer task failed", e);
                }
                due[i] = null;
            }
            if (n > 0) {
                continue; // a task may have armed a timer that is due already
            }
            if (wait == Long.MAX_VALUE) {
                LockSupport.park(this); // until a timer is armed (arm unparks)
            } else {
                LockSupport.parkNanos(this, wait);
            }
        }
    }
}
