/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.idle;

import dev.wirespeed.core.os.EventFd;

/**
 * Something an idle thread can sleep on: one rx queue's interrupt. The device signals
 * {@link #eventFd()} when work arrives while the source is armed.
 */
public interface WakeSource {
    /** Signalled by the device (through its interrupt vector) while armed. */
    EventFd eventFd();

    /** Enables the interrupt: the next arrival signals the eventfd. */
    void arm();

    /** Disables the interrupt again (polling mode). */
    void disarm();

    /** Whether there is work to poll right now (e.g. the next rx descriptor is done). */
    boolean hasWork();
}
