/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.igbvf;

import dev.wirespeed.core.device.Bar;
import dev.wirespeed.core.device.InterruptMode;
import dev.wirespeed.core.device.InterruptVectors;
import dev.wirespeed.core.device.PciFunction;
import dev.wirespeed.core.dma.AnonymousDmaDomain;
import dev.wirespeed.core.dma.DmaDomain;
import dev.wirespeed.core.os.EventFd;
import dev.wirespeed.core.pci.PciAddress;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A test-only VF register file with a scripted PF behind the mailbox: just enough of an 82576 VF for the
 * driver's bring-up, mailbox and register sequences, not an emulator (no DMA engine: tests read and write
 * the rings themselves). The PF answers as Linux's igb does (igb_main.c igb_rcv_msg_from_vf,
 * igb_vf_reset_msg, igb_set_vf_mac_addr, igb_set_vf_promisc, igb_set_vf_vlan_msg, igb_set_vf_rlpml);
 * the mailbox bits follow e1000_mbx.h and QEMU's igb_set_vfmailbox (VFU sticks only while PFU is clear,
 * reading clears PFSTS/PFACK/RSTD).
 */
final class FakeIgbVf implements PciFunction, Bar {
    static final int MAILBOX = 0x0C40, MBMEM = 0x0800, CTRL = 0, STATUS = 8;
    static final int REQ = 1, ACK_BIT = 2, VFU = 4, PFU = 8, PFSTS = 0x10, PFACK = 0x20, RSTI = 0x40, RSTD = 0x80;
    static final int CTS = 1 << 29, NACK = 1 << 30, ACK = 1 << 31;

    final int[] regs = new int[0x4000 / 4];
    final AnonymousDmaDomain dma = new AnonymousDmaDomain("fake igb vf");
    final int deviceId;
    /** Every message the VF sent, as the PF read it (16 words each). */
    final List<int[]> messages = new ArrayList<>();
    /** Every register write, as offset then value. */
    final List<long[]> writes = new ArrayList<>();
    final EventFd[] bound = new EventFd[3];
    int resets;
    boolean removed;
    /** The register window was taken away (uio_msi zaps it on unbind): every access faults as the JVM reports it. */
    boolean faulting;
    boolean closed;

    // the scripted PF's state for this VF
    long assignedMac;          // 0 = none
    boolean adminMac;          // PF_SET_MAC: an untrusted VF may not change it
    boolean portVlan;          // SET_VLAN refused
    boolean silent;            // the PF takes no messages (driver hung): no PFACK
    boolean cts;
    int maxFrame = 1518;
    int promisc;               // flags granted (VMOLR.MPME only on Linux)
    int mcCount;
    final int[] mcHashes = new int[30];

    FakeIgbVf(int deviceId) {
        this.deviceId = deviceId;
        regs[STATUS / 4] = 0x80C8_0083; // FD, LU, 1000 Mb/s, as the model reads (plus IOV bits)
    }

    // ---------------------------------------------------------------- Bar

    @Override
    public int read32(long offset) {
        fault();
        int v = regs[(int) offset / 4];
        if (offset == MAILBOX) {
            regs[MAILBOX / 4] = v & ~(PFSTS | PFACK | RSTD);
        }
        return v;
    }

    @Override
    public void write32(long offset, int value) {
        fault();
        writes.add(new long[]{offset, Integer.toUnsignedLong(value)});
        int i = (int) offset / 4;
        if (offset == CTRL) {
            if ((value & (1 << 26)) != 0) { // VF reset (igb_core_vf_reset): queues off, CTS lost; no RSTI/RSTD
                resets++;
                for (int q = 0; q < 2; q++) {
                    regs[(0x2828 + 0x100 * q) / 4] &= ~(1 << 25);
                    regs[(0x3828 + 0x100 * q) / 4] &= ~(1 << 25);
                }
                cts = false;
            }
            return;
        }
        if (offset == MAILBOX) {
            mailboxWrite(value);
            return;
        }
        if (offset == 0x1580) { // VTEICR: write 1 to clear
            regs[i] &= ~value;
            return;
        }
        regs[i] = value;
    }

    private void fault() {
        if (faulting) {
            throw new InternalError("a fault occurred in an unsafe memory access operation");
        }
    }

    @Override
    public long size() {
        return 0x4000;
    }

    @Override
    public String name() {
        return "BAR0 of fake igb VF";
    }

    private void mailboxWrite(int value) {
        int m = regs[MAILBOX / 4];
        m = (value & VFU) != 0 && (m & PFU) == 0 ? m | VFU : m & ~VFU;
        regs[MAILBOX / 4] = m;
        if ((value & REQ) != 0 && !silent) {
            int[] msg = Arrays.copyOfRange(regs, MBMEM / 4, MBMEM / 4 + 16);
            messages.add(msg);
            regs[MAILBOX / 4] |= PFACK;
            answer(msg);
        }
    }

    /** The PF's side of igb_rcv_msg_from_vf. */
    private void answer(int[] msg) {
        int w0 = msg[0];
        if (w0 == 1) { // igb_vf_reset_msg
            cts = true;
            int[] reply = new int[3];
            reply[0] = assignedMac != 0 ? 0x8000_0001 : 0x4000_0001;
            reply[1] = Integer.reverseBytes((int) (assignedMac >>> 16));
            reply[2] = (int) (assignedMac >>> 8) & 0xFF | ((int) assignedMac & 0xFF) << 8;
            pfWrite(reply);
            return;
        }
        if (!cts) {
            pfWrite(new int[]{w0 | NACK});
            return;
        }
        boolean ok = switch (w0 & 0xFFFF) {
            case 2 -> {
                if (adminMac) {
                    yield false;
                }
                assignedMac = (long) Integer.reverseBytes(msg[1]) << 16 & 0xFFFF_FFFF_0000L | (msg[2] & 0xFF) << 8 | (msg[2] >>> 8) & 0xFF;
                yield true;
            }
            case 3 -> {
                mcCount = (w0 >>> 16) & 0xFF;
                for (int k = 0; k < Math.min(mcCount, 30); k++) {
                    mcHashes[k] = msg[1 + k / 2] >>> ((k & 1) * 16) & 0xFFFF;
                }
                yield true;
            }
            case 4 -> !portVlan;
            case 5 -> {
                maxFrame = Math.min(msg[1], 9728);
                yield true;
            }
            case 6 -> { // igb_set_vf_promisc: MPME written first, then any other flag NACKed
                int flags = (w0 >>> 16) & 0xFF;
                promisc = flags & 2;
                yield (flags & ~2) == 0;
            }
            default -> false;
        };
        pfWrite(new int[]{w0 | CTS | (ok ? ACK : NACK)});
    }

    /** The PF writes a message into the buffer and sets PFSTS. */
    void pfWrite(int[] words) {
        for (int k = 0; k < words.length; k++) {
            regs[MBMEM / 4 + k] = words[k];
        }
        regs[MAILBOX / 4] |= PFSTS;
    }

    /** igb_ping_all_vfs: 0x100, with CTS while the VF has it. */
    void ping() {
        pfWrite(new int[]{0x100 | (cts ? CTS : 0)});
    }

    /** igb_reset on the PF: CTS lost, RSTI, counters and VF rings wiped (as QEMU's model, facts §7.3). */
    void pfResetBegin() {
        cts = false;
        regs[MAILBOX / 4] |= RSTI;
        for (int r = 0x0F10; r <= 0x0F50; r += 4) {
            regs[r / 4] = 0;
        }
        for (int q = 0; q < 2; q++) {
            regs[(0x2828 + 0x100 * q) / 4] = 0;
            regs[(0x3828 + 0x100 * q) / 4] = 0;
        }
    }

    /** CTRL_EXT.PFRSTD: RSTI cleared, RSTD set. */
    void pfResetEnd() {
        regs[MAILBOX / 4] = regs[MAILBOX / 4] & ~RSTI | RSTD;
    }

    List<int[]> messagesWithId(int id) {
        return messages.stream().filter(m -> (m[0] & 0xFFFF) == id).toList();
    }

    long writesTo(int offset) {
        return writes.stream().filter(w -> w[0] == offset).count();
    }

    // ---------------------------------------------------------------- PciFunction

    @Override
    public PciAddress address() {
        return PciAddress.parse("0000:01:10.0");
    }

    @Override
    public int vendorId() {
        return 0x8086;
    }

    @Override
    public int deviceId() {
        return deviceId;
    }

    @Override
    public Bar bar(int index) {
        if (index != 0) {
            throw new IllegalArgumentException("BAR" + index);
        }
        return this;
    }

    @Override
    public DmaDomain dma() {
        return dma;
    }

    @Override
    public InterruptVectors interrupts() {
        return new InterruptVectors() {
            @Override
            public int count() {
                return 3;
            }

            @Override
            public InterruptMode mode() {
                return InterruptMode.MSIX;
            }

            @Override
            public void bind(int vector, EventFd eventFd) {
                bound[vector] = eventFd;
            }

            @Override
            public void unbind(int vector) {
                bound[vector] = null;
            }
        };
    }

    @Override
    public boolean removed() {
        return removed;
    }

    @Override
    public String backend() {
        return "fake";
    }

    @Override
    public void close() {
        closed = true;
    }
}
