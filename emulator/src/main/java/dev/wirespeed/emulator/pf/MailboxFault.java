/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.pf;

/** One-shot faults the PF model applies to the next request a VF sends. */
public enum MailboxFault {
    /** The PF never looks at the request: no PFACK, no reply, REQ stays set (a hung PF). */
    IGNORE_REQUEST,
    /** The PF acknowledges the request (PFACK) but sends no reply. */
    DROP_REPLY,
    /** The reply arrives with message id 0xFFFF instead of the request's id, flags kept. */
    MALFORMED_REPLY
}
