/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.pf;

import dev.wirespeed.emulator.time.DeviceClock;
import dev.wirespeed.emulator.time.DeviceTimer;

/**
 * What one VF has signalled to the PF and the PF has not yet looked at: the hardware latches these for the
 * PF driver (VFLRE for a VF reset, MBVFICR's REQ and ACK bits, the malicious-behaviour registers) and
 * interrupts it; the driver handles them some time later, in its interrupt handler or service task. Here
 * that time is the PF's latency: the first event arms a timer, and when it runs the PF handles everything
 * pending, in the order Linux's ixgbe_msg_task does (MDD, reset, request, ACK). Guarded by the PF lock.
 */
final class VfInbox {
    private final DeviceClock clock;
    private final DeviceTimer timer;
    /** A timer of its own for MDD: a device thread latches the event and arms it without the PF lock. */
    private final DeviceTimer mddTimer;
    private boolean armed;
    boolean resetEvent, request, ack;
    private volatile boolean mdd;

    VfInbox(DeviceClock clock, Runnable serve) {
        this.clock = clock;
        this.timer = clock.newTimer(serve);
        this.mddTimer = clock.newTimer(serve);
    }

    /** A device thread saw the VF's queue blocked by MDD; lock-free, and arming a timer allocates nothing. */
    void latchMdd(long latencyNanos) {
        mdd = true;
        mddTimer.arm(clock.nanoTime() + latencyNanos);
    }

    /** Takes a latched MDD event (under the PF lock). */
    boolean takeMdd() {
        boolean was = mdd;
        mdd = false;
        return was;
    }

    /** Something is pending: the PF looks at it {@code latencyNanos} from now, unless it is due to look sooner. */
    void post(long latencyNanos) {
        if (!armed) {
            armed = true;
            timer.arm(clock.nanoTime() + latencyNanos);
        }
    }

    /** The PF is looking now; later events arm the timer again. */
    void taken() {
        armed = false;
    }

    /** The VF reset itself: a request or an ACK it had signalled is gone with its mailbox state. */
    void vfReset() {
        request = false;
        ack = false;
    }
}
