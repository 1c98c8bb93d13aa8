/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

/**
 * The PF is resetting, or has told the VF it is no longer clear to send (a reply or ping without CTS):
 * the VF must run its bring-up again before the PF will accept requests.
 */
public final class PfNotReadyException extends IxgbeVfException {
    public PfNotReadyException(String message) {
        super(message);
    }
}
