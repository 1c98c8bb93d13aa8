/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.jmh;

import dev.wirespeed.core.idle.WakeSource;
import dev.wirespeed.core.os.EventFd;

/**
 * A wake source that lets another thread see whether the idle strategy has armed it, i.e. whether the
 * polling thread has given up spinning and is about to sleep (or sleeps). The benchmark thread waits for
 * that before it sends, so it measures a wake-up from sleep and not a lucky catch while spinning.
 */
final class WatchedWakeSource implements WakeSource {
    private final WakeSource delegate;
    private volatile boolean armed;

    WatchedWakeSource(WakeSource delegate) {
        this.delegate = delegate;
    }

    boolean isArmed() {
        return armed;
    }

    @Override
    public EventFd eventFd() {
        return delegate.eventFd();
    }

    @Override
    public void arm() {
        delegate.arm();
        armed = true;
    }

    @Override
    public void disarm() {
        armed = false;
        delegate.disarm();
    }

    @Override
    public boolean hasWork() {
        return delegate.hasWork();
    }
}
