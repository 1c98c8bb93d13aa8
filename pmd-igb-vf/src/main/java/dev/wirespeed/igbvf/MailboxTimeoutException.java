/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.igbvf;

/** The PF did not take or answer a mailbox message in time. */
public final class MailboxTimeoutException extends IgbVfException {
    public MailboxTimeoutException(String message) {
        super(message);
    }
}
