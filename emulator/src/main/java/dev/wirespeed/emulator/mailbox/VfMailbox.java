/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.mailbox;

import java.util.Objects;

import static dev.wirespeed.emulator.mailbox.MailboxBits.ACK;
import static dev.wirespeed.emulator.mailbox.MailboxBits.PFACK;
import static dev.wirespeed.emulator.mailbox.MailboxBits.PFSTS;
import static dev.wirespeed.emulator.mailbox.MailboxBits.PFU;
import static dev.wirespeed.emulator.mailbox.MailboxBits.REQ;
import static dev.wirespeed.emulator.mailbox.MailboxBits.RSTD;
import static dev.wirespeed.emulator.mailbox.MailboxBits.RSTI;
import static dev.wirespeed.emulator.mailbox.MailboxBits.VFU;

/**
 * One VF's mailbox: the VFMAILBOX control register and the 16-word VFMBMEM buffer shared by both
 * directions (facts §3.1), with the PF side's operations on it.
 *
 * <p>Legacy protocol as modelled: the VF takes VFU (it sticks only while the PF does not hold PFU),
 * writes the buffer, then writes REQ, which also drops VFU. REQ (and ACK) only tell the PF model
 * ({@link MailboxPeer}); the PF reads the request on its own time, some tens of microseconds later:
 * it acknowledges (PFACK), writes its reply over the buffer (as many words as that PF writes; the rest
 * keeps what was there) and sets PFSTS. The VF reads VFMAILBOX (clearing PFSTS, PFACK and RSTD as it
 * reads them), takes VFU, copies the reply and writes ACK, which also drops VFU. A PF message tried
 * while the VF holds VFU is lost, as the Linux PF tries the lock once (facts §3.1).
 *
 * <p>PFSTS, PFACK and RSTD raise the mailbox ("other") interrupt cause [? which events interrupt].
 *
 * <p>All methods run under {@code lock}, the emulated PF's lock, because the PF model and the VF's
 * register accesses both act on this state.
 */
public final class VfMailbox {
    private final Object lock;
    private final Runnable mailboxCause;
    private MailboxPeer peer;
    private final int[] buffer = new int[16];
    private boolean vfu, pfu, req, pfsts, pfack, rsti, rstd;
    private long bufferWritesWithoutLock;
    private long vfAcks;

    /**
     * @param lock         the lock shared with the PF model
     * @param mailboxCause raises the VF's mailbox interrupt cause (routed by IVAR_MISC)
     */
    public VfMailbox(Object lock, Runnable mailboxCause) {
        this.lock = Objects.requireNonNull(lock, "lock");
        this.mailboxCause = Objects.requireNonNull(mailboxCause, "mailboxCause");
    }

    public void connect(MailboxPeer peer) {
        synchronized (lock) {
            this.peer = peer;
        }
    }

    // ---- VF side (BAR accesses)

    /** VFMAILBOX read: the current bits; PFSTS, PFACK and RSTD are cleared by the read. */
    public int readControl() {
        synchronized (lock) {
            int v = (req ? REQ : 0) | (vfu ? VFU : 0) | (pfu ? PFU : 0) | (pfsts ? PFSTS : 0)
                    | (pfack ? PFACK : 0) | (rsti ? RSTI : 0) | (rstd ? RSTD : 0);
            pfsts = pfack = rstd = false;
            return v;
        }
    }

    /**
     * VFMAILBOX write. VFU is a level: written 1 it is requested (and sticks unless the PF holds PFU),
     * written 0 it is released. REQ and ACK are strobes: REQ hands the buffer to the PF, ACK tells the
     * PF its message was consumed. Read-only bits (PFU, PFSTS, PFACK, RSTI, RSTD) are ignored.
     */
    public void writeControl(int value) {
        synchronized (lock) {
            vfu = (value & VFU) != 0 && !pfu;
            if ((value & ACK) != 0) {
                vfAcks++;
                if (peer != null) {
                    peer.vfAcknowledged(this);
                }
            }
            if ((value & REQ) != 0) {
                req = true;
                if (peer != null) {
                    peer.requestArrived(this);
                }
            }
        }
    }

    /** VFMBMEM read: always allowed (DPDK peeks word 0 without the lock, facts §3.6). */
    public int readWord(int i) {
        synchronized (lock) {
            return buffer[i];
        }
    }

    /** VFMBMEM write: takes effect only while the VF holds VFU; otherwise dropped and counted [? datasheet]. */
    public void writeWord(int i, int value) {
        synchronized (lock) {
            if (vfu) {
                buffer[i] = value;
            } else {
                bufferWritesWithoutLock++;
            }
        }
    }

    // ---- PF side (called by the PF model, under the lock)

    /** The request words as the PF reads them (a copy of the whole buffer). */
    public int[] pfReadBuffer() {
        synchronized (lock) {
            return buffer.clone();
        }
    }

    /** The PF consumed the VF's request: REQ drops, PFACK is set. */
    public void pfAcknowledge() {
        synchronized (lock) {
            req = false;
            pfack = true;
        }
        mailboxCause.run();
    }

    /**
     * The PF writes a message ({@code words.length} ≤ 16 words from word 0) and sets PFSTS.
     * Returns false, writing nothing, if the VF holds VFU: the PF tries the lock only once.
     */
    public boolean pfSend(int[] words) {
        if (words.length > buffer.length) {
            throw new IllegalArgumentException("a mailbox message has at most 16 words, got " + words.length);
        }
        synchronized (lock) {
            if (vfu) {
                return false;
            }
            pfu = true;
            System.arraycopy(words, 0, buffer, 0, words.length);
            pfu = false;
            pfsts = true;
        }
        mailboxCause.run();
        return true;
    }

    /** PF reset starts: RSTI is set and stays set until {@link #pfResetDone()}. */
    public void pfResetStarted() {
        synchronized (lock) {
            rsti = true;
        }
    }

    /** PF reset (or a VF reset with the PF up) is done: RSTI clears, RSTD is set. */
    public void pfResetDone() {
        synchronized (lock) {
            rsti = false;
            rstd = true;
        }
        mailboxCause.run();
    }

    /** VF reset: ownership and pending flags clear; the buffer keeps its contents [? datasheet]. */
    public void vfReset() {
        synchronized (lock) {
            vfu = pfu = req = pfsts = pfack = rstd = false;
        }
    }

    public boolean resetInProgress() {
        synchronized (lock) {
            return rsti;
        }
    }

    /** The VF has set REQ and the PF has not acknowledged it (a dropped or ignored request). */
    public boolean requestPending() {
        synchronized (lock) {
            return req;
        }
    }

    public boolean vfHoldsLock() {
        synchronized (lock) {
            return vfu;
        }
    }

    /** Buffer writes the VF made without holding VFU (a driver bug the emulator makes visible). */
    public long bufferWritesWithoutLock() {
        synchronized (lock) {
            return bufferWritesWithoutLock;
        }
    }

    public long vfAcknowledgements() {
        synchronized (lock) {
            return vfAcks;
        }
    }
}
