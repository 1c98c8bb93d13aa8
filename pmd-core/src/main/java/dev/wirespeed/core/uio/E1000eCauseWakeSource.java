/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.uio;

import dev.wirespeed.core.device.Bar;
import dev.wirespeed.core.idle.WakeSource;
import dev.wirespeed.core.os.EventFd;

import static dev.wirespeed.core.uio.E1000eRegisters.ICR;
import static dev.wirespeed.core.uio.E1000eRegisters.ICS;
import static dev.wirespeed.core.uio.E1000eRegisters.IMC;
import static dev.wirespeed.core.uio.E1000eRegisters.IMS;

/**
 * A {@link WakeSource} over one interrupt cause of an 82574L ({@code e1000e}) whose MSI-X vector is bound
 * to {@link #eventFd()}: arming unmasks the cause (IMS), disarming masks it (IMC).
 *
 * <p>The device has no rx ring here, so "work" is played by {@link #post()}, the device side: it records
 * that work is waiting and then sets the cause through ICS, the order a NIC keeps (descriptor written,
 * then interrupt). {@link #hasWork()} reads that record rather than the device's ICR, because reading
 * ICR clears the causes on this device. The poll side consumes work with {@link #takeWork()}, which also
 * acknowledges the cause so the next arm does not fire on a stale one.
 *
 * <p>Owns its eventfd; {@link #close()} releases it. The caller binds the eventfd to the vector the cause
 * is routed to.
 */
public final class E1000eCauseWakeSource implements WakeSource, AutoCloseable {
    private final Bar bar0;
    private final int cause;
    private final EventFd eventFd;
    private volatile boolean workWaiting;
    /** Times {@link #arm()} ran; written by the poll thread only, read by the device side to time its post. */
    private volatile int arms;

    public E1000eCauseWakeSource(Bar bar0, int cause) {
        if (Integer.bitCount(cause) != 1) {
            throw new IllegalArgumentException(String.format(
                    "an interrupt cause is one ICR bit, got 0x%08x; pass e.g. 1 << 20 for receive queue 0", cause));
        }
        this.bar0 = bar0;
        this.cause = cause;
        this.eventFd = EventFd.create();
    }

    @Override
    public EventFd eventFd() {
        return eventFd;
    }

    @Override
    public void arm() {
        arms++;
        bar0.write32(IMS, cause);
    }

    @Override
    public void disarm() {
        bar0.write32(IMC, cause);
    }

    @Override
    public boolean hasWork() {
        return workWaiting;
    }

    /** Device side (any thread): work arrives, then the device raises the cause. */
    public void post() {
        workWaiting = true;
        bar0.write32(ICS, cause);
    }

    /** Poll side: consumes the waiting work, if any, and acknowledges the cause. */
    public boolean takeWork() {
        if (!workWaiting) {
            return false;
        }
        workWaiting = false;
        bar0.write32(ICR, cause);
        return true;
    }

    public int arms() {
        return arms;
    }

    @Override
    public void close() {
        eventFd.close();
    }

    @Override
    public String toString() {
        return String.format("cause 0x%08x of %s -> %s", cause, bar0.name(), eventFd);
    }
}
