/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

import dev.wirespeed.core.device.Bar;
import dev.wirespeed.core.idle.WakeSource;
import dev.wirespeed.core.os.EventFd;

/**
 * The interrupt of one rx queue as an idle strategy sees it (facts §5.4). The queue's cause is routed
 * to a vector by IVAR, and the vector auto-masks when it fires (EIAM), so {@link #arm()} is a single
 * EIMS write that allows exactly one interrupt, and the woken thread finds its vector already masked.
 * {@link #disarm()} writes EIMC for the case where the thread found work before sleeping.
 *
 * <p>Arming first clears the vector's cause (write 1 to EICR, facts §5.3): a cause latched while the
 * vector was masked (frames the thread has since polled) would otherwise fire at once and wake the
 * thread for nothing. A frame that arrived just before arming is still found by the caller's
 * {@link #hasWork()} check after arming, which is why that check is part of the protocol.
 *
 * <p>Two rx queues that share a vector (the VF has two for queues) share its eventfd too.
 */
final class RxWake implements WakeSource {
    private final Bar bar;
    private final int vectorBit;
    private final EventFd eventFd;
    private final RxQueue queue;

    RxWake(Bar bar, int vector, EventFd eventFd, RxQueue queue) {
        this.bar = bar;
        this.vectorBit = 1 << vector;
        this.eventFd = eventFd;
        this.queue = queue;
    }

    @Override
    public EventFd eventFd() {
        return eventFd;
    }

    @Override
    public void arm() {
        bar.write32(Regs.EICR, vectorBit);
        bar.write32(Regs.EIMS, vectorBit);
        // PCIe writes are posted: until the device has applied EIMS, a frame written back now raises no
        // interrupt, and the idle strategy's re-check of DD (hasWork) could run before the device has seen
        // the unmask. A read cannot pass earlier posted writes, so once it returns the vector is armed and
        // any later write-back interrupts (Linux flushes the same way, IXGBE_WRITE_FLUSH reads VFSTATUS).
        bar.read32(Regs.STATUS);
    }

    @Override
    public void disarm() {
        bar.write32(Regs.EIMC, vectorBit);
    }

    @Override
    public boolean hasWork() {
        return queue.hasWork();
    }
}
