/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

/**
 * Mailbox API versions this driver can negotiate, highest first (facts §3.3). The wire value is the
 * version's position in the PF's enum, which has a Solaris-only 2.0 at 1: hence 1.1 = 2.
 *
 * <p>1.4 only adds IPsec messages, which this driver does not send, so asking for it costs nothing and
 * matches what a Linux VF gets from a Linux PF. 1.5 changes the locking protocol and 1.6/1.7 serve the
 * E610; none of them is implemented, so they are never asked for.
 */
public enum MailboxApi {
    V1_4("1.4", 5), V1_3("1.3", 4), V1_2("1.2", 3), V1_1("1.1", 2), V1_0("1.0", 0);

    private final String label;
    private final int wire;

    MailboxApi(String label, int wire) {
        this.label = label;
        this.wire = wire;
    }

    int wire() {
        return wire;
    }

    /** GET_QUEUES exists (1.1+). */
    public boolean hasGetQueues() {
        return compareTo(V1_1) <= 0;
    }

    /** UPDATE_XCAST_MODE and GET_LINK_STATE exist (1.2+). */
    public boolean hasXcastMode() {
        return compareTo(V1_2) <= 0;
    }

    /** XCAST mode PROMISC exists (1.3+). */
    public boolean hasPromiscuous() {
        return compareTo(V1_3) <= 0;
    }

    @Override
    public String toString() {
        return label;
    }
}
