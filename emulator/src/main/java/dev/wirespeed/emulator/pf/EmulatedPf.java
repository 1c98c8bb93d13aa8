/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.pf;

import dev.wirespeed.core.packet.MacAddress;
import dev.wirespeed.core.pci.PciAddress;
import dev.wirespeed.emulator.EmulatedVf;
import dev.wirespeed.emulator.Flavour;
import dev.wirespeed.emulator.LinkSpeed;
import dev.wirespeed.emulator.mailbox.ApiVersion;
import dev.wirespeed.emulator.mailbox.MacWords;
import dev.wirespeed.emulator.mailbox.MailboxPeer;
import dev.wirespeed.emulator.mailbox.VfMailbox;
import dev.wirespeed.emulator.regs.VfRegisterMap;
import dev.wirespeed.emulator.time.DeviceClock;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;

import static dev.wirespeed.emulator.mailbox.MessageIds.CTS;
import static dev.wirespeed.emulator.mailbox.MessageIds.FAILURE;
import static dev.wirespeed.emulator.mailbox.MessageIds.ID_MASK;
import static dev.wirespeed.emulator.mailbox.MessageIds.PF_CONTROL;
import static dev.wirespeed.emulator.mailbox.MessageIds.SUCCESS;
import static dev.wirespeed.emulator.mailbox.MessageIds.VF_RESET;

/**
 * An emulated 82599-family physical function as its VFs see it: the far end of their mailboxes, the
 * administrator's per-VF settings ({@code ip link set … vf N …}), the physical link, PF down/up and
 * malicious-driver events. It owns its VFs ({@link #vf(int)}), each a {@link dev.wirespeed.core.device.PciFunction}.
 * Its software is one of three {@link PfPersonality personalities}; the messages' rules are in
 * {@link LinuxPfRules} and {@link DpdkPfRules}.
 *
 * <p>The PF answers on its own time: a VF's REQ, ACK or reset only latches an event ({@link VfInbox}), and
 * the PF handles it {@link PfConfig#pfLatencyNanos the PF's latency} later on the device clock's timer,
 * never inside the VF's register write. Administrator actions and faults act at once (they are the PF's
 * own actions).
 *
 * <p>One lock guards the PF model and every VF's mailbox: mailbox traffic is control-plane, and a single
 * lock keeps admin actions (which touch several VFs) free of lock-order problems. The interrupt units
 * have their own locks, always taken after this one. Device threads take it only to copy a new
 * {@link VfFilter} and never wait on the PF otherwise; what they report (DMA faults, MDD) is handed over
 * through the inbox.
 */
public final class EmulatedPf implements AutoCloseable {
    private final Object lock = new Object();
    private final PfPersonality personality;
    private final Flavour flavour;
    private final Set<ApiVersion> acceptedApis;
    private final int queuesPerPool;
    private final int trafficClasses;
    private final int defaultQueue;
    private final int multicastFilterType;
    private final boolean pfPortConfigured;
    private final boolean mddEnabled;
    private final long pfLatencyNanos;
    private final byte[] rssKey;
    private final int[] reta;
    private final VlanFilterTable vlanTable;
    private final MulticastTable multicastTable = new MulticastTable();
    private final int macvlanCapacity;
    private final PciAddress address;
    private final VfState[] states;
    private final VfInbox[] inboxes;
    private final EmulatedVf[] vfs;
    private final PfRules rules;
    private int pfMtu;
    private boolean pfPromiscuous;
    private int maxFrameSize;
    private boolean linkUp;
    private LinkSpeed linkSpeed;
    private boolean resetting;
    private int macvlansUsed;
    private long requestsDuringReset;
    private long requestsLost;
    private long pingsLost;
    private volatile int filterVersion;
    private long dmaFaults;
    private String lastDmaFault;

    public EmulatedPf(PfConfig config) {
        Objects.requireNonNull(config, "config");
        personality = config.personality;
        flavour = config.flavour;
        config.linkSpeed.linksBits(flavour);
        if (personality == PfPersonality.DPDK && config.multicastFilterType != 0) {
            throw new IllegalArgumentException("DPDK's PF always reports multicast filter type 0 (ixgbe_pf_host_init); got "
                    + config.multicastFilterType);
        }
        acceptedApis = Set.copyOf(config.effectiveAcceptedApis());
        queuesPerPool = config.effectiveQueuesPerPool();
        trafficClasses = config.trafficClasses;
        defaultQueue = config.defaultQueue;
        multicastFilterType = config.multicastFilterType;
        pfPortConfigured = config.pfPortConfigured;
        mddEnabled = personality.enablesMdd(flavour);
        pfLatencyNanos = config.pfLatencyNanos;
        rssKey = config.effectiveRssKey();
        reta = config.effectiveReta();
        vlanTable = new VlanFilterTable(config.vlanFilterCapacity);
        macvlanCapacity = config.effectiveMacvlanCapacity();
        address = config.pfAddress;
        pfMtu = config.pfMtu;
        pfPromiscuous = config.pfPromiscuous;
        maxFrameSize = config.pfMtu + 18;
        linkUp = config.linkUp;
        linkSpeed = config.linkSpeed;
        states = new VfState[config.vfCount];
        inboxes = new VfInbox[config.vfCount];
        vfs = new EmulatedVf[config.vfCount];
        rules = PfRules.of(this);
        for (int i = 0; i < states.length; i++) {
            final int index = i;
            states[i] = new VfState(i, personality.spoofCheckByDefault());
            if (personality == PfPersonality.DPDK) {
                states[i].mac = randomLocalMac(); // ixgbe_vf_perm_addr_gen: rte_eth_random_addr per VF
            }
            inboxes[i] = new VfInbox(config.clock, () -> serve(index));
            vfs[i] = new EmulatedVf(vfAddress(address, i), flavour, config.clock, lock, this::linksRegister, () -> vfResetRequested(index));
            vfs[i].mailbox().connect(new Endpoint(index));
            vfs[i].registers().onMaliciousDriver(queue -> maliciousDriverEvent(index));
            if (config.postedWriteNanos >= 0) {
                vfs[i].registers().postWrites(config.clock, config.postedWriteNanos);
            }
        }
    }

    /** VF n's address: routing id = PF's + 0x80 + 2n, the 82599's VF offset and stride [?]. */
    static PciAddress vfAddress(PciAddress pf, int n) {
        int rid = (pf.bus() << 8 | pf.device() << 3 | pf.function()) + 0x80 + 2 * n;
        return new PciAddress(pf.domain(), (rid >>> 8) & 0xFF, (rid >>> 3) & 0x1F, rid & 7);
    }

    private static MacAddress randomLocalMac() {
        long v = RandomGenerator.getDefault().nextLong() & 0xFFFF_FFFF_FFFFL;
        v = (v & ~(1L << 40)) | (1L << 41); // unicast, locally administered (first octet bits 0 and 1)
        return new MacAddress(v);
    }

    public EmulatedVf vf(int n) {
        checkVf(n);
        return vfs[n];
    }

    public int vfCount() {
        return vfs.length;
    }

    public Flavour flavour() {
        return flavour;
    }

    public PfPersonality personality() {
        return personality;
    }

    public PciAddress address() {
        return address;
    }

    // ---- the mailbox endpoint of one VF: events are latched, the PF handles them on its own time

    private final class Endpoint implements MailboxPeer {
        private final int index;

        Endpoint(int index) {
            this.index = index;
        }

        @Override
        public void requestArrived(VfMailbox mailbox) {
            inboxes[index].request = true;
            inboxes[index].post(pfLatencyNanos);
        }

        @Override
        public void vfAcknowledged(VfMailbox mailbox) {
            inboxes[index].ack = true;
            inboxes[index].post(pfLatencyNanos);
        }
    }

    /** The PF's interrupt handler for one VF, in ixgbe_msg_task's order: MDD, reset, request, ACK. */
    private void serve(int index) {
        synchronized (lock) {
            VfInbox in = inboxes[index];
            in.taken();
            VfState s = states[index];
            VfMailbox mailbox = vfs[index].mailbox();
            if (in.takeMdd()) {
                onMaliciousDriver(s, mailbox);
            }
            if (in.resetEvent && !resetting) { // a PF that is down looks at VFLRE when it is up again
                in.resetEvent = false;
                rules.resetEvent(s);
            }
            if (in.request) {
                in.request = false;
                onRequest(s, mailbox);
            }
            if (in.ack) {
                in.ack = false;
                onAck(s, mailbox);
            }
            filterVersion++;
        }
    }

    private void onRequest(VfState vf, VfMailbox mailbox) {
        if (!mailbox.requestPending()) {
            return;
        }
        if (resetting) {
            requestsDuringReset++; // the PF driver is down: nobody reads the mailbox (facts §8.1)
            return;
        }
        MailboxFault fault = vf.faults.poll();
        if (fault == MailboxFault.IGNORE_REQUEST) {
            return;
        }
        if (mailbox.vfHoldsLock()) {
            requestsLost++; // the PF takes PFU once and gives up (facts §3.1); REQ stays set, no PFACK
            return;
        }
        int[] msg = mailbox.pfReadBuffer();
        mailbox.pfAcknowledge();
        if ((msg[0] & (SUCCESS | FAILURE)) != 0) {
            return; // already a reply: both PFs ignore it (facts §3.2)
        }
        vf.requestsHandled++;
        int words = rules.request(vf, msg);
        if ((msg[0] & FAILURE) != 0 && msg[0] != (VF_RESET | FAILURE)) {
            vf.requestsNacked++; // a VF_RESET reply's NACK only says "no MAC assigned"
        }
        if (words == 0 || fault == MailboxFault.DROP_REPLY) {
            return;
        }
        if (fault == MailboxFault.MALFORMED_REPLY) {
            msg[0] |= ID_MASK;
        }
        if (!mailbox.pfSend(Arrays.copyOf(msg, words))) {
            pingsLost++;
        }
    }

    /**
     * ixgbe_rcv_ack_from_vf (Linux and DPDK alike): a VF that is not clear to send and acknowledges a PF
     * message is answered with a bare NACK, no CTS, so it knows it must reset.
     */
    private void onAck(VfState vf, VfMailbox mailbox) {
        if (resetting || vf.clearToSend) {
            return;
        }
        vf.nacksOnAck++;
        if (!mailbox.pfSend(new int[]{FAILURE})) {
            pingsLost++;
        }
    }

    /**
     * Linux ixgbe_check_mdd_event (X550, 2025): the hardware has blocked the VF's queue; the PF logs it,
     * releases the block (ixgbe_restore_mdd_vf_x550, WQBR write-1-to-clear), takes clear-to-send away and
     * pings with CTS set, so that the VF's ACK of the ping draws the NACK that tells it to rebuild its
     * queues. The PF neither resets the VF nor disables its queues. The emulator leaves the queue stopped
     * (ENABLE reads 0) until the VF enables it again [? what the chip does with a released queue's ring].
     */
    private void onMaliciousDriver(VfState vf, VfMailbox mailbox) {
        if (resetting) {
            return;
        }
        vf.mddEvents++;
        vf.clearToSend = false;
        if (!mailbox.pfSend(new int[]{PF_CONTROL | CTS})) {
            pingsLost++;
        }
    }

    /** Called on a device thread by the register file when MDD stopped a queue: latched, without the PF lock. */
    private void maliciousDriverEvent(int index) {
        if (mddEnabled) {
            inboxes[index].latchMdd(pfLatencyNanos);
        }
    }

    // ---- VF reset (VFCTRL.RST) and the PF's reset event

    /**
     * VFCTRL.RST: the hardware part happens now (registers, mailbox, the VF's rx/tx switched off [?],
     * RSTD unless the PF is itself resetting); the PF learns of it through VFLRE and runs its reset event on
     * its own time. Clear-to-send is not touched by either PF's reset event.
     */
    private void vfResetRequested(int index) {
        synchronized (lock) {
            EmulatedVf vf = vfs[index];
            vf.registers().resetRegisters();
            vf.mailbox().vfReset();
            inboxes[index].vfReset();
            states[index].rxEnabled = false;
            states[index].txEnabled = false;
            inboxes[index].resetEvent = true;
            inboxes[index].post(pfLatencyNanos);
            if (!resetting) {
                vf.mailbox().pfResetDone(); // RSTD: the VF may now send VF_RESET (facts §3.4 step 4)
            }
            filterVersion++;
        }
    }

    // ---- helpers for the rules (under the lock)

    /** VFRE/VFTE from the VF's link enable and, on the 82599, the PF's MTU (ixgbe_set_vf_rx_tx; facts §8.1, §8.2). */
    void setRxTx(VfState vf) {
        boolean enable = linkEnabled(vf);
        vf.txEnabled = enable;
        vf.rxEnabled = enable && !(flavour.hasSharedMaxFrame() && pfMtu + PfRules.ETH_HLEN > PfRules.ETH_FRAME_LEN);
    }

    /** Linux ≥ 5.18 link_enable: AUTO follows the PF being up, DISABLE is off; without the setting, always on. */
    boolean linkEnabled(VfState vf) {
        if (!personality.hasAdminLinkState()) {
            return true;
        }
        return switch (vf.linkState) {
            case DISABLE -> false;
            case ENABLE -> true;
            case AUTO -> !resetting;
        };
    }

    void clearHeadWriteBack(VfState vf) {
        for (int q = 0; q < VfRegisterMap.QUEUE_COUNT; q++) {
            vfs[vf.index].registers().queue(q).clearHeadWriteBack();
        }
    }

    /** Linux ixgbe_set_rx_mode → ixgbe_restore_vf_multicasts: the MTA rebuilt, each VF's ROMPE = it has hashes. */
    void resyncMulticast() {
        multicastTable.rebuild(states);
        for (VfState s : states) {
            s.hashMulticast = !s.multicastHashes.isEmpty();
        }
    }

    /** DPDK: the MACVLAN entries each VF owns after a change to the shared entries. */
    void setMacvlans(Map<Integer, List<MacAddress>> byVf) {
        for (VfState s : states) {
            s.macvlans.clear();
            s.macvlans.addAll(byVf.getOrDefault(s.index, List.of()));
        }
    }

    int multicastFilterType() {
        return multicastFilterType;
    }

    MulticastTable multicastTable() {
        return multicastTable;
    }

    int trafficClasses() {
        return trafficClasses;
    }

    int queuesPerPool() {
        return queuesPerPool;
    }

    int defaultQueue() {
        return defaultQueue;
    }

    boolean pfPortConfigured() {
        return pfPortConfigured;
    }

    boolean mddEnabled() {
        return mddEnabled;
    }

    Set<ApiVersion> acceptedApis() {
        return acceptedApis;
    }

    int pfMtu() {
        return pfMtu;
    }

    boolean pfPromiscuous() {
        return pfPromiscuous;
    }

    VlanFilterTable vlanTable() {
        return vlanTable;
    }

    int[] reta() {
        return reta;
    }

    byte[] rssKey() {
        return rssKey;
    }

    void raiseMaxFrame(int frame) {
        maxFrameSize = Math.max(maxFrameSize, frame);
    }

    boolean takeMacvlan() {
        if (macvlansUsed >= macvlanCapacity) {
            return false;
        }
        macvlansUsed++;
        return true;
    }

    void releaseMacvlans(int n) {
        macvlansUsed -= n;
    }

    // ---- link

    private int linksRegister() {
        synchronized (lock) {
            return linkUp ? VfRegisterMap.LINKS_UP | linkSpeed.linksBits(flavour) : 0;
        }
    }

    /**
     * Physical link change: VFLINKS follows. Linux pings every VF (with CTS if it is clear to send) from
     * ixgbe_watchdog_link_is_up/down (facts §3.6); DPDK's PF pings nobody.
     */
    public void setLink(boolean up, LinkSpeed speed) {
        speed.linksBits(flavour);
        synchronized (lock) {
            linkUp = up;
            linkSpeed = speed;
            if (personality.pingsOnLinkChange()) {
                for (VfState s : states) {
                    ping(s);
                }
            }
        }
    }

    public void setLink(boolean up) {
        synchronized (lock) {
            setLink(up, linkSpeed);
        }
    }

    // ---- PF → VF messages

    /**
     * Sends the control message (0x100, plus CTS if the VF is clear to send), as Linux's ixgbe_ping_vf or
     * DPDK's rte_pmd_ixgbe_ping_vf do; false if the VF held the mailbox lock and the ping was lost.
     */
    public boolean ping(int vf) {
        checkVf(vf);
        synchronized (lock) {
            return ping(states[vf]);
        }
    }

    private boolean ping(VfState s) {
        boolean sent = vfs[s.index].mailbox().pfSend(new int[]{PF_CONTROL | (s.clearToSend ? CTS : 0)});
        if (!sent) {
            pingsLost++;
        }
        return sent;
    }

    // ---- administrator settings (ip link set <pf> vf N ..., or DPDK's rte_pmd_ixgbe_* calls)

    /**
     * Assigns a MAC ({@code null} or zero removes the assignment). Linux's ixgbe_ndo_set_vf_mac programs the
     * filter and marks the MAC administrative; it neither takes clear-to-send away nor pings, so the VF
     * learns the MAC at its next VF_RESET (facts §3.6). DPDK's rte_pmd_ixgbe_set_vf_mac_addr likewise, and it
     * refuses a zero MAC.
     */
    public void setVfMac(int vf, MacAddress mac) {
        checkVf(vf);
        if (mac != null && !mac.isZero() && !MacWords.isStation(mac)) {
            throw new IllegalArgumentException("VF " + vf + ": " + mac + " is a multicast address and cannot be a station MAC");
        }
        boolean assign = mac != null && !mac.isZero();
        if (!assign && personality == PfPersonality.DPDK) {
            throw new IllegalArgumentException("VF " + vf + ": DPDK's rte_pmd_ixgbe_set_vf_mac_addr takes only a valid unicast MAC");
        }
        synchronized (lock) {
            VfState s = states[vf];
            if (assign) {
                s.adminMac = mac;
                s.mac = mac;
            } else if (!s.mac.isZero()) {
                s.adminMac = null;
                s.mac = MacAddress.ZERO;
            }
            filterVersion++;
        }
    }

    /** Trust lets a VF change an assigned MAC and use allmulti/promiscuous modes. A change drops CTS and pings (Linux). */
    public void setVfTrust(int vf, boolean trusted) {
        checkVf(vf);
        synchronized (lock) {
            VfState s = states[vf];
            if (s.trusted == trusted) {
                return; // ixgbe_ndo_set_vf_trust: "nothing to do"
            }
            unsupportedUnless(personality.hasTrust(), vf, "trust", "DPDK's PF has no trust setting: every VF gets every xcast mode");
            s.trusted = trusted;
            s.clearToSend = false;
            ping(s);
            filterVersion++;
        }
    }

    /** MAC and VLAN anti-spoofing on transmit (facts §8.5): on by default under Linux, off under DPDK. */
    public void setVfSpoofCheck(int vf, boolean on) {
        checkVf(vf);
        synchronized (lock) {
            VfState s = states[vf];
            s.spoofCheck = on;
            s.macAntiSpoof = on;
            s.vlanAntiSpoof = on;
            filterVersion++;
        }
    }

    /**
     * A port VLAN (0 removes it), Linux's ixgbe_ndo_set_vf_vlan: the PF tags the VF's traffic (VMVIR), adds
     * the VLAN to the VF's filter and revokes VLAN 0; untagged frames are no longer accepted (VMOLR.AUPE
     * off, ixgbe_set_vmolr) and the VF may not configure VLANs. The VF's own VLANs stay until its next reset.
     * Removing it gives VLAN 0 and untagged frames back. Neither pings.
     */
    public void setVfPortVlan(int vf, int vlan, int qos) {
        checkVf(vf);
        if (vlan < 0 || vlan > 4095 || qos < 0 || qos > 7) {
            throw new IllegalArgumentException("VF " + vf + ": port VLAN " + vlan + " qos " + qos + " out of range (VLAN 0..4095, qos 0..7)");
        }
        synchronized (lock) {
            VfState s = states[vf];
            if (vlan == 0 && qos == 0 && s.portVlan == 0 && s.portQos == 0) {
                return;
            }
            unsupportedUnless(personality.hasPortVlan(), vf, "port VLAN",
                    "DPDK's PF clears the VLAN it inserts (VMVIR) at every VF reset (ixgbe_vf_reset_event)");
            if (s.portVlan != 0) { // ixgbe_disable_port_vlan
                vlanTable.remove(vf, s.portVlan);
                s.vlans.remove(s.portVlan);
                if (vlanTable.add(vf, 0)) {
                    s.vlans.add(0);
                }
                s.untagged = true;
            }
            s.portVlan = 0;
            s.portQos = 0;
            if (vlan != 0 || qos != 0) { // ixgbe_enable_port_vlan
                if (!vlanTable.add(vf, vlan)) {
                    throw new IllegalStateException("VF " + vf + ": no VLAN filter entry left for port VLAN " + vlan);
                }
                s.vlans.add(vlan);
                if (vlan != 0) {
                    vlanTable.remove(vf, 0);
                    s.vlans.remove(0);
                }
                s.untagged = false;
                s.portVlan = vlan;
                s.portQos = qos;
            }
            filterVersion++;
        }
    }

    /**
     * Administrative link state, Linux ≥ 5.18 ixgbe_ndo_set_vf_link_state: DISABLE and AUTO store the state,
     * set VFRE/VFTE from it, take clear-to-send away and ping; ENABLE is "not supported" and changes
     * nothing. Setting the state the VF already has does nothing here (the emulator's device setup applies
     * the configured state unconditionally; Linux would ping even then). Older Linux and DPDK have no
     * such setting.
     */
    public void setVfLinkState(int vf, LinkState state) {
        checkVf(vf);
        Objects.requireNonNull(state, "state");
        synchronized (lock) {
            VfState s = states[vf];
            if (s.linkState == state) {
                return;
            }
            unsupportedUnless(personality.hasAdminLinkState(), vf, "link state",
                    personality == PfPersonality.DPDK ? "DPDK's PF has no VF link state"
                            : "Linux PFs before 5.18 have no ndo_set_vf_link_state");
            if (state == LinkState.ENABLE) {
                return; // "NDO set VF link state - not supported"
            }
            s.linkState = state;
            setRxTx(s);
            s.clearToSend = false;
            ping(s);
            filterVersion++;
        }
    }

    /** Lets the VF read the RSS key and table (GET_RSS_KEY, GET_RETA): Linux, 82599 and X540 only. */
    public void setVfQueryRss(int vf, boolean on) {
        checkVf(vf);
        synchronized (lock) {
            if (on == states[vf].queryRss) {
                return;
            }
            unsupportedUnless(personality.hasQueryRss(), vf, "query_rss", "DPDK's PF does not answer GET_RETA or GET_RSS_KEY");
            unsupportedUnless(!on || !flavour.isX550Family(), vf, "query_rss",
                    "ixgbe_ndo_set_vf_rss_query_en supports only 82599 and X540 (the X550 VF has RSS registers of its own)");
            states[vf].queryRss = on;
        }
    }

    private void unsupportedUnless(boolean supported, int vf, String setting, String why) {
        if (!supported) {
            throw new UnsupportedOperationException("VF " + vf + ": a " + personality.key() + " PF cannot change '" + setting + "': " + why);
        }
    }

    public void setPfPromiscuous(boolean on) {
        synchronized (lock) {
            pfPromiscuous = on;
            filterVersion++;
        }
    }

    public void setPfMtu(int mtu) {
        if (mtu < 68 || mtu > 9710) {
            throw new IllegalArgumentException("PF MTU " + mtu + " out of range 68..9710");
        }
        synchronized (lock) {
            pfMtu = mtu;
            raiseMaxFrame(mtu + 18);
        }
    }

    // ---- faults: PF down and up

    /**
     * PF down (the pf-reset fault begins): every VF loses clear-to-send and has rx/tx switched off. Linux
     * pings each VF without CTS first (ixgbe_down: ixgbe_ping_all_vfs before 5.18, ixgbe_set_all_vfs
     * after); DPDK's dev_stop pings nobody. Then the device reset: RSTI, requests go unanswered, and the VF
     * statistics registers start again from 0 [inference: Linux re-baselines them after its own reset,
     * ixgbe_clear_vf_stats_counters].
     */
    public void beginReset() {
        synchronized (lock) {
            resetting = true;
            for (int i = 0; i < states.length; i++) {
                states[i].clearToSend = false;
                states[i].rxEnabled = false;
                states[i].txEnabled = false;
                if (personality.pingsWhenGoingDown()) {
                    ping(states[i]);
                }
                vfs[i].mailbox().pfResetStarted();
                vfs[i].registers().statistics().clear();
            }
            filterVersion++;
        }
    }

    /**
     * PF up (the pf-reset fault ends): RSTI clears and RSTD is set for every VF (PFRSTD). Linux ≥ 5.18 then
     * runs ixgbe_set_all_vfs: VFRE/VFTE follow each VF's link state, clear-to-send is dropped (again) and the
     * VF is pinged without CTS. Older Linux and DPDK do nothing more: the VF finds out from RSTD or from a
     * NACK.
     */
    public void completeReset() {
        synchronized (lock) {
            resetting = false;
            for (int i = 0; i < states.length; i++) {
                vfs[i].mailbox().pfResetDone();
                if (personality.resyncsVfsWhenUp()) {
                    setRxTx(states[i]);
                    states[i].clearToSend = false;
                    ping(states[i]);
                }
                if (inboxes[i].resetEvent) {
                    inboxes[i].post(pfLatencyNanos); // a VF reset seen while the PF was down
                }
            }
            filterVersion++;
        }
    }

    /** The next request from VF {@code vf} meets {@code fault}; faults queue up in order. */
    public void injectMailboxFault(int vf, MailboxFault fault) {
        checkVf(vf);
        Objects.requireNonNull(fault, "fault");
        synchronized (lock) {
            states[vf].faults.add(fault);
        }
    }

    // ---- the DMA engine's view

    /** Changes whenever anything the DMA engine's filters depend on may have changed. */
    public int filterVersion() {
        return filterVersion;
    }

    /** The switching state of VF {@code vf}, for the DMA engine. */
    public VfFilter filter(int vf) {
        checkVf(vf);
        synchronized (lock) {
            return new VfFilter(states[vf], this);
        }
    }

    /**
     * A DMA engine hit an address outside the VF's memory (a master abort on hardware). As the Linux PF
     * does on 82599 (facts §8.10, ixgbe_check_for_bad_vf → pcie_flr), the VF is reset: its queues stop and
     * it sees RSTD; the PF's reset event follows on its own time.
     */
    public void reportDmaFault(int vf, String reason) {
        checkVf(vf);
        synchronized (lock) {
            dmaFaults++;
            lastDmaFault = "VF " + vf + ": " + reason;
            vfResetRequested(vf);
        }
    }

    public long dmaFaults() {
        synchronized (lock) {
            return dmaFaults;
        }
    }

    public String lastDmaFault() {
        synchronized (lock) {
            return lastDmaFault;
        }
    }

    // ---- observation

    public VfSnapshot vfState(int vf) {
        checkVf(vf);
        synchronized (lock) {
            return states[vf].snapshot();
        }
    }

    /** The port's max frame size (MAXFRS): the largest of the PF's and every VF's SET_LPE, CRC included. */
    public int maxFrameSize() {
        synchronized (lock) {
            return maxFrameSize;
        }
    }

    public long requestsDuringReset() {
        synchronized (lock) {
            return requestsDuringReset;
        }
    }

    /** Requests the PF could not read because the VF held the mailbox lock when it looked. */
    public long requestsLost() {
        synchronized (lock) {
            return requestsLost;
        }
    }

    /** PF messages (pings, replies, NACKs) lost because the VF held the mailbox lock. */
    public long pingsLost() {
        synchronized (lock) {
            return pingsLost;
        }
    }

    public int macvlansUsed() {
        synchronized (lock) {
            return macvlansUsed;
        }
    }

    /** How long after a VF's event the PF handles it. */
    public long pfLatencyNanos() {
        return pfLatencyNanos;
    }

    private void checkVf(int n) {
        if (n < 0 || n >= vfs.length) {
            throw new IllegalArgumentException("VF " + n + " does not exist: this PF has VFs 0.." + (vfs.length - 1));
        }
    }

    @Override
    public void close() {
        for (EmulatedVf vf : vfs) {
            vf.close();
        }
    }
}
