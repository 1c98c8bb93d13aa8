/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

import dev.wirespeed.core.device.vf.VfMailbox;

/** The shared mailbox's failures as this driver's exceptions, which the port's recovery catches. */
final class MailboxFailures implements VfMailbox.Failures {
    static final MailboxFailures INSTANCE = new MailboxFailures();

    private MailboxFailures() {
    }

    @Override
    public RuntimeException pfResetting(String message) {
        return new PfNotReadyException(message);
    }

    @Override
    public RuntimeException timedOut(String message) {
        return new MailboxTimeoutException(message);
    }
}
