/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

import dev.wirespeed.core.device.Bar;

import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The VF side of the legacy PF/VF mailbox (facts §3.1): one 16-word buffer at VFMBMEM shared by both
 * directions, and the VFMAILBOX control register.
 *
 * <p>Two rules shape this class. Reading VFMAILBOX clears PFSTS, PFACK and RSTD, so every read is ORed
 * into {@link #shadow} and a bit is only forgotten when it is consumed; otherwise an event seen while
 * waiting for something else would be lost. And the VF lock (VFU) is never held while waiting for the
 * PF: the Linux PF tries its own lock once and silently gives up, so a VF holding VFU across a wait
 * would make the PF drop its reply. Every wait has a deadline; nothing here can hang.
 *
 * <p>Not thread-safe: the port serialises all control-path work.
 */
final class Mailbox {
    static final int REQ = 0x01;
    static final int ACK = 0x02;
    static final int VFU = 0x04;
    static final int PFU = 0x08;
    static final int PFSTS = 0x10;
    static final int PFACK = 0x20;
    static final int RSTI = 0x40;
    static final int RSTD = 0x80;
    static final int READ_TO_CLEAR = PFSTS | PFACK | RSTD;

    private final Bar bar;
    private final long timeoutNanos;
    private int shadow;

    Mailbox(Bar bar, long timeoutNanos) {
        this.bar = bar;
        this.timeoutNanos = timeoutNanos;
    }

    /** Reads VFMAILBOX, keeping the read-to-clear bits in the shadow; returns the raw value. */
    int readControl() {
        int v = bar.read32(Regs.MAILBOX);
        shadow |= v & READ_TO_CLEAR;
        return v;
    }

    /** Whether {@code bit} (one of the read-to-clear bits) was seen since it was last consumed; consumes it. */
    boolean consume(int bit) {
        readControl();
        if ((shadow & bit) != 0) {
            shadow &= ~bit;
            return true;
        }
        return false;
    }

    /** Whether {@code bit} was seen, without consuming it. */
    boolean peek(int bit) {
        int raw = readControl();
        return ((shadow | raw) & bit) != 0;
    }

    /** RSTI is a level, not an event: the PF is resetting right now. */
    boolean resetInProgress() {
        return (readControl() & RSTI) != 0;
    }

    /** Forgets every pending event: after a VF reset, old PFSTS/PFACK belong to a conversation that is gone. */
    void clearShadow() {
        readControl();
        shadow = 0;
    }

    /**
     * After VFCTRL.RST: waits while VFMAILBOX shows RSTI (the PF is resetting) or RSTD (a PF reset just
     * completed; read-to-clear, so one read consumes it), and returns true at the first read that shows
     * neither: the PF is up and the VF may send VF_RESET. Returns false if RSTI was still set when
     * {@code timeout} ran out. This is Linux's and DPDK's loop ("we cannot reset while the RSTI / RSTD bits
     * are asserted", ixgbevf_reset_hw_vf / ixgbe_reset_hw_vf); a running PF sets neither bit for a reset of
     * the VF alone, so waiting for RSTD would wait for something that never comes.
     */
    boolean awaitPfReady(long timeout) {
        long deadline = System.nanoTime() + timeout;
        int spins = 0;
        while (true) {
            int raw = readControl();
            shadow &= ~RSTD; // seen and consumed by this wait
            if ((raw & (RSTI | RSTD)) == 0) {
                return true;
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            pause(spins++);
        }
    }

    /**
     * Sends {@code n} words: takes VFU, drops stale acknowledgements, writes the buffer, sets REQ (which
     * releases VFU) and waits for PFACK. A PF message still unread when we take the lock is passed to
     * {@code unread} first (its word 0), because writing the buffer overwrites it.
     */
    void send(int[] words, int n, IntConsumer unread) {
        if (n < 1 || n > Regs.MBMEM_WORDS) {
            throw new IllegalArgumentException("a mailbox message has 1.." + Regs.MBMEM_WORDS + " words, got " + n);
        }
        lock("send message 0x" + Integer.toHexString(words[0]));
        if (consume(PFSTS)) {
            unread.accept(bar.read32(Regs.MBMEM));
        }
        shadow &= ~PFACK;
        for (int i = 0; i < n; i++) {
            bar.write32(Regs.MBMEM + 4L * i, words[i]);
        }
        bar.write32(Regs.MAILBOX, REQ);
        await(PFACK, "acknowledge message 0x" + Integer.toHexString(words[0]));
    }

    /** Waits for a PF message (PFSTS) and reads {@code n} words of it into {@code into}, then ACKs it (releasing VFU). */
    void receive(int[] into, int n, String waitingFor) {
        await(PFSTS, "reply to " + waitingFor);
        readNow(into, n, waitingFor);
    }

    /** Reads a PF message known to be there (PFSTS consumed): take VFU, copy, ACK. */
    void readNow(int[] into, int n, String what) {
        lock("read " + what);
        for (int i = 0; i < n; i++) {
            into[i] = bar.read32(Regs.MBMEM + 4L * i);
        }
        bar.write32(Regs.MAILBOX, ACK);
    }

    /** Whether a PF message is waiting (PFSTS seen); consumes the event. */
    boolean messageWaiting() {
        return consume(PFSTS);
    }

    private void lock(String purpose) {
        long deadline = System.nanoTime() + timeoutNanos;
        int spins = 0;
        while (true) {
            bar.write32(Regs.MAILBOX, VFU);
            int raw = readControl();
            if ((raw & VFU) != 0) {
                return;
            }
            if ((raw & RSTI) != 0) {
                throw new PfNotReadyException("cannot " + purpose + ": the PF is resetting (VFMAILBOX.RSTI set)");
            }
            if (System.nanoTime() - deadline > 0) {
                throw new MailboxTimeoutException("cannot " + purpose + ": the VF mailbox lock (VFU) did not stick within "
                        + timeoutNanos / 1_000_000 + " ms; VFMAILBOX = 0x" + Integer.toHexString(raw) + " (PFU = the PF holds the buffer)");
            }
            pause(spins++);
        }
    }

    private void await(int bit, String purpose) {
        long deadline = System.nanoTime() + timeoutNanos;
        int spins = 0;
        while (true) {
            int raw = readControl();
            if ((shadow & bit) != 0) {
                shadow &= ~bit;
                return;
            }
            if ((raw & RSTI) != 0) {
                throw new PfNotReadyException("the PF did not " + purpose + ": it is resetting (VFMAILBOX.RSTI set)");
            }
            if (System.nanoTime() - deadline > 0) {
                throw new MailboxTimeoutException("the PF did not " + purpose + " within " + timeoutNanos / 1_000_000
                        + " ms; VFMAILBOX = 0x" + Integer.toHexString(raw) + ". The PF driver may be down or hung");
            }
            pause(spins++);
        }
    }

    /** Spin briefly (the PF usually answers in microseconds), then sleep in 50 µs steps. */
    private static void pause(int spins) {
        if (spins < 100) {
            Thread.onSpinWait();
        } else {
            LockSupport.parkNanos(50_000);
        }
    }
}
