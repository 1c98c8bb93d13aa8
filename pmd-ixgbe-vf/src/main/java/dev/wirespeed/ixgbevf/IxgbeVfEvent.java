/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

/** What the driver tells an application through {@link IxgbeVfPort#setEventListener}. */
public enum IxgbeVfEvent {
    /** The PF reset, withdrew CTS, or a tx queue hung: the port is being rebuilt; bursts return 0 meanwhile. */
    RESET_DETECTED,
    /** Bring-up ran again; MAC, filters, modes and queues are restored and traffic resumes. */
    RECOVERED,
    /** Bring-up failed (the PF is still down, say); the watchdog tries again on its next round. */
    RECOVERY_FAILED,
    /** Registers read all ones (surprise removal, or the PF disabled the VF): the port is dead; stop and close it. */
    DEVICE_REMOVED,
    /** Link went up or down. */
    LINK_CHANGED;

    /** Receives events on the watchdog thread (or the thread that called a control method). Must not block. */
    @FunctionalInterface
    public interface Listener {
        void onEvent(IxgbeVfPort port, IxgbeVfEvent event, String detail);
    }
}
