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
        bar.write32(Regs.EIMS, vectorBit);
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
