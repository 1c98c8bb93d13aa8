/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.vdev;

import dev.wirespeed.core.idle.WakeSource;
import dev.wirespeed.core.os.EventFd;

/**
 * A wake source that is a descriptor the kernel keeps readable while packets wait (a packet socket with
 * an rx ring, a TAP fd), as DPDK's af_packet and tap PMDs sleep on: epoll watches it directly. There is
 * no interrupt to mask, so arming and disarming do nothing and no wake-up can be lost between the last
 * poll and the sleep (epoll reports a descriptor that is already readable at once); nothing is drained,
 * since reading would consume a packet.
 */
public abstract class LevelTriggeredWake implements WakeSource {
    private final int fd;
    private final String what;

    protected LevelTriggeredWake(int fd, String what) {
        this.fd = fd;
        this.what = what;
    }

    @Override
    public final EventFd eventFd() {
        throw new UnsupportedOperationException(what + " wakes through its descriptor (pollFd " + fd + "), not an eventfd");
    }

    @Override
    public final int pollFd() {
        return fd;
    }

    @Override
    public final void acknowledge() {
    }

    @Override
    public final void arm() {
    }

    @Override
    public final void disarm() {
    }

    @Override
    public String toString() {
        return what + " (fd " + fd + ")";
    }
}
