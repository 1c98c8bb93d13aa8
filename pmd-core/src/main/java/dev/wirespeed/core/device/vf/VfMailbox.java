/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.device.vf;

import dev.wirespeed.core.device.Bar;

import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The VF side of the mailbox of Intel's SR-IOV VFs: one 16-word buffer shared by both directions and a
 * control register. The 82599 family (VFMAILBOX 0x02FC, VFMBMEM 0x0200; ixgbevf facts §3.1) and the
 * 82576/I350 (V2PMAILBOX 0x0C40, VMBMEM 0x0800; igbvf facts §4.1) use the same bits and the same
 * handshake (Linux ixgbevf/igbvf mbx.c), so both drivers share this class and differ only in the offsets
 * and in the exceptions they throw ({@link Failures}).
 *
 * <p>Two rules shape this class. Reading the control register clears PFSTS, PFACK and RSTD, so every read is ORed
 * into {@link #shadow} and a bit is only forgotten when it is consumed; otherwise an event seen while
 * waiting for something else would be lost. And the VF lock (VFU) is never held while waiting for the
 * PF: the Linux PF tries its own lock once and silently gives up, so a VF holding VFU across a wait
 * would make the PF drop its reply. Every wait has a deadline; nothing here can hang.
 *
 * <p>Not thread-safe: the port serialises all control-path work.
 */
public final class VfMailbox {
    /** How a driver reports the two failures, so that its callers can catch its own exception types. */
    public interface Failures {
        /** RSTI is set: the PF is resetting. */
        RuntimeException pfResetting(String message);

        /** A wait ran past the mailbox timeout. */
        RuntimeException timedOut(String message);
    }

    /** Words in the buffer. */
    public static final int WORDS = 16;
    public static final int REQ = 0x01;
    public static final int ACK = 0x02;
    public static final int VFU = 0x04;
    public static final int PFU = 0x08;
    public static final int PFSTS = 0x10;
    public static final int PFACK = 0x20;
    public static final int RSTI = 0x40;
    public static final int RSTD = 0x80;
    public static final int READ_TO_CLEAR = PFSTS | PFACK | RSTD;

    private final Bar bar;
    private final int control;
    private final int buffer;
    private final long timeoutNanos;
    private final Failures failures;
    private int shadow;

    /**
     * @param control offset of the control register (VFMAILBOX / V2PMAILBOX)
     * @param buffer offset of the 16-word buffer (VFMBMEM / VMBMEM)
     */
    public VfMailbox(Bar bar, int control, int buffer, long timeoutNanos, Failures failures) {
        this.bar = bar;
        this.control = control;
        this.buffer = buffer;
        this.timeoutNanos = timeoutNanos;
        this.failures = failures;
    }

    /** Reads the control register, keeping the read-to-clear bits in the shadow; returns the raw value. */
    public int readControl() {
        int v = bar.read32(control);
        shadow |= v & READ_TO_CLEAR;
        return v;
    }

    /** Whether {@code bit} (one of the read-to-clear bits) was seen since it was last consumed; consumes it. */
    public boolean consume(int bit) {
        readControl();
        if ((shadow & bit) != 0) {
            shadow &= ~bit;
            return true;
        }
        return false;
    }

    /** Whether {@code bit} was seen, without consuming it. */
    public boolean peek(int bit) {
        int raw = readControl();
        return ((shadow | raw) & bit) != 0;
    }

    /** RSTI is a level, not an event: the PF is resetting right now. */
    public boolean resetInProgress() {
        return (readControl() & RSTI) != 0;
    }

    /**
     * A PF reset as the control register shows it: "resetting" while RSTI is set, "finished a reset" once
     * RSTD was seen (consumed here), else null. Either way the VF must reset before the PF talks to it.
     */
    public String pfResetSignal() {
        if (resetInProgress()) {
            return "the PF is resetting (RSTI)";
        }
        return consume(RSTD) ? "the PF finished a reset (RSTD)" : null;
    }

    /** Forgets every pending event: after a VF reset, old PFSTS/PFACK belong to a conversation that is gone. */
    public void clearShadow() {
        readControl();
        shadow = 0;
    }

    /**
     * After the VF reset (CTRL.RST): waits while the control register shows RSTI (the PF is resetting) or RSTD (a PF reset just
     * completed; read-to-clear, so one read consumes it), and returns true at the first read that shows
     * neither: the PF is up and the VF may send VF_RESET. Returns false if RSTI was still set when
     * {@code timeout} ran out. This is Linux's and DPDK's loop ("we cannot reset while the RSTI / RSTD bits
     * are asserted", ixgbevf_reset_hw_vf / ixgbe_reset_hw_vf; igbvf e1000_reset_hw_vf has the same loop); a running
     * PF sets neither bit for a reset of
     * the VF alone, so waiting for RSTD would wait for something that never comes.
     */
    public boolean awaitPfReady(long timeout) {
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
    public void send(int[] words, int n, IntConsumer unread) {
        if (n < 1 || n > WORDS) {
            throw new IllegalArgumentException("a mailbox message has 1.." + WORDS + " words, got " + n);
        }
        lock("send message 0x" + Integer.toHexString(words[0]));
        if (consume(PFSTS)) {
            unread.accept(bar.read32(buffer));
        }
        shadow &= ~PFACK;
        for (int i = 0; i < n; i++) {
            bar.write32(buffer + 4L * i, words[i]);
        }
        bar.write32(control, REQ);
        await(PFACK, "acknowledge message 0x" + Integer.toHexString(words[0]));
    }

    /** Waits for a PF message (PFSTS) and reads {@code n} words of it into {@code into}, then ACKs it (releasing VFU). */
    public void receive(int[] into, int n, String waitingFor) {
        await(PFSTS, "reply to " + waitingFor);
        readNow(into, n, waitingFor);
    }

    /** Reads a PF message known to be there (PFSTS consumed): take VFU, copy, ACK. */
    public void readNow(int[] into, int n, String what) {
        lock("read " + what);
        for (int i = 0; i < n; i++) {
            into[i] = bar.read32(buffer + 4L * i);
        }
        bar.write32(control, ACK);
    }

    /** Whether a PF message is waiting (PFSTS seen); consumes the event. */
    public boolean messageWaiting() {
        return consume(PFSTS);
    }

    private void lock(String purpose) {
        long deadline = System.nanoTime() + timeoutNanos;
        int spins = 0;
        while (true) {
            bar.write32(control, VFU);
            int raw = readControl();
            if ((raw & VFU) != 0) {
                return;
            }
            if ((raw & RSTI) != 0) {
                throw failures.pfResetting("cannot " + purpose + ": the PF is resetting (RSTI set in the mailbox register)");
            }
            if (System.nanoTime() - deadline > 0) {
                throw failures.timedOut("cannot " + purpose + ": the VF mailbox lock (VFU) did not stick within "
                        + timeoutNanos / 1_000_000 + " ms; mailbox register = 0x" + Integer.toHexString(raw) + " (PFU = the PF holds the buffer)");
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
                throw failures.pfResetting("the PF did not " + purpose + ": it is resetting (RSTI set in the mailbox register)");
            }
            if (System.nanoTime() - deadline > 0) {
                throw failures.timedOut("the PF did not " + purpose + " within " + timeoutNanos / 1_000_000
                        + " ms; mailbox register = 0x" + Integer.toHexString(raw) + ". The PF driver may be down or hung");
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
