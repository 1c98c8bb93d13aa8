/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.igbvf;

import dev.wirespeed.core.device.Bar;
import dev.wirespeed.core.device.vf.VfMailbox;
import dev.wirespeed.core.device.vf.VfMessages;
import dev.wirespeed.core.packet.MacAddress;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * The VF's register-level state: reset and the PF handshake (facts §5.1, §5.2), what was asked of the
 * PF (MAC, multicast, VLANs, promiscuous flags, max frame) so that a bring-up after a PF reset asks
 * again, and the queue enable sequences. Called only under the port's control monitor.
 */
final class VfDevice {
    private static final System.Logger LOG = System.getLogger(VfDevice.class.getName());

    private final Bar bar;
    private final String name;
    private final IgbVfOptions options;
    private final int maxFrame;
    private final VfMailbox mailbox;
    private final PfChannel pf;
    private MacAddress mac;
    private MacAddress pfMac;
    private final List<MacAddress> multicast = new ArrayList<>();
    private final Set<Integer> vlans = new LinkedHashSet<>();
    private int promiscWanted;
    private int promiscGranted;

    VfDevice(Bar bar, String name, IgbVfOptions options, int maxFrame) {
        this.bar = bar;
        this.name = name;
        this.options = options;
        this.maxFrame = maxFrame;
        this.mailbox = new VfMailbox(bar, Regs.MAILBOX, Regs.MBMEM, options.mailboxTimeout().toNanos(), new VfMailbox.Failures() {
            @Override
            public RuntimeException pfResetting(String message) {
                return new PfResetException(name + ": " + message);
            }

            @Override
            public RuntimeException timedOut(String message) {
                return new MailboxTimeoutException(name + ": " + message);
            }
        });
        this.pf = new PfChannel(mailbox);
    }

    // ---------------------------------------------------------------- reset and handshake

    /** Stops queues and interrupts a previous user may have left running. */
    void quiesce() {
        bar.write32(Regs.EIMC, Regs.ALL_VECTORS);
        for (int q = 0; q < Regs.QUEUES; q++) {
            bar.write32(Regs.q(Regs.RXDCTL, q), bar.read32(Regs.q(Regs.RXDCTL, q)) & ~Regs.DCTL_ENABLE);
            bar.write32(Regs.q(Regs.TXDCTL, q), Regs.TXDCTL_SWFLSH); // DPDK igbvf_stop_adapter
        }
        bar.read32(Regs.STATUS);
    }

    /** CTRL.RST (e1000_reset_hw_vf): afterwards the VF reads no descriptor or buffer, so the rings' buffers may be freed. */
    void resetFunction() {
        quiesce();
        mailbox.clearShadow();
        bar.write32(Regs.CTRL, Regs.CTRL_RST);
        bar.read32(Regs.STATUS);
    }

    /**
     * After {@link #resetFunction()}: waits while RSTI/RSTD show (never for RSTD to appear: a running PF
     * sets neither for a VF reset, and QEMU's model never does, facts §5.1, §7.2), then VF_RESET, MAC,
     * max frame, and, when {@code again} or asked for, multicast, VLANs and promiscuous flags.
     */
    void handshake(boolean again) {
        if (!mailbox.awaitPfReady(options.resetTimeout().toNanos())) {
            throw new PfResetException(name + ": the PF is still in reset (RSTI set " + options.resetTimeout().toMillis()
                    + " ms after the VF reset); is the PF interface up? (ip link set <pf> up)");
        }
        pfMac = pf.reset();
        claimMac();
        if (!pf.setMaxFrame(maxFrame)) {
            throw new IgbVfException(name + ": the PF refused a max frame of " + maxFrame + " bytes; lower the MTU");
        }
        if (again || !multicast.isEmpty()) {
            pf.setMulticast(multicast);
        }
        for (int vlan : vlans) {
            pf.setVlan(vlan, true); // refused now (a port VLAN set meanwhile): the filter stays out
        }
        promiscGranted = 0;
        if (promiscWanted != 0) {
            applyPromisc();
        }
    }

    /**
     * The MAC: the one asked for in the options, else the PF's, else the one generated before (a reset
     * must not change it), else a random locally administered one, set with SET_MAC_ADDR. Linux's PF
     * NACKs SET_MAC_ADDR when the administrator assigned a MAC and the VF is not trusted: then the PF's
     * MAC stands (as igbvf falls back to its permanent address).
     */
    private void claimMac() {
        MacAddress wanted = options.mac() != null ? options.mac() : pfMac != null ? pfMac : mac != null ? mac : MacAddress.randomLocal();
        if (wanted.equals(pfMac)) {
            mac = wanted;
            return;
        }
        if (pf.setMac(wanted)) {
            mac = wanted;
        } else if (pfMac != null) {
            LOG.log(System.Logger.Level.WARNING, () -> name + ": the PF refused MAC " + wanted + "; keeping " + pfMac
                    + ", which its administrator assigned (ip link set <pf> vf N trust on lets the VF choose)");
            mac = pfMac;
        } else {
            throw new IgbVfException(name + ": the PF assigned no MAC to this VF and refused " + wanted
                    + "; assign one on the PF (ip link set <pf> vf N mac XX:XX:XX:XX:XX:XX)");
        }
    }

    MacAddress mac() {
        return mac;
    }

    /** SET_MAC_ADDR; false (MAC unchanged) if the PF refused. */
    boolean changeMac(MacAddress wanted) {
        if (wanted.isMulticast() || wanted.isZero()) {
            throw new IllegalArgumentException(name + ": " + wanted + " cannot be a port's MAC (zero or multicast)");
        }
        boolean accepted = pf.setMac(wanted);
        mac = accepted ? wanted : mac;
        return accepted;
    }

    /** Turns one SET_PROMISC flag on or off, keeping the other as asked; whether the PF granted it. */
    boolean promisc(int flag, boolean on) {
        int flags = on ? promiscWanted | flag : promiscWanted & ~flag;
        return (wantPromisc(flags) & flag) != 0;
    }

    void setMulticast(List<MacAddress> addresses) {
        for (MacAddress a : addresses) {
            if (!a.isMulticast()) {
                throw new IllegalArgumentException(name + ": " + a + " is not a multicast address");
            }
        }
        if (addresses.size() > VfMessages.MAX_MULTICAST) {
            throw new IllegalArgumentException(name + ": the igb PF filters at most " + VfMessages.MAX_MULTICAST + " multicast addresses per VF, got "
                    + addresses.size() + "; use setAllMulticast(true)");
        }
        if (!pf.setMulticast(addresses)) {
            throw new IgbVfException(name + ": the PF refused the multicast list (" + addresses.size() + " addresses)");
        }
        multicast.clear();
        multicast.addAll(addresses);
    }

    boolean vlan(int vlan, boolean add) {
        if (vlan < 0 || vlan > 4095) {
            throw new IllegalArgumentException(name + ": VLAN id " + vlan + " is not 0..4095");
        }
        boolean ok = pf.setVlan(vlan, add);
        if (ok && add) {
            vlans.add(vlan);
        } else if (ok) {
            vlans.remove(vlan);
        }
        return ok;
    }

    Set<Integer> vlans() {
        return vlans;
    }

    /**
     * Asks for unicast and/or multicast promiscuity; returns the flags granted. Linux's igb PF knows only
     * multicast promiscuity and NACKs any other flag (after applying the multicast one, igb_set_vf_promisc):
     * on a NACK the multicast part alone is asked for, so that what the PF applied is known.
     */
    int wantPromisc(int flags) {
        promiscWanted = flags;
        applyPromisc();
        return promiscGranted;
    }

    private void applyPromisc() {
        if (pf.setPromisc(promiscWanted)) {
            promiscGranted = promiscWanted;
            return;
        }
        int multicastOnly = promiscWanted & PfChannel.PROMISC_MULTICAST;
        promiscGranted = multicastOnly != promiscWanted && pf.setPromisc(multicastOnly) ? multicastOnly : 0;
    }

    int promiscGranted() {
        return promiscGranted;
    }

    // ---------------------------------------------------------------- PF state (watchdog)

    /** Reads a waiting PF message; then whether the PF reset or withdrew CTS (the reason, or null). */
    String pfResetReason() {
        String signal = mailbox.pfResetSignal();
        if (signal == null) {
            pf.poll();
            signal = pf.ctsLost() ? "the PF withdrew clear-to-send (ping without CTS)" : null;
        }
        return signal;
    }

    boolean pfResetting() {
        return mailbox.resetInProgress();
    }

    boolean clearToSend() {
        return !pf.ctsLost();
    }

    long pings() {
        return pf.pings();
    }

    // ---------------------------------------------------------------- queues (facts §2.2, §5.2)

    void enableRx(int q, long iova, int descriptors, int bufferBytes) {
        setRxEnable(q, false);
        bar.write32(Regs.q(Regs.RDBAL, q), (int) iova);
        bar.write32(Regs.q(Regs.RDBAH, q), (int) (iova >>> 32));
        bar.write32(Regs.q(Regs.RDLEN, q), descriptors * 16);
        bar.write32(Regs.q(Regs.RDH, q), 0);
        bar.write32(Regs.q(Regs.RDT, q), 0);
        // one buffer per descriptor, BSIZEPACKET in KiB; DROP_EN: a full ring drops rather than blocking
        // the PF's other pools (Linux's PF sets queue drop for every queue anyway, igb_setup_rctl)
        bar.write32(Regs.q(Regs.SRRCTL, q), bufferBytes >> 10 | Regs.SRRCTL_DESCTYPE_ONEBUF | Regs.SRRCTL_DROP_EN);
        bar.write32(Regs.q(Regs.RXDCTL, q), Regs.RXDCTL_THRESHOLDS | Regs.DCTL_ENABLE);
        awaitEnable(Regs.q(Regs.RXDCTL, q), true, "rx queue " + q);
    }

    void enableTx(int q, long iova, int descriptors) {
        bar.write32(Regs.q(Regs.TXDCTL, q), 0);
        bar.write32(Regs.q(Regs.TDBAL, q), (int) iova);
        bar.write32(Regs.q(Regs.TDBAH, q), (int) (iova >>> 32));
        bar.write32(Regs.q(Regs.TDLEN, q), descriptors * 16);
        bar.write32(Regs.q(Regs.TDH, q), 0);
        bar.write32(Regs.q(Regs.TDT, q), 0);
        bar.write32(Regs.q(Regs.DCA_TXCTRL, q), bar.read32(Regs.q(Regs.DCA_TXCTRL, q)) & ~Regs.DCA_TXCTRL_WB_RO);
        // WTHRESH 0: DD is written back for RS descriptors only, which the tx ring's cleaning relies on
        bar.write32(Regs.q(Regs.TXDCTL, q), Regs.DCTL_ENABLE);
        awaitEnable(Regs.q(Regs.TXDCTL, q), true, "tx queue " + q);
    }

    void disableRx(int q) {
        setRxEnable(q, false);
    }

    void disableTx(int q) {
        bar.write32(Regs.q(Regs.TXDCTL, q), Regs.TXDCTL_SWFLSH);
        bar.write32(Regs.q(Regs.TXDCTL, q), 0);
        awaitEnable(Regs.q(Regs.TXDCTL, q), false, "tx queue " + q);
    }

    private void setRxEnable(int q, boolean on) {
        int reg = Regs.q(Regs.RXDCTL, q);
        int v = bar.read32(reg);
        bar.write32(reg, on ? v | Regs.DCTL_ENABLE : v & ~Regs.DCTL_ENABLE);
        awaitEnable(reg, on, "rx queue " + q);
    }

    /** Polls the ENABLE bit until it reads {@code on} (DPDK spins until RXDCTL.ENABLE reads 0 on stop). */
    private void awaitEnable(int reg, boolean on, String what) {
        long deadline = System.nanoTime() + options.queueEnableTimeout().toNanos();
        while (((bar.read32(reg) & Regs.DCTL_ENABLE) != 0) != on) {
            if (System.nanoTime() - deadline > 0) {
                throw new IgbVfException(name + ": " + what + " did not turn " + (on ? "on" : "off") + " within "
                        + options.queueEnableTimeout().toMillis() + " ms (register 0x" + Integer.toHexString(reg) + " = 0x"
                        + Integer.toHexString(bar.read32(reg)) + "); the PF may have disabled the VF's queues (VFRE/VFTE)");
            }
            LockSupport.parkNanos(10_000);
        }
    }
}
