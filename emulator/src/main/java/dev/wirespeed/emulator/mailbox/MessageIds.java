/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.mailbox;

/** Mailbox message word 0 layout and message ids (facts §3.2). */
public final class MessageIds {
    private MessageIds() {
    }

    public static final int ID_MASK = 0xFFFF;
    public static final int INFO_SHIFT = 16;
    public static final int INFO_MASK = 0xFF << INFO_SHIFT;
    /** Reply flag: request done. */
    public static final int SUCCESS = 1 << 31;
    /** Reply flag: request refused. */
    public static final int FAILURE = 1 << 30;
    /** Clear to send: set by the PF on replies and pings once the VF has reset. */
    public static final int CTS = 1 << 29;

    public static final int VF_RESET = 0x01;
    public static final int SET_MAC_ADDR = 0x02;
    public static final int SET_MULTICAST = 0x03;
    public static final int SET_VLAN = 0x04;
    public static final int SET_LPE = 0x05;
    public static final int SET_MACVLAN = 0x06;
    public static final int API_NEGOTIATE = 0x08;
    public static final int GET_QUEUES = 0x09;
    public static final int GET_RETA = 0x0A;
    public static final int GET_RSS_KEY = 0x0B;
    public static final int UPDATE_XCAST_MODE = 0x0C;
    public static final int IPSEC_ADD = 0x0D;
    public static final int IPSEC_DEL = 0x0E;
    public static final int GET_LINK_STATE = 0x10;
    public static final int GET_PF_LINK_STATE = 0x11;
    public static final int FEATURES_NEGOTIATE = 0x12;
    /** PF → VF control message ("ping"). */
    public static final int PF_CONTROL = 0x0100;

    /** At most 30 multicast hashes per SET_MULTICAST (facts §3.2). */
    public static final int MAX_MULTICAST_HASHES = 30;

    public static int info(int word0) {
        return (word0 & INFO_MASK) >>> INFO_SHIFT;
    }

    public static int id(int word0) {
        return word0 & ID_MASK;
    }
}
