/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

import dev.wirespeed.core.device.Bar;
import dev.wirespeed.core.device.vf.VfMailbox;
import dev.wirespeed.core.device.vf.VfMessages;
import dev.wirespeed.core.packet.MacAddress;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * The VF's device-level state and the steps that set it: reset and the PF handshake (facts §3.4),
 * what the VF asked the PF for (MAC, multicast, VLANs, xcast mode, max frame) so that a second
 * bring-up after a PF reset can ask again, and the per-queue register sequences (§4.4, §4.5).
 * Called only under the port's control monitor.
 */
final class VfBringUp {
    private static final int SRRCTL_DEFAULT = 2 | 4 << Regs.SRRCTL_BSIZEHDR_SHIFT; // 2 KiB packet, 256 B header

    record Queues(int txQueues, int rxQueues, int trafficClasses, int defaultQueue) {
    }

    private final Bar bar;
    private final Chip chip;
    private final String name;
    private final IxgbeVfOptions options;
    private final int maxFrame;
    private final VfMailbox mailbox;
    private final PfChannel pf;
    private MailboxApi api = MailboxApi.V1_0;
    private Queues queues = new Queues(2, 2, 0, 0);
    private MacAddress mac;
    private boolean macFromPf;
    private int multicastFilterType;
    private final List<MacAddress> multicast = new ArrayList<>();
    private final Set<Integer> vlans = new LinkedHashSet<>();
    private boolean wantPromiscuous;
    private boolean wantAllMulticast;
    private XcastMode xcast = XcastMode.MULTI;
    private boolean adminLinkEnabled = true;
    private final byte[] rssKey;

    /** @param rssKey the RSS key for an X550-family VF (Regs.RSS_KEY_BYTES), or null for a random one */
    VfBringUp(Bar bar, Chip chip, String name, IxgbeVfOptions options, int maxFrame, byte[] rssKey) {
        this.bar = bar;
        this.chip = chip;
        this.name = name;
        this.options = options;
        this.maxFrame = maxFrame;
        this.mailbox = new VfMailbox(bar, Regs.MAILBOX, Regs.MBMEM, options.mailboxTimeout().toNanos(), MailboxFailures.INSTANCE);
        this.pf = new PfChannel(mailbox);
        if (rssKey != null) {
            this.rssKey = rssKey.clone();
        } else {
            this.rssKey = new byte[Regs.RSS_KEY_BYTES];
            ThreadLocalRandom.current().nextBytes(this.rssKey); // as Linux picks one per boot
        }
    }

    // ---------------------------------------------------------------- reset and handshake

    /** Stops every queue and interrupt the VF might have running (a previous process may have left them on). */
    void quiesce() {
        for (int q = 0; q < Regs.QUEUES; q++) {
            bar.write32(Regs.rx(Regs.RXDCTL, q), bar.read32(Regs.rx(Regs.RXDCTL, q)) & ~Regs.DCTL_ENABLE);
            bar.write32(Regs.tx(Regs.TXDCTL, q), Regs.TXDCTL_SWFLSH);
        }
        bar.write32(Regs.EIMC, Regs.ALL_VECTORS);
        bar.read32(Regs.EICR);
        for (int q = 0; q < Regs.QUEUES; q++) {
            bar.write32(Regs.tx(Regs.TXDCTL, q), 0);
        }
        bar.write32(Regs.PSRTYPE, 0);
    }

    /**
     * The whole bring-up: VF reset, VF_RESET, API negotiation, queue limits, MAC, max frame, multicast,
     * VLANs, xcast mode, admin link state. {@code again}: after a PF reset, where the MAC, filters and
     * modes asked for before are asked for again.
     */
    void bringUp(boolean again) {
        resetFunction();
        handshake(again);
    }

    /**
     * Stops the queues and resets the VF (VFCTRL.RST, flushed): from here on the device reads no
     * descriptor or buffer, so a caller may free what the rings held.
     */
    void resetFunction() {
        quiesce();
        api = MailboxApi.V1_0;
        mailbox.clearShadow();
        bar.write32(Regs.CTRL, Regs.CTRL_RST);
        bar.read32(Regs.STATUS); // flush the posted write
    }

    /** After {@link #resetFunction()}: waits for the PF and runs the mailbox bring-up (see {@link #bringUp}). */
    void handshake(boolean again) {
        if (!mailbox.awaitPfReady(options.resetTimeout().toNanos())) {
            throw new PfNotReadyException(name + ": the PF is still resetting (VFMAILBOX.RSTI set " + options.resetTimeout().toMillis()
                    + " ms after the VF reset); bring the PF interface up and try again");
        }
        restoreStickyRegisters();
        PfChannel.ResetReply reset = pf.reset();
        multicastFilterType = reset.multicastFilterType();
        negotiate();
        queues = api.hasGetQueues() ? fromPf(pf.queues()) : new Queues(2, 2, 0, 0);
        claimMac(reset.mac(), again);
        if (!pf.setMaxFrame(maxFrame)) {
            throw new IxgbeVfException(name + ": the PF refused a max frame of " + maxFrame + " bytes (MTU " + (maxFrame - 18) + ")"
                    + (chip == Chip.X82599 ? "; an 82599 PF refuses frames over 1518 to a VF on mailbox API 1.0, and disables the VF's rx when "
                    + "the PF's own MTU is over 1500 with API 1.0 (negotiated: " + api + ")" : "") + ". Lower the MTU or the PF's MTU");
        }
        if (again || !multicast.isEmpty()) {
            sendMulticast();
        }
        for (int vlan : vlans) {
            pf.setVlan(vlan, true); // a refusal now (port VLAN set meanwhile) leaves the filter out; nothing else to do
        }
        applyXcast();
        adminLinkEnabled = !api.hasXcastMode() || pf.adminLinkEnabled();
    }

    /**
     * GET_QUEUES' answer; a refusal (DPDK's PF refuses it when it runs without virtualisation queues or
     * in some DCB pool modes) leaves one queue pair, as Linux's VF (ixgbevf_set_num_queues keeps its base
     * case of 1/1) and DPDK's VF (max_rx/tx_queues stay 1) do.
     */
    private Queues fromPf(PfChannel.QueueInfo q) {
        if (q == null) {
            return new Queues(1, 1, 0, 0);
        }
        return new Queues(q.txQueues(), q.rxQueues(), q.trafficClasses(), q.defaultQueue());
    }

    /** From the highest version this driver speaks down to 1.0; the first the PF accepts is kept. */
    private void negotiate() {
        for (MailboxApi candidate : MailboxApi.values()) {
            if (pf.negotiate(candidate)) {
                api = candidate;
                return;
            }
        }
        throw new IxgbeVfException(name + ": the PF refused every mailbox API version from " + MailboxApi.values()[0] + " down to 1.0");
    }

    /** The PF's MAC if it assigned one; otherwise the one we had, or a random locally administered one, set with SET_MAC_ADDR. */
    private void claimMac(MacAddress assigned, boolean again) {
        if (assigned != null) {
            mac = assigned;
            macFromPf = true;
            return;
        }
        MacAddress wanted = again && mac != null && !macFromPf ? mac : MacAddress.randomLocal();
        if (!pf.setMac(wanted)) {
            throw new IxgbeVfException(name + ": no MAC address is assigned to this VF and the PF refused " + wanted
                    + "; assign one on the PF (ip link set PF vf N mac ...)");
        }
        mac = wanted;
        macFromPf = false;
    }

    /** VFLR leaves these registers as they were (facts §8.8): put them in a known state. */
    private void restoreStickyRegisters() {
        for (int q = 0; q < Regs.QUEUES; q++) {
            bar.write32(Regs.rx(Regs.RXDCTL, q), 0);
            bar.write32(Regs.rx(Regs.RDH, q), 0);
            bar.write32(Regs.rx(Regs.RDT, q), 0);
            bar.write32(Regs.rx(Regs.SRRCTL, q), SRRCTL_DEFAULT);
            bar.write32(Regs.rx(Regs.DCA_RXCTRL, q), Regs.DCA_RXCTRL_DESC_RRO); // also clears bit 12 (facts §8.7)
            bar.write32(Regs.tx(Regs.TXDCTL, q), 0);
            bar.write32(Regs.tx(Regs.TDH, q), 0);
            bar.write32(Regs.tx(Regs.TDT, q), 0);
            bar.write32(Regs.tx(Regs.TDWBAL, q), 0);
            bar.write32(Regs.tx(Regs.TDWBAH, q), 0);
            bar.write32(Regs.tx(Regs.DCA_TXCTRL, q), Regs.DCA_TXCTRL_DESC_RRO | Regs.DCA_TXCTRL_DATA_RRO);
        }
        bar.write32(Regs.PSRTYPE, 0);
    }

    // ---------------------------------------------------------------- PF-side state

    /**
     * SET_MULTICAST with the hashes of the application's addresses, less the link-local ones
     * (01:80:c2:00:00:00..0f: PAUSE, LLDP, STP, ...), which Linux's VF never sends either
     * (ixgbevf_update_mc_addr_list_vf): a bridge does not forward them, and a hash for them would only
     * let in other groups that share it.
     */
    private void sendMulticast() {
        int[] hashes = new int[multicast.size()];
        int n = 0;
        for (MacAddress a : multicast) {
            if (!isLinkLocal(a)) {
                hashes[n++] = VfMessages.multicastHash(a, multicastFilterType);
            }
        }
        if (!pf.setMulticast(hashes, n)) {
            throw new IxgbeVfException(name + ": the PF refused the multicast list (" + n + " addresses)");
        }
    }

    /** 01:80:c2:00:00:0X, IEEE 802.1D's reserved link-local group addresses (Linux is_link_local_ether_addr). */
    static boolean isLinkLocal(MacAddress a) {
        return (a.value() & ~0xFL) == 0x0180_C200_0000L;
    }

    void setMulticast(List<MacAddress> addresses) {
        if (addresses.size() > VfMessages.MAX_MULTICAST) {
            throw new IllegalArgumentException(name + ": the PF takes at most " + VfMessages.MAX_MULTICAST + " multicast addresses, got "
                    + addresses.size() + "; use all-multicast mode for more");
        }
        for (MacAddress a : addresses) {
            if (!Objects.requireNonNull(a, "address").isMulticast()) {
                throw new IllegalArgumentException(name + ": " + a + " is not a multicast address");
            }
        }
        List<MacAddress> before = List.copyOf(multicast);
        multicast.clear();
        multicast.addAll(addresses);
        try {
            sendMulticast();
        } catch (RuntimeException e) {
            multicast.clear();
            multicast.addAll(before);
            throw e;
        }
    }

    boolean vlan(int vlan, boolean add) {
        if (vlan < 0 || vlan > 4095) {
            throw new IllegalArgumentException(name + ": VLAN id must be 0..4095, got " + vlan);
        }
        if (!pf.setVlan(vlan, add)) {
            return false;
        }
        if (add) {
            vlans.add(vlan);
        } else {
            vlans.remove(vlan);
        }
        return true;
    }

    Set<Integer> vlans() {
        return vlans;
    }

    boolean changeMac(MacAddress wanted) {
        if (wanted.isMulticast() || wanted.isZero()) {
            throw new IllegalArgumentException(name + ": " + wanted + " cannot be a station address (zero or multicast)");
        }
        if (!pf.setMac(wanted)) {
            return false;
        }
        mac = wanted;
        macFromPf = false;
        return true;
    }

    void wantXcast(boolean promiscuous, boolean allMulticast) {
        wantPromiscuous = promiscuous;
        wantAllMulticast = allMulticast;
        applyXcast();
    }

    boolean wantsPromiscuous() {
        return wantPromiscuous;
    }

    boolean wantsAllMulticast() {
        return wantAllMulticast;
    }

    /** Asks for the mode the application wants, within what the API allows; keeps what the PF grants. */
    private void applyXcast() {
        if (!api.hasXcastMode()) {
            xcast = XcastMode.MULTI; // API 1.0/1.1: the PF's default, and no way to change it
            return;
        }
        XcastMode wanted = wantPromiscuous && api.hasPromiscuous() ? XcastMode.PROMISC
                : wantPromiscuous || wantAllMulticast ? XcastMode.ALLMULTI : XcastMode.MULTI;
        XcastMode granted = pf.updateXcast(wanted);
        if (granted == null && wanted == XcastMode.PROMISC) {
            granted = pf.updateXcast(XcastMode.ALLMULTI); // refused outright (82599, PF not promiscuous): next best
        }
        if (granted == null && wanted != XcastMode.MULTI) {
            granted = pf.updateXcast(XcastMode.MULTI);
        }
        if (granted != null) {
            xcast = granted;
        }
    }

    // ---------------------------------------------------------------- PF health

    /**
     * Why the VF must reset (the PF is resetting, finished a reset, or withdrew CTS), or null. Consumes RSTD
     * and reads a waiting PF message.
     */
    String pfResetReason() {
        String signal = mailbox.pfResetSignal();
        if (signal != null) {
            return signal;
        }
        pf.pollUnsolicited();
        if (pf.clearToSendLost()) {
            return "the PF is no longer clear to send (a control message without CTS, or NACK without CTS): it was reset or reconfigured";
        }
        return null;
    }

    /** RSTI or an unconsumed RSTD: the PF is resetting or has just reset (and cleared the VF's statistics). */
    boolean pfResetSignalled() {
        return mailbox.peek(VfMailbox.RSTI | VfMailbox.RSTD);
    }

    /** RSTI: the PF is resetting now; a VF reset would fail until it ends. */
    boolean pfResetting() {
        return mailbox.resetInProgress();
    }

    /** Reads a PF message (ping) waiting in the mailbox, so that a withdrawn CTS is noticed. */
    void readPfMessages() {
        pf.pollUnsolicited();
    }

    /** The PF is up and talking to us, and the administrator has not disabled the VF's link. */
    boolean pfReady() {
        return adminLinkEnabled && !pf.clearToSendLost() && !mailbox.resetInProgress() && !mailbox.peek(VfMailbox.RSTD);
    }

    long pings() {
        return pf.pings();
    }

    // ---------------------------------------------------------------- queues (facts §4.4, §4.5)

    /** PSRTYPE: headers to parse and RQPL = log2 of the rx queues RSS spreads over; on X550+ also the VF's own RSS. */
    void programPsrtype(int rxQueues) {
        // RSS spreads over at most 4 queues of a pool (the Linux PF's 32-pool mode; DPDK's PF allows 1, 2 or 4):
        // 8 queues exist only with 8 traffic classes, where the class, not RSS, picks the queue
        int rqpl = Math.min(2, 31 - Integer.numberOfLeadingZeros(rxQueues));
        bar.write32(Regs.PSRTYPE, Regs.PSRTYPE_HEADERS | rqpl << Regs.PSRTYPE_RQPL_SHIFT);
        if (chip.isX550Family()) {
            for (int i = 0; i < Regs.RSS_KEY_BYTES / 4; i++) {
                int w = (rssKey[4 * i] & 0xFF) | (rssKey[4 * i + 1] & 0xFF) << 8 | (rssKey[4 * i + 2] & 0xFF) << 16 | (rssKey[4 * i + 3] & 0xFF) << 24;
                bar.write32(Regs.VFRSSRK + 4 * i, w);
            }
            for (int i = 0; i < 16; i++) {
                int w = 0;
                for (int j = 0; j < 4; j++) {
                    w |= ((4 * i + j) % rxQueues) << (8 * j);
                }
                bar.write32(Regs.VFRETA + 4 * i, w);
            }
            bar.write32(Regs.VFMRQC, rxQueues > 1 ? Regs.VFMRQC_RSS : 0);
        }
    }

    void enableRx(int q, long ringIova, int size, int bufferBytes, boolean stripVlan) {
        disableRx(q);
        bar.write32(Regs.rx(Regs.RDBAL, q), (int) ringIova);
        bar.write32(Regs.rx(Regs.RDBAH, q), (int) (ringIova >>> 32));
        bar.write32(Regs.rx(Regs.RDLEN, q), size * Descriptors.SIZE);
        bar.write32(Regs.rx(Regs.DCA_RXCTRL, q), Regs.DCA_RXCTRL_DESC_RRO); // bit 12 must be 0 (facts §8.7)
        bar.write32(Regs.rx(Regs.RDH, q), 0);
        bar.write32(Regs.rx(Regs.RDT, q), 0);
        bar.write32(Regs.rx(Regs.SRRCTL, q), Regs.SRRCTL_DROP_EN | Regs.SRRCTL_DESCTYPE_ADV_ONEBUF
                | 4 << Regs.SRRCTL_BSIZEHDR_SHIFT | bufferBytes >> Regs.SRRCTL_BSIZEPKT_SHIFT);
        int rxdctl = bar.read32(Regs.rx(Regs.RXDCTL, q)) & ~(Regs.RXDCTL_VME | Regs.RXDCTL_RLPML_EN | Regs.RXDCTL_RLPML_MASK);
        if (chip != Chip.X82599) {
            // the PF's max frame is the largest any of its functions asked for: without a limit of its own the
            // queue would take (and chain) frames larger than this port's MTU; Linux sets RLPML on all but the
            // 82599, where it "does not work" (ixgbevf_configure_rx_ring). maxFrame counts the CRC, which the
            // device strips, so a VLAN-tagged frame of MTU payload still fits.
            rxdctl |= Regs.RXDCTL_RLPML_EN | Math.min(maxFrame, Regs.RXDCTL_RLPML_MASK);
        }
        bar.write32(Regs.rx(Regs.RXDCTL, q), rxdctl | Regs.DCTL_ENABLE | (stripVlan ? Regs.RXDCTL_VME : 0));
        awaitEnable(Regs.rx(Regs.RXDCTL, q), true, "rx queue " + q);
    }

    void disableRx(int q) {
        int rxdctl = bar.read32(Regs.rx(Regs.RXDCTL, q));
        if ((rxdctl & Regs.DCTL_ENABLE) != 0) {
            bar.write32(Regs.rx(Regs.RXDCTL, q), rxdctl & ~Regs.DCTL_ENABLE);
            awaitEnable(Regs.rx(Regs.RXDCTL, q), false, "rx queue " + q);
        }
    }

    void enableTx(int q, long ringIova, int size) {
        bar.write32(Regs.tx(Regs.TXDCTL, q), Regs.TXDCTL_SWFLSH);
        bar.write32(Regs.tx(Regs.TDBAL, q), (int) ringIova);
        bar.write32(Regs.tx(Regs.TDBAH, q), (int) (ringIova >>> 32));
        bar.write32(Regs.tx(Regs.TDLEN, q), size * Descriptors.SIZE);
        bar.write32(Regs.tx(Regs.TDWBAH, q), 0);
        bar.write32(Regs.tx(Regs.TDWBAL, q), 0);
        bar.write32(Regs.tx(Regs.DCA_TXCTRL, q), Regs.DCA_TXCTRL_DESC_RRO | Regs.DCA_TXCTRL_DATA_RRO); // DESC_WRO off (facts §8.13)
        bar.write32(Regs.tx(Regs.TDH, q), 0);
        bar.write32(Regs.tx(Regs.TDT, q), 0);
        bar.write32(Regs.tx(Regs.TXDCTL, q), Regs.DCTL_ENABLE | Regs.TXDCTL_THRESHOLDS);
        awaitEnable(Regs.tx(Regs.TXDCTL, q), true, "tx queue " + q);
    }

    void disableTx(int q) {
        bar.write32(Regs.tx(Regs.TXDCTL, q), Regs.TXDCTL_SWFLSH);
        awaitEnable(Regs.tx(Regs.TXDCTL, q), false, "tx queue " + q);
    }

    private void awaitEnable(int register, boolean on, String what) {
        long deadline = System.nanoTime() + options.queueEnableTimeout().toNanos();
        while (true) {
            int v = bar.read32(register);
            if (((v & Regs.DCTL_ENABLE) != 0) == on) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IxgbeVfException(name + ": " + what + " did not turn " + (on ? "on" : "off") + " within "
                        + options.queueEnableTimeout().toMillis() + " ms (control register 0x" + Integer.toHexString(register)
                        + " reads 0x" + Integer.toHexString(v) + ")" + (on ? "; check the ring registers and that the PF enabled this VF" : ""));
            }
            LockSupport.parkNanos(10_000);
        }
    }

    // ---------------------------------------------------------------- what was negotiated

    MailboxApi api() {
        return api;
    }

    Queues queueInfo() {
        return queues;
    }

    /**
     * GET_QUEUES' word 3 (TRANS_VLAN) is non-zero when the PF puts a tag on the VF's frames: a port VLAN
     * or QoS (1), or DCB priority tags (the number of traffic classes). The Linux PF sends it to "notify VF
     * of need for VLAN tag stripping" (ixgbe_get_vf_queues): the VF must then strip (RXDCTL.VME), or the
     * application sees a tag it never asked for. Linux's VF sets VME always; this driver sets it when the
     * application asks for stripping or the PF tags, and reports the stripped tag only when asked for (the
     * PF's own tag is dropped, as Linux drops tags of VLANs it has no filter for).
     */
    boolean pfTagsFrames() {
        return queues.trafficClasses() > 0;
    }

    MacAddress mac() {
        return mac;
    }

    XcastMode xcast() {
        return xcast;
    }

}
