/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.mailbox;

/**
 * The PF end of one VF's mailbox: told when the VF signals. Called with the mailbox's lock held, inside the
 * VF's register write, so it must only take note: the PF answers later, on its own time.
 */
public interface MailboxPeer {
    /** The VF set REQ: a request is in the buffer. */
    void requestArrived(VfMailbox mailbox);

    /** The VF set ACK: it consumed the PF's last message. */
    void vfAcknowledged(VfMailbox mailbox);
}
