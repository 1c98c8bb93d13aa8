/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator;

import dev.wirespeed.core.device.Bar;

import java.util.Arrays;

import static dev.wirespeed.emulator.Facts.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The VF side of the legacy mailbox protocol, done through BAR accesses only, the way facts §3.1 says a
 * driver must: take VFU and check it stuck, drain stale status, write the buffer, write REQ; poll the
 * read-to-clear bits through a software shadow; take VFU, copy the reply, write ACK.
 */
public final class VfMailboxClient {
    private final Bar bar;
    private int shadow;

    public VfMailboxClient(Bar bar) {
        this.bar = bar;
    }

    /** Reads VFMAILBOX, keeping the read-to-clear bits in the shadow (facts §3.1, §8.15). */
    public int readMailbox() {
        int v = bar.read32(VFMAILBOX);
        shadow |= v & (PFSTS | PFACK | RSTD);
        return v;
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

    public boolean consumeAck() {
        readMailbox();
        boolean seen = (shadow & PFACK) != 0;
        shadow &= ~PFACK;
        return seen;
    }

    public boolean consumeMessage() {
        readMailbox();
        boolean seen = (shadow & PFSTS) != 0;
        shadow &= ~PFSTS;
        return seen;
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

    /** One whole request/reply exchange; fails the test if the PF does not acknowledge and answer. */
    public int[] request(int... words) {
        send(words);
        assertThat(consumeAck()).as("PFACK after request %s", Arrays.toString(words)).isTrue();
        assertThat(consumeMessage()).as("PFSTS (reply) after request %s", Arrays.toString(words)).isTrue();
        return readMessage();
    }

    /** Resets the VF (VFCTRL.RST), waits for RSTD, sends VF_RESET; returns the reply. */
    public int[] resetAndHello() {
        bar.write32(VFCTRL, VFCTRL_RST);
        assertThat(resetSeen()).as("RSTD after VFCTRL.RST").isTrue();
        return request(VF_RESET);
    }
}
