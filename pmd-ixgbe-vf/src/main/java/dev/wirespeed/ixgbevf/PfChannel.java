/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

import dev.wirespeed.core.device.vf.VfMailbox;
import dev.wirespeed.core.packet.MacAddress;

import java.util.Arrays;

import static dev.wirespeed.core.device.vf.VfMessages.*;

/**
 * The VF's conversation with its PF over the {@link VfMailbox}: the request messages of facts §3.2, each
 * reply checked before anything in it is believed. A reply must carry the request's id, exactly one
 * of ACK and NACK, and CTS (except the reply to VF_RESET, which never has it); fields must be in range.
 * Anything else is a {@link MalformedReplyException} with the raw words. A reply without CTS means the
 * PF wants the VF to reset ({@link PfNotReadyException}).
 *
 * <p>PF control messages ("pings", 0x100) can arrive instead of a reply; they are consumed and recorded
 * ({@link #clearToSendLost()}), and the wait for the reply goes on.
 */
final class PfChannel {
    // VF_RESET, SET_MAC_ADDR, SET_MULTICAST, SET_VLAN, SET_LPE, PF_CONTROL and the word 0 flags are
    // common to the Intel VF mailboxes (VfMessages); these are the 82599 family's own
    static final int API_NEGOTIATE = 0x08;
    static final int GET_QUEUES = 0x09;
    static final int UPDATE_XCAST_MODE = 0x0C;
    static final int GET_LINK_STATE = 0x10;
    private static final int MAX_PINGS_PER_REPLY = 8;

    private final VfMailbox mailbox;
    private final int[] msg = new int[Regs.MBMEM_WORDS];
    private final int[] reply = new int[Regs.MBMEM_WORDS];
    private boolean clearToSendLost;
    private long pings;

    PfChannel(VfMailbox mailbox) {
        this.mailbox = mailbox;
    }

    record ResetReply(MacAddress mac, int multicastFilterType) {
    }

    record QueueInfo(int txQueues, int rxQueues, int trafficClasses, int defaultQueue) {
    }

    // ---------------------------------------------------------------- requests

    /** VF_RESET: makes the PF forget the VF's filters and enable it; returns the assigned MAC (null when none). */
    ResetReply reset() {
        msg[0] = VF_RESET;
        mailbox.send(msg, 1, this::unreadMessage);
        // only now: a ping without CTS still unread when VF_RESET went out predates it (a PF coming up pings
        // every VF without CTS, Linux ixgbe_set_all_vfs), and must not make the VF reset once more
        clearToSendLost = false;
        int[] r = awaitReply(VF_RESET, 4, "VF_RESET");
        int w0 = r[0];
        if (w0 != (VF_RESET | ACK) && w0 != (VF_RESET | NACK)) {
            throw new MalformedReplyException("VF_RESET reply word 0 must be 0x80000001 (MAC assigned) or 0x40000001 (none)",
                    Arrays.copyOf(r, 4));
        }
        if (r[3] < 0 || r[3] > 3) {
            throw new MalformedReplyException("VF_RESET reply: multicast filter type " + r[3] + " is not 0..3", Arrays.copyOf(r, 4));
        }
        MacAddress mac = null;
        if ((w0 & ACK) != 0) {
            mac = macFromWords(r[1], r[2]);
            if (mac.isZero()) {
                mac = null;
            } else if (mac.isMulticast()) {
                throw new MalformedReplyException("VF_RESET reply: assigned MAC " + mac + " is a multicast address", Arrays.copyOf(r, 4));
            }
        }
        return new ResetReply(mac, r[3]);
    }

    boolean negotiate(MailboxApi api) {
        msg[0] = API_NEGOTIATE;
        msg[1] = api.wire();
        msg[2] = 0;
        return request(3, 1, "API_NEGOTIATE " + api);
    }

    /** GET_QUEUES (API 1.1+), clamped as the facts sheet describes (§3.2); null if the PF refused it. */
    QueueInfo queues() {
        msg[0] = GET_QUEUES;
        if (!request(1, 5, "GET_QUEUES")) {
            return null;
        }
        int tx = reply[1];
        int rx = reply[2];
        int tcs = reply[3];
        int def = reply[4];
        if (tx < 0 || rx < 0 || tcs < 0 || def < 0) {
            throw new MalformedReplyException("GET_QUEUES reply has a negative count", Arrays.copyOf(reply, 5));
        }
        tx = tx == 0 || tx > Regs.QUEUES ? Regs.QUEUES : tx;
        rx = rx == 0 || rx > Regs.QUEUES ? Regs.QUEUES : rx;
        tcs = tcs > rx ? 1 : tcs;
        def = def >= tx ? 0 : def;
        return new QueueInfo(tx, rx, tcs, def);
    }

    boolean setMac(MacAddress mac) {
        msg[0] = SET_MAC_ADDR;
        msg[1] = macWord1(mac);
        msg[2] = macWord2(mac);
        return request(3, 1, "SET_MAC_ADDR " + mac);
    }

    /** SET_MULTICAST with the 12-bit hashes of up to 30 addresses. */
    boolean setMulticast(int[] hashes, int count) {
        if (count > MAX_MULTICAST) {
            throw new IllegalArgumentException("the PF takes at most " + MAX_MULTICAST + " multicast hashes, got " + count);
        }
        Arrays.fill(msg, 0);
        msg[0] = SET_MULTICAST | count << INFO_SHIFT;
        for (int i = 0; i < count; i++) {
            int shift = (i & 1) * 16;
            msg[1 + i / 2] |= (hashes[i] & 0xFFFF) << shift;
        }
        return request(Regs.MBMEM_WORDS, 1, "SET_MULTICAST (" + count + " hashes)");
    }

    boolean setVlan(int vlan, boolean add) {
        msg[0] = SET_VLAN | (add ? 1 : 0) << INFO_SHIFT;
        msg[1] = vlan;
        return request(2, 1, "SET_VLAN " + (add ? "add " : "remove ") + vlan);
    }

    /** SET_LPE: the largest frame the VF will receive, CRC included. */
    boolean setMaxFrame(int maxFrame) {
        msg[0] = SET_LPE;
        msg[1] = maxFrame;
        return request(2, 1, "SET_LPE " + maxFrame);
    }

    /** UPDATE_XCAST_MODE (API 1.2+); returns the mode the PF actually applied, or null when refused. */
    XcastMode updateXcast(XcastMode wanted) {
        msg[0] = UPDATE_XCAST_MODE;
        msg[1] = wanted.ordinal();
        if (!request(2, 2, "UPDATE_XCAST_MODE " + wanted)) {
            return null;
        }
        int granted = reply[1];
        if (granted < 0 || granted > XcastMode.PROMISC.ordinal()) {
            throw new MalformedReplyException("UPDATE_XCAST_MODE reply: mode " + granted + " is not 0..3", Arrays.copyOf(reply, 2));
        }
        return XcastMode.values()[granted];
    }

    /**
     * GET_LINK_STATE (API 1.2+): the administrator's link enable for this VF. Only Linux PFs since 5.18
     * answer it; older Linux PFs and DPDK's PF NACK it as an unknown message, so a refusal means "not
     * known", taken as enabled, as Linux's VF does (it ignores the answer in ixgbevf_up_complete).
     */
    boolean adminLinkEnabled() {
        msg[0] = GET_LINK_STATE;
        if (!request(1, 2, "GET_LINK_STATE")) {
            return true;
        }
        if (reply[1] != 0 && reply[1] != 1) {
            throw new MalformedReplyException("GET_LINK_STATE reply: link enable " + reply[1] + " is not 0 or 1", Arrays.copyOf(reply, 2));
        }
        return reply[1] == 1;
    }

    // ---------------------------------------------------------------- PF messages outside a request

    /**
     * Reads a PF message that arrived on its own (a ping after a link change or an admin action, or the
     * PF's NACK to our ACK), if any. Returns true if one was read. Once CTS is known lost nothing more is
     * read until the VF resets: each read ACKs, and a PF that is not clear to send answers every ACK with
     * another NACK (Linux {@code ixgbe_rcv_ack_from_vf}), so reading on would only ping-pong.
     */
    boolean pollUnsolicited() {
        if (clearToSendLost || !mailbox.messageWaiting()) {
            return false;
        }
        mailbox.readNow(reply, 1, "PF message");
        unreadMessage(reply[0]);
        return true;
    }

    /**
     * A PF message seen when the VF wanted the buffer for something else. A ping (0x100) without CTS, or
     * any word with NACK and no CTS, means the PF is no longer clear to send: the VF must reset (Linux's
     * VF treats "NACK without CTS" the same way in {@code ixgbevf_check_mac_link_vf}). The second form is
     * what a PF writes back when the VF ACKs a message after the PF withdrew CTS (for example after an
     * X550 malicious-driver event, or when its ping without CTS was lost because the VF held the buffer).
     */
    private void unreadMessage(int w0) {
        boolean ping = isPing(w0);
        if (ping) {
            pings++;
        }
        if ((w0 & CTS) == 0 && (ping || (w0 & NACK) != 0)) {
            clearToSendLost = true;
        }
    }

    /** A ping without CTS was seen since the last VF_RESET: the PF wants the VF to reset (facts §3.6). */
    boolean clearToSendLost() {
        return clearToSendLost;
    }

    long pings() {
        return pings;
    }

    // ---------------------------------------------------------------- plumbing

    private boolean request(int words, int replyWords, String what) {
        mailbox.send(msg, words, this::unreadMessage);
        int[] r = awaitReply(msg[0] & ID_MASK, replyWords, what);
        int w0 = r[0];
        boolean ack = (w0 & ACK) != 0;
        boolean nack = (w0 & NACK) != 0;
        if (ack == nack) {
            throw new MalformedReplyException("reply to " + what + " has " + (ack ? "both ACK and NACK" : "neither ACK nor NACK"),
                    Arrays.copyOf(r, replyWords));
        }
        if ((w0 & CTS) == 0) {
            clearToSendLost = true;
            throw new PfNotReadyException("the PF answered " + what + " without CTS (raw word 0x" + Integer.toHexString(w0)
                    + "): it has reset or was reconfigured, and the VF must reset before it can talk to it again");
        }
        return ack;
    }

    /** Waits for the reply to {@code id}, skipping PF pings; checks the id. */
    private int[] awaitReply(int id, int replyWords, String what) {
        int n = Math.max(replyWords, 1);
        for (int i = 0; i <= MAX_PINGS_PER_REPLY; i++) {
            mailbox.receive(reply, n, what);
            int w0 = reply[0];
            if (isPing(w0)) {
                unreadMessage(w0);
                continue;
            }
            if ((w0 & ID_MASK) != id && (w0 & (NACK | CTS)) == NACK && (w0 & ACK) == 0) {
                unreadMessage(w0); // the PF's NACK to an ACK of ours: not a reply, the PF withdrew CTS
                throw new PfNotReadyException("the PF answered with NACK and no CTS (raw word 0x" + Integer.toHexString(w0)
                        + ") instead of the reply to " + what + ": it is no longer clear to send, and the VF must reset");
            }
            if ((w0 & ID_MASK) != id) {
                throw new MalformedReplyException("reply to " + what + " carries message id 0x" + Integer.toHexString(w0 & ID_MASK)
                        + " instead of 0x" + Integer.toHexString(id), Arrays.copyOf(reply, n));
            }
            return reply;
        }
        throw new MalformedReplyException("the PF sent more than " + MAX_PINGS_PER_REPLY + " control messages instead of the reply to " + what,
                Arrays.copyOf(reply, n));
    }
}
