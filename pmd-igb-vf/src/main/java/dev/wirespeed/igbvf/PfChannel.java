/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.igbvf;

import dev.wirespeed.core.device.vf.VfMailbox;
import dev.wirespeed.core.device.vf.VfMessages;
import dev.wirespeed.core.packet.MacAddress;

import java.util.Arrays;
import java.util.List;

import static dev.wirespeed.core.device.vf.VfMessages.*;

/**
 * The messages an igb PF understands (facts §4.2, as Linux's {@code igb_rcv_msg_from_vf} handles them).
 * There is no API negotiation on igb: the VF sends VF_RESET, SET_MAC_ADDR, SET_MULTICAST, SET_VLAN,
 * SET_LPE and SET_PROMISC. Every reply but VF_RESET's is one word: the request's word 0 with ACK or
 * NACK and, while the VF is clear to send, CTS. The PF pings (0x100, with CTS when the VF has it) after
 * a link change and without CTS when it resets; a ping may arrive where a reply was expected.
 */
final class PfChannel {
    /** igb's one id beyond those all Intel VF mailboxes share ({@link VfMessages}). */
    static final int SET_PROMISC = 0x06;
    static final int PROMISC_UNICAST = 0x01 << INFO_SHIFT;
    static final int PROMISC_MULTICAST = 0x02 << INFO_SHIFT;
    private static final int PINGS_TOLERATED = 8;

    private boolean ctsLost;
    private long pings;
    private final VfMailbox mailbox;
    /** Request and reply buffers, reused: the control path allocates nothing per message. */
    private final int[] out = new int[VfMailbox.WORDS], in = new int[VfMailbox.WORDS];

    PfChannel(VfMailbox mailbox) {
        this.mailbox = mailbox;
    }

    /**
     * VF_RESET: the PF clears the VF's filters, enables its rx/tx and makes it clear to send. Returns the
     * MAC the PF holds for the VF, or null when it has none (reply 0x40000001; Linux's PF NACKs when no
     * MAC was assigned, igb_vf_reset_msg). The reply is 3 words and never carries CTS.
     */
    MacAddress reset() {
        out[0] = VF_RESET;
        mailbox.send(out, 1, this::sawUnsolicited);
        ctsLost = false; // a ping without CTS read before this point predates the reset
        int w0 = receive(VF_RESET, 3, "VF_RESET");
        if (w0 != (VF_RESET | ACK) && w0 != (VF_RESET | NACK)) {
            throw new IgbVfException("the PF's reply to VF_RESET is 0x" + Integer.toHexString(w0) + " " + Arrays.toString(Arrays.copyOf(in, 3))
                    + "; an igb PF answers 0x80000001 (MAC assigned) or 0x40000001 (none). Is the PF driver igb?");
        }
        MacAddress mac = macFromWords(in[1], in[2]);
        return (w0 & ACK) == 0 || mac.isZero() || mac.isMulticast() ? null : mac;
    }

    boolean setMac(MacAddress mac) {
        out[0] = SET_MAC_ADDR;
        out[1] = macWord1(mac);
        out[2] = macWord2(mac);
        return exchange(3, "SET_MAC_ADDR " + mac);
    }

    /** SET_MULTICAST: count in the info byte, up to 30 16-bit hashes packed from word 1; always 16 words, as Linux's VF sends it. */
    boolean setMulticast(List<MacAddress> addresses) {
        int n = Math.min(addresses.size(), MAX_MULTICAST);
        Arrays.fill(out, 0);
        out[0] = SET_MULTICAST | n << INFO_SHIFT;
        for (int i = 0; i < n; i++) {
            out[1 + (i >> 1)] |= multicastHash(addresses.get(i), 0) << ((i & 1) << 4); // igb PFs use filter type 0 (RCTL.MO = 0)
        }
        return exchange(VfMailbox.WORDS, "SET_MULTICAST (" + n + " addresses)");
    }

    boolean setVlan(int vlan, boolean add) {
        out[0] = SET_VLAN | (add ? 1 << INFO_SHIFT : 0);
        out[1] = vlan & 0xFFF;
        return exchange(2, "SET_VLAN " + (add ? "add " : "remove ") + vlan);
    }

    /** SET_LPE: largest frame to receive, CRC included; Linux's PF caps it at 9728 and always ACKs. */
    boolean setMaxFrame(int bytes) {
        out[0] = SET_LPE;
        out[1] = bytes;
        return exchange(2, "SET_LPE " + bytes);
    }

    /** SET_PROMISC with PROMISC_UNICAST/PROMISC_MULTICAST flags (0 = neither); Linux's PF NACKs unicast. */
    boolean setPromisc(int flags) {
        out[0] = SET_PROMISC | flags;
        return exchange(1, "SET_PROMISC 0x" + Integer.toHexString(flags >>> INFO_SHIFT));
    }

    /**
     * Reads a message the PF sent on its own, if one waits (a ping). Once CTS is lost nothing more is read
     * until VF_RESET: every ACK of ours would draw another NACK (igb_rcv_ack_from_vf).
     */
    void poll() {
        if (!ctsLost && mailbox.messageWaiting()) {
            mailbox.readNow(in, 1, "PF message");
            sawUnsolicited(in[0]);
        }
    }

    /** A ping without CTS, or a bare NACK (0x40000000), since the last VF_RESET: the PF wants the VF to reset. */
    boolean ctsLost() {
        return ctsLost;
    }

    long pings() {
        return pings;
    }

    private void sawUnsolicited(int w0) {
        boolean ping = isPing(w0);
        pings += ping ? 1 : 0;
        if ((w0 & CTS) == 0 && (ping || (w0 & NACK) != 0)) {
            ctsLost = true;
        }
    }

    /** Sends {@code words} of {@link #out}, returns true for ACK, false for NACK; no CTS is a {@link PfResetException}. */
    private boolean exchange(int words, String what) {
        int id = out[0] & ID_MASK;
        mailbox.send(out, words, this::sawUnsolicited);
        int w0 = receive(id, 1, what);
        if ((w0 & CTS) == 0) {
            ctsLost = true;
            throw new PfResetException("the PF answered " + what + " without CTS (0x" + Integer.toHexString(w0)
                    + "): it reset or forgot this VF; the VF must reset before the PF listens again");
        }
        if (((w0 & ACK) != 0) == ((w0 & NACK) != 0)) {
            throw new IgbVfException("the PF's reply to " + what + " (0x" + Integer.toHexString(w0) + ") has not exactly one of ACK and NACK");
        }
        return (w0 & ACK) != 0;
    }

    /** Waits for the reply to message {@code id}, consuming pings that arrive first; returns its word 0. */
    private int receive(int id, int words, String what) {
        for (int tries = 0; tries <= PINGS_TOLERATED; tries++) {
            mailbox.receive(in, words, what);
            int w0 = in[0];
            if ((w0 & ID_MASK) == id && (w0 & (ACK | NACK)) != 0) {
                return w0;
            }
            sawUnsolicited(w0);
            if (ctsLost) {
                throw new PfResetException("waiting for the reply to " + what + " the PF sent 0x" + Integer.toHexString(w0)
                        + " (no CTS): it reset or forgot this VF, which must reset");
            }
            if ((w0 & ID_MASK) != PF_CONTROL) {
                throw new IgbVfException("the PF answered " + what + " with 0x" + Integer.toHexString(w0) + ", not a reply to message 0x"
                        + Integer.toHexString(id));
            }
        }
        throw new IgbVfException("the PF sent " + PINGS_TOLERATED + " pings and no reply to " + what);
    }
}
