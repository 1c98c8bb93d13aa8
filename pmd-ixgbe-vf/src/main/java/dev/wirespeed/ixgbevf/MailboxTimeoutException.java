/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

/** The PF did not take, acknowledge or answer a mailbox message in time (a PF that is down or resetting). */
public final class MailboxTimeoutException extends IxgbeVfException {
    public MailboxTimeoutException(String message) {
        super(message);
    }
}
