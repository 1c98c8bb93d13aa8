/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.device;

import dev.wirespeed.core.os.EventFd;

/**
 * A device's interrupt vectors, each deliverable to an eventfd: uio_msi's vector binding, VFIO's
 * {@code VFIO_DEVICE_SET_IRQS}, or the emulator writing the eventfd itself.
 */
public interface InterruptVectors {
    /** How many vectors the device was given (MSI-X table size, 1 for MSI or INTx). */
    int count();

    /** How interrupts are delivered: MSI-X, MSI, INTx, or none. */
    InterruptMode mode();

    /** Delivers vector {@code vector} to {@code eventFd} from now on; rebinding replaces the previous eventfd. */
    void bind(int vector, EventFd eventFd);

    /** Stops delivering vector {@code vector}; unbinding an unbound vector does nothing. */
    void unbind(int vector);

    /** What every backend's {@link #bind} checks of the eventfd: there is one, and it is open. */
    static void requireOpen(EventFd eventFd, int vector, Object device) {
        java.util.Objects.requireNonNull(eventFd, "eventFd");
        if (eventFd.isClosed()) {
            throw new IllegalArgumentException("cannot bind vector " + vector + " of " + device + " to " + eventFd
                    + ": the eventfd is closed");
        }
    }
}
