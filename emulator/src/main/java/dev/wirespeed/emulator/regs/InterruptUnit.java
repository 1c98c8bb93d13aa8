/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.regs;

import dev.wirespeed.core.device.InterruptMode;
import dev.wirespeed.core.device.InterruptVectors;
import dev.wirespeed.core.os.EventFd;
import dev.wirespeed.emulator.time.DeviceClock;
import dev.wirespeed.emulator.time.DeviceTimer;

import java.util.Objects;

/**
 * The VF's interrupt logic (facts §1.1, §5): cause register (EICR), mask (EIMS/EIMC), software cause set
 * (EICS), auto-mask (EIAM), per-vector throttling (EITR), and the cause-to-vector routing (IVAR, IVAR_MISC).
 * Delivery of an MSI-X vector is a write to the eventfd bound to it.
 *
 * <p>Model, per vector v (one bit in each register):
 * <ul>
 *   <li>A cause sets EICR[v]. If EIMS[v] is set and v's throttle window has passed, the vector fires:
 *       EICR[v] is auto-cleared (VF causes are always auto-cleared when the message is sent, facts §5.3),
 *       EIMS[v] is cleared if EIAM[v] is set, the throttle window restarts, the eventfd is signalled.</li>
 *   <li>A cause raised while masked stays latched in EICR and fires when software sets EIMS[v]
 *       (the behaviour Linux NAPI relies on, facts §5.3/5.4).</li>
 *   <li>A cause raised inside the throttle window stays latched and fires when the window ends.</li>
 *   <li>An EITR write without CNT_WDIS restarts the counter, so a latched cause may fire at once.</li>
 * </ul>
 *
 * <p>Thread safety: the driver thread (BAR accesses) and the device thread (causes) meet here; one lock
 * guards the state, and the eventfd is written under it so that after {@link #unbind} returns, the old
 * eventfd is never written again (its descriptor number could be reused). {@link #raise} has a
 * lock-free fast path when every requested cause is already latched, the common case while a polling
 * driver keeps its vectors masked.
 */
public final class InterruptUnit implements InterruptVectors {
    /** The 82599-family VF has three MSI-X vectors (facts §5.1). */
    public static final int VECTORS = 3;
    public static final int ALL_VECTORS = (1 << VECTORS) - 1;
    /** One EITR interval unit, 2.048 µs, in ns per unit of the register's bits 11:3 (facts §5.2). */
    public static final long EITR_UNIT_NS = 2048;

    /** IVAR queue entries: valid bit and a 1-bit vector field [? facts §5.1, iPXE's mask]. */
    static final int IVAR_QUEUE_BYTE_MASK = VfRegisterMap.IVAR_VALID | 0x01;
    /** IVAR_MISC: valid bit and a 2-bit vector field [? facts §5.1]. */
    static final int IVAR_MISC_MASK = VfRegisterMap.IVAR_VALID | 0x03;

    private final DeviceClock clock;
    private final EventFd[] bound = new EventFd[VECTORS];
    private final long[] throttleUntil = new long[VECTORS];
    private final boolean[] timerArmed = new boolean[VECTORS];
    private final long[] timerAt = new long[VECTORS]; // when an armed throttle timer runs
    private final DeviceTimer[] throttleTimers = new DeviceTimer[VECTORS]; // made once: arming allocates nothing
    private final int[] eitr = new int[VECTORS];
    private final long[] fired = new long[VECTORS];
    private final int[] ivar = new int[VfRegisterMap.IVAR_COUNT];
    /**
     * The queue causes' routing as read from IVAR, 2 bits per cause (bit 0 valid, bit 1 vector) at
     * 2 * (2 * queue + tx): the device thread raises a queue cause every burst, and reading the route
     * here spares it the lock that IVAR itself needs. Written under the lock whenever IVAR changes.
     */
    private volatile int queueRoutes;
    private volatile int eicr;
    private int eims;
    private int eiam;
    private int eiac;
    private int ivarMisc;
    private long unroutedCauses;

    public InterruptUnit(DeviceClock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        for (int v = 0; v < VECTORS; v++) {
            int vector = v;
            throttleTimers[v] = clock.newTimer(() -> throttleExpired(vector));
        }
    }

    /** The device clock the throttle timers run on. */
    public DeviceClock clock() {
        return clock;
    }

    // ---- InterruptVectors (the host side: MSI-X table entries bound to eventfds)

    @Override
    public int count() {
        return VECTORS;
    }

    @Override
    public InterruptMode mode() {
        return InterruptMode.MSIX;
    }

    @Override
    public synchronized void bind(int vector, EventFd eventFd) {
        checkVector(vector);
        Objects.requireNonNull(eventFd, "eventFd");
        bound[vector] = eventFd;
    }

    @Override
    public synchronized void unbind(int vector) {
        checkVector(vector);
        bound[vector] = null;
    }

    // ---- causes (the device side)

    /**
     * Raises the causes of the vectors in {@code vectorMask} (bit n = vector n), as a queue, the mailbox
     * or an EICS write would.
     */
    public void raise(int vectorMask) {
        int mask = vectorMask & ALL_VECTORS;
        if (mask == 0 || (eicr & mask) == mask) {
            return; // already latched: a second cause adds nothing (interrupts are not counted)
        }
        synchronized (this) {
            eicr |= mask;
            long now = clock.nanoTime();
            for (int v = 0; v < VECTORS; v++) {
                if ((mask & (1 << v)) != 0) {
                    tryFire(v, now);
                }
            }
        }
    }

    /** The cause of rx queue {@code queue}, routed through its IVAR entry; unrouted causes are dropped and counted. */
    public void raiseRxQueue(int queue) {
        raiseQueue(queue, false);
    }

    /** The cause of tx queue {@code queue}, routed through its IVAR entry. */
    public void raiseTxQueue(int queue) {
        raiseQueue(queue, true);
    }

    /** The mailbox / "other" cause, routed through IVAR_MISC. */
    public void raiseMisc() {
        int entry;
        synchronized (this) {
            entry = ivarMisc;
            if ((entry & VfRegisterMap.IVAR_VALID) == 0 || (entry & 0x03) >= VECTORS) {
                unroutedCauses++;
                return;
            }
        }
        raise(1 << (entry & 0x03));
    }

    private void raiseQueue(int queue, boolean tx) {
        if (queue < 0 || queue >= VfRegisterMap.QUEUE_COUNT) {
            throw new IllegalArgumentException("queue " + queue + " out of range 0.." + (VfRegisterMap.QUEUE_COUNT - 1));
        }
        int route = queueRoutes >>> (2 * (2 * queue + (tx ? 1 : 0)));
        if ((route & 1) == 0) {
            synchronized (this) {
                unroutedCauses++;
            }
            return;
        }
        raise(1 << ((route >>> 1) & 1));
    }

    // must hold the lock; called after every change to ivar
    private void updateQueueRoutes() {
        int routes = 0;
        for (int cause = 0; cause < 2 * VfRegisterMap.QUEUE_COUNT; cause++) {
            int queue = cause >> 1;
            int entry = (ivar[queue >> 1] >>> (16 * (queue & 1) + ((cause & 1) != 0 ? 8 : 0))) & 0xFF;
            if ((entry & VfRegisterMap.IVAR_VALID) != 0) {
                routes |= (1 | (entry & 0x01) << 1) << (2 * cause);
            }
        }
        queueRoutes = routes;
    }

    // must hold the lock
    private void tryFire(int v, long now) {
        int bit = 1 << v;
        if ((eicr & bit) == 0 || (eims & bit) == 0) {
            return;
        }
        if (now < throttleUntil[v]) {
            // arm, or move an armed timer earlier (an EITR write may have shortened the interval since)
            if (!timerArmed[v] || throttleUntil[v] - timerAt[v] < 0) {
                timerArmed[v] = true;
                timerAt[v] = throttleUntil[v];
                throttleTimers[v].arm(throttleUntil[v]);
            }
            return;
        }
        eicr &= ~bit;
        if ((eiam & bit) != 0) {
            eims &= ~bit;
        }
        throttleUntil[v] = now + intervalNanos(v);
        fired[v]++;
        EventFd fd = bound[v];
        if (fd != null && !fd.isClosed()) {
            fd.signal();
        }
    }

    private synchronized void throttleExpired(int v) {
        timerArmed[v] = false;
        tryFire(v, clock.nanoTime());
    }

    private long intervalNanos(int v) {
        return (long) ((eitr[v] & VfRegisterMap.EITR_INTERVAL_MASK) >>> 3) * EITR_UNIT_NS;
    }

    // ---- register accesses (called by the register file)

    /** VTEICR read: returns the latched causes and clears them. */
    public synchronized int readEicr() {
        int v = eicr;
        eicr = 0;
        return v;
    }

    /** VTEICR write: clears the causes written as 1 (the erratum-1 workaround relies on it, facts §5.3). */
    public synchronized void writeEicr(int value) {
        eicr &= ~value;
    }

    /** VTEICS read: the latched causes, without clearing them. */
    public int readEics() {
        return eicr;
    }

    public void writeEics(int value) {
        raise(value);
    }

    public synchronized int readEims() {
        return eims;
    }

    /** VTEIMS write: 1 enables a vector, 0 does nothing; a latched cause on a newly enabled vector fires. */
    public synchronized void writeEims(int value) {
        int enabled = value & ALL_VECTORS & ~eims;
        eims |= value & ALL_VECTORS;
        long now = clock.nanoTime();
        for (int v = 0; v < VECTORS; v++) {
            if ((enabled & (1 << v)) != 0) {
                tryFire(v, now);
            }
        }
    }

    /** VTEIMC write: 1 masks a vector. */
    public synchronized void writeEimc(int value) {
        eims &= ~value;
    }

    public synchronized int readEiam() {
        return eiam;
    }

    public synchronized void writeEiam(int value) {
        eiam = value & ALL_VECTORS;
    }

    /** VTEIAC is stored and read back but has no effect: VF causes are always auto-cleared (facts §1.1, §5.3). */
    public synchronized int readEiac() {
        return eiac;
    }

    public synchronized void writeEiac(int value) {
        eiac = value & ALL_VECTORS;
    }

    /** VTEITR read: the interval field (bits 11:3); the counter and CNT_WDIS read as 0. */
    public synchronized int readEitr(int v) {
        return eitr[v];
    }

    /** VTEITR write: sets the interval; without CNT_WDIS the throttle counter restarts, so a latched cause can fire now. */
    public synchronized void writeEitr(int v, int value) {
        eitr[v] = value & VfRegisterMap.EITR_INTERVAL_MASK;
        if ((value & VfRegisterMap.EITR_CNT_WDIS) == 0) {
            long now = clock.nanoTime();
            throttleUntil[v] = now;
            tryFire(v, now);
        }
    }

    public synchronized int readIvar(int n) {
        return ivar[n];
    }

    public synchronized void writeIvar(int n, int value) {
        int m = IVAR_QUEUE_BYTE_MASK;
        ivar[n] = value & (m | m << 8 | m << 16 | m << 24);
        updateQueueRoutes();
    }

    public synchronized int readIvarMisc() {
        return ivarMisc;
    }

    public synchronized void writeIvarMisc(int value) {
        ivarMisc = value & IVAR_MISC_MASK;
    }

    /** VF reset: every interrupt register returns to 0; eventfd bindings (host side) are kept. */
    public synchronized void reset() {
        eicr = 0;
        eims = 0;
        eiam = 0;
        eiac = 0;
        ivarMisc = 0;
        java.util.Arrays.fill(ivar, 0);
        updateQueueRoutes();
        java.util.Arrays.fill(eitr, 0);
        java.util.Arrays.fill(throttleUntil, 0);
    }

    // ---- observation, for tests and diagnostics

    /** How many times vector {@code v} fired (whether or not an eventfd was bound). */
    public synchronized long firedCount(int v) {
        checkVector(v);
        return fired[v];
    }

    /** Causes dropped because their IVAR entry was not valid. */
    public synchronized long unroutedCauses() {
        return unroutedCauses;
    }

    private static void checkVector(int vector) {
        if (vector < 0 || vector >= VECTORS) {
            throw new IllegalArgumentException("MSI-X vector " + vector + " does not exist: the ixgbe VF has vectors 0.." + (VECTORS - 1));
        }
    }
}
