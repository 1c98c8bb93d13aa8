/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.idle;

import dev.wirespeed.core.os.EventFd;

/**
 * Something an idle poll loop can sleep on: typically one rx queue and its interrupt vector.
 *
 * <p>The contract mirrors a NIC queue whose interrupt can be masked. While disarmed, new work raises
 * no signal at all (it is not latched for later); while armed, new work signals {@link #eventFd()}.
 * Because of that, work that lands between the last empty poll and {@link #arm()} would raise no
 * signal, which is why {@link InterruptIdleStrategy} asks {@link #hasWork()} once more after arming.
 *
 * <p>All methods are called from the polling thread only; the device (or another thread) signals the
 * eventfd. Implementations must not allocate in any of these methods: they run on every sleep.
 */
public interface WakeSource {

    /** The eventfd the interrupt is delivered to. Owned by the source; the strategy only reads and drains it. */
    EventFd eventFd();

    /**
     * The descriptor epoll watches: the eventfd's, unless the source is a descriptor that is readable
     * while work waits (a packet socket or a TAP fd, as DPDK's af_packet and tap PMDs sleep on).
     */
    default int pollFd() {
        return eventFd().fd();
    }

    /**
     * Called after epoll reported {@link #pollFd()} readable: drains the eventfd. A level-triggered
     * descriptor (a socket) must not be read here (that would consume a packet) and overrides this to do nothing.
     */
    default void acknowledge() {
        eventFd().drain();
    }

    /**
     * Enables the interrupt: from now on, new work signals {@link #eventFd()}. The strategy issues a full
     * fence after arming and before {@link #hasWork()}, so the arm store cannot be overtaken by that load.
     */
    void arm();

    /** Disables the interrupt again: the poll loop is about to poll, so signals would be wasted. */
    void disarm();

    /**
     * Whether a poll would find something right now (for an rx ring: the next descriptor is done).
     * Must observe work that the device published before it saw the interrupt disarmed.
     */
    boolean hasWork();
}
