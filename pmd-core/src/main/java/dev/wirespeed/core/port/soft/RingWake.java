/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.port.soft;

import dev.wirespeed.core.idle.WakeSource;
import dev.wirespeed.core.os.EventFd;
import dev.wirespeed.core.packet.HandleRing;

/**
 * The "rx interrupt" of a ring port's queue: while armed, the sending side signals an eventfd after
 * it enqueues, as a NIC raises its vector when the interrupt is unmasked. Costs the sender one volatile
 * read per burst.
 */
final class RingWake implements WakeSource {
    private final HandleRing incoming;
    private volatile boolean armed;
    private EventFd eventFd; // created on first use: most ring ports never sleep

    RingWake(HandleRing incoming) {
        this.incoming = incoming;
    }

    @Override
    public synchronized EventFd eventFd() {
        if (eventFd == null) {
            eventFd = EventFd.create();
        }
        return eventFd;
    }

    @Override
    public void arm() {
        eventFd();
        armed = true;
    }

    @Override
    public void disarm() {
        armed = false;
    }

    @Override
    public boolean hasWork() {
        return incoming.hasItems();
    }

    /** Sender side, after enqueueing. */
    void notifyArrival() {
        if (armed) {
            armed = false; // like an auto-masked MSI-X vector: one signal per arm
            eventFd.signal();
        }
    }

    synchronized void close() {
        armed = false;
        if (eventFd != null) {
            eventFd.close();
        }
    }
}
