/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator;

import dev.wirespeed.core.device.Bar;
import dev.wirespeed.emulator.regs.RegisterFile;
import dev.wirespeed.emulator.time.ManualDeviceClock;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static dev.wirespeed.emulator.Facts.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The VF side of the legacy mailbox protocol, done through BAR accesses only, the way facts §3.1 says a
 * driver must: take VFU and check it stuck, drain stale status, write the buffer, write REQ; poll the
 * read-to-clear bits through a software shadow; take VFU, copy the reply, write ACK.
 *
 * <p>The PF answers on its own time, so the client waits as a driver does: it polls VFMAILBOX, pausing
 * between polls, up to a timeout (1 s, facts §3.7). On a {@link ManualDeviceClock} a pause moves the clock
 * (which is when the PF runs), so tests stay deterministic; on the real clock it sleeps.
 */
public final class VfMailboxClient {
    /** Pause between polls: 10 µs of device time. */
    public static final long POLL_NANOS = 10_000;
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Bar bar;
    private final ManualDeviceClock manual; // null: real time
    private int shadow;

    public VfMailboxClient(Bar bar) {
        this.bar = bar;
        this.manual = bar instanceof RegisterFile rf && rf.clock() instanceof ManualDeviceClock m ? m : null;
    }

    /** Reads VFMAILBOX, keeping the read-to-clear bits in the shadow (facts §3.1, §8.15). */
    public int readMailbox() {
        int v = bar.read32(VFMAILBOX);
        shadow |= v & (PFSTS | PFACK | RSTD);
        return v;
    }

    /** Lets device time pass, as a driver's poll delay does: the PF gets to run. */
    public void pause(long nanos) {
        if (manual != null) {
            manual.advance(nanos);
        } else {
            LockSupport.parkNanos(nanos);
        }
    }

    /** Long enough for any PF latency the tests use (1 ms). */
    public void letPfRun() {
        pause(TimeUnit.MILLISECONDS.toNanos(1));
    }

    public boolean takeLock() {
        bar.write32(VFMAILBOX, VFU);
        return (readMailbox() & VFU) != 0;
    }

    public void send(int... words) {
        assertThat(takeLock()).as("VFU sticks").isTrue();
        readMailbox();
        shadow &= ~(PFSTS | PFACK); // stale status from before this message
        for (int i = 0; i < words.length; i++) {
            bar.write32(VFMBMEM + 4 * i, words[i]);
        }
        bar.write32(VFMAILBOX, REQ);
    }

    /** PFACK seen (and consumed) by now, without waiting. */
    public boolean consumeAck() {
        return consume(PFACK);
    }

    /** PFSTS seen (and consumed) by now, without waiting. */
    public boolean consumeMessage() {
        return consume(PFSTS);
    }

    /** Polls for PFACK up to the timeout. */
    public boolean awaitAck() {
        return await(PFACK);
    }

    /** Polls for PFSTS (a PF message) up to the timeout. */
    public boolean awaitMessage() {
        return await(PFSTS);
    }

    private boolean consume(int bit) {
        readMailbox();
        boolean seen = (shadow & bit) != 0;
        shadow &= ~bit;
        return seen;
    }

    private boolean await(int bit) {
        long start = manual != null ? 0 : System.nanoTime();
        long waited = 0;
        while (true) {
            if (consume(bit)) {
                return true;
            }
            if (waited >= TIMEOUT_NANOS) {
                return false;
            }
            pause(POLL_NANOS);
            waited = manual != null ? waited + POLL_NANOS : System.nanoTime() - start;
        }
    }

    /** True once RSTD has been seen (and consumes it), or while RSTI is set. */
    public boolean resetSeen() {
        int v = readMailbox();
        boolean seen = (shadow & RSTD) != 0 || (v & RSTI) != 0;
        shadow &= ~RSTD;
        return seen;
    }

    public int[] readMessage() {
        assertThat(takeLock()).as("VFU sticks for reading").isTrue();
        int[] words = new int[16];
        for (int i = 0; i < 16; i++) {
            words[i] = bar.read32(VFMBMEM + 4 * i);
        }
        bar.write32(VFMAILBOX, ACK);
        return words;
    }

    /** One whole request/reply exchange, waiting as a driver would; fails the test if the PF does not acknowledge and answer. */
    public int[] request(int... words) {
        send(words);
        assertThat(awaitAck()).as("PFACK after request %s", Arrays.toString(words)).isTrue();
        assertThat(awaitMessage()).as("PFSTS (reply) after request %s", Arrays.toString(words)).isTrue();
        return readMessage();
    }

    /** Resets the VF (VFCTRL.RST), waits for RSTD, sends VF_RESET; returns the reply. */
    public int[] resetAndHello() {
        bar.write32(VFCTRL, VFCTRL_RST);
        assertThat(resetSeen()).as("RSTD after VFCTRL.RST").isTrue();
        return request(VF_RESET);
    }

    /** A MAC as SET_MAC_ADDR/VF_RESET carry it (facts §3.2): bytes 0..3 in word 1, 4..5 in word 2, byte 0 lowest. */
    public static int[] macWords(dev.wirespeed.core.packet.MacAddress m) {
        byte[] b = m.toBytes();
        return new int[]{b[0] & 0xFF | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 24, b[4] & 0xFF | (b[5] & 0xFF) << 8};
    }
}
