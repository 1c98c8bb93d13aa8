/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

/** Which multicast/unicast frames the PF lets through to the VF (UPDATE_XCAST_MODE, facts §3.2). */
public enum XcastMode {
    /** Only the VF's own unicast address and broadcast. */
    NONE,
    /** Plus the multicast addresses in the VF's hash list (the PF's default). */
    MULTI,
    /** Every multicast frame: needs a trusted VF. */
    ALLMULTI,
    /** Every frame: needs API 1.3, a trusted VF, a promiscuous PF, and not an 82599. */
    PROMISC
}
