/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.mailbox;

/** VFMAILBOX (BAR0 0x2FC) bits, facts §3.1. */
public final class MailboxBits {
    private MailboxBits() {
    }

    /** VF → PF: message sent. */
    public static final int REQ = 1;
    /** VF → PF: PF's message consumed. */
    public static final int ACK = 1 << 1;
    /** VF holds the buffer. */
    public static final int VFU = 1 << 2;
    /** PF holds the buffer. */
    public static final int PFU = 1 << 3;
    /** PF wrote a message; cleared by reading VFMAILBOX. */
    public static final int PFSTS = 1 << 4;
    /** PF acknowledged the VF's message; cleared by reading VFMAILBOX. */
    public static final int PFACK = 1 << 5;
    /** PF reset in progress. */
    public static final int RSTI = 1 << 6;
    /** PF (or VF) reset done; cleared by reading VFMAILBOX. */
    public static final int RSTD = 1 << 7;
    /** The bits a read clears. */
    public static final int READ_TO_CLEAR = PFSTS | PFACK | RSTD;
}
