/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.pf;

import dev.wirespeed.core.pci.PciAddress;
import dev.wirespeed.emulator.EmulatedVf;
import dev.wirespeed.emulator.Flavour;
import dev.wirespeed.emulator.LinkSpeed;
import dev.wirespeed.core.packet.MacAddress;
import dev.wirespeed.emulator.mailbox.MacWords;
import dev.wirespeed.emulator.mailbox.ApiVersion;
import dev.wirespeed.emulator.mailbox.MailboxPeer;
import dev.wirespeed.emulator.mailbox.VfMailbox;
import dev.wirespeed.emulator.regs.VfRegisterMap;

import java.util.Objects;
import java.util.Set;

import static dev.wirespeed.emulator.mailbox.MessageIds.CTS;
import static dev.wirespeed.emulator.mailbox.MessageIds.FAILURE;
import static dev.wirespeed.emulator.mailbox.MessageIds.ID_MASK;
import static dev.wirespeed.emulator.mailbox.MessageIds.PF_CONTROL;
import static dev.wirespeed.emulator.mailbox.MessageIds.SUCCESS;
import static dev.wirespeed.emulator.mailbox.MessageIds.VF_RESET;

/**
 * An emulated 82599-family physical function as its VFs see it: the far end of their mailboxes,
 * the administrator's per-VF settings ({@code ip link set … vf N …}), the physical link, and PF resets.
 * It owns its VFs ({@link #vf(int)}), each a {@link dev.wirespeed.core.device.PciFunction}.
 *
 * <p>One lock guards the PF model and every VF's mailbox: mailbox traffic is control-plane, and a single
 * lock keeps admin actions (which touch several VFs) free of lock-order problems. The interrupt units
 * have their own locks, always taken after this one.
 */
public final class EmulatedPf implements AutoCloseable {
    private final Object lock = new Object();
    private final Flavour flavour;
    private final Set<ApiVersion> acceptedApis;
    private final int queuesPerPool;
    private final int trafficClasses;
    private final int multicastFilterType;
    private final byte[] rssKey;
    private final int[] reta;
    private final VlanFilterTable vlanTable;
    private final int macvlanCapacity;
    private final PciAddress address;
    private final VfState[] states;
    private final EmulatedVf[] vfs;
    private final PfMessageHandler handler = new PfMessageHandler(this);
    private int pfMtu;
    private boolean pfPromiscuous;
    private int maxFrameSize;
    private boolean linkUp;
    private LinkSpeed linkSpeed;
    private boolean resetting;
    private int macvlansUsed;
    private long requestsDuringReset;
    private long pingsLost;
    private volatile int filterVersion;
    private long dmaFaults;
    private String lastDmaFault;

    public EmulatedPf(PfConfig config) {
        Objects.requireNonNull(config, "config");
        flavour = config.flavour;
        config.linkSpeed.linksBits(flavour);
        acceptedApis = Set.copyOf(config.acceptedApis);
        queuesPerPool = config.effectiveQueuesPerPool();
        trafficClasses = config.trafficClasses;
        multicastFilterType = config.multicastFilterType;
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
        vfs = new EmulatedVf[config.vfCount];
        for (int i = 0; i < states.length; i++) {
            final int index = i;
            states[i] = new VfState(i);
            vfs[i] = new EmulatedVf(vfAddress(address, i), flavour, config.clock, lock, () -> linksRegister(), () -> vfResetRequested(index));
            vfs[i].mailbox().connect(new Endpoint(index));
        }
    }

    /** VF n's address: routing id = PF's + 0x80 + 2n, the 82599's VF offset and stride [?]. */
    static PciAddress vfAddress(PciAddress pf, int n) {
        int rid = (pf.bus() << 8 | pf.device() << 3 | pf.function()) + 0x80 + 2 * n;
        return new PciAddress(pf.domain(), (rid >>> 8) & 0xFF, (rid >>> 3) & 0x1F, rid & 7);
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

    public PciAddress address() {
        return address;
    }

    // ---- the mailbox endpoint of one VF

    private final class Endpoint implements MailboxPeer {
        private final int index;

        Endpoint(int index) {
            this.index = index;
        }

        @Override
        public void requestArrived(VfMailbox mailbox) {
            onRequest(states[index], mailbox);
            filterVersion++;
        }

        @Override
        public void vfAcknowledged(VfMailbox mailbox) {
            // the PF waits for nothing after a reply or ping; an ACK only frees the VF's side
        }
    }

    private void onRequest(VfState vf, VfMailbox mailbox) {
        if (resetting) {
            requestsDuringReset++; // the PF driver is down: nobody reads the mailbox (facts §8.1)
            return;
        }
        MailboxFault fault = vf.faults.poll();
        if (fault == MailboxFault.IGNORE_REQUEST) {
            return;
        }
        int[] msg = mailbox.pfReadBuffer();
        mailbox.pfAcknowledge();
        if ((msg[0] & (SUCCESS | FAILURE)) != 0) {
            return; // already a reply: the PF ignores it (facts §3.2)
        }
        vf.requestsHandled++;
        if ((msg[0] & ID_MASK) == VF_RESET) {
            handler.reset(vf, msg);
        } else if (!vf.clearToSend) {
            msg[0] |= FAILURE; // nothing but VF_RESET until the VF has reset (facts §3.2, §8.1)
            vf.requestsNacked++;
        } else {
            boolean ok = handler.handle(vf, msg);
            msg[0] |= (ok ? SUCCESS : FAILURE) | CTS;
            if (!ok) {
                vf.requestsNacked++;
            }
        }
        if (fault == MailboxFault.DROP_REPLY) {
            return;
        }
        if (fault == MailboxFault.MALFORMED_REPLY) {
            msg[0] |= ID_MASK;
        }
        mailbox.pfSend(msg);
    }

    // ---- VF reset (VFCTRL.RST) and the PF's reset event

    private void vfResetRequested(int index) {
        synchronized (lock) {
            EmulatedVf vf = vfs[index];
            vf.registers().resetRegisters();
            vf.mailbox().vfReset();
            vfResetEvent(states[index]);
            states[index].rxEnabled = false;
            states[index].txEnabled = false;
            if (!resetting) {
                vf.mailbox().pfResetDone(); // RSTD: the VF may now send VF_RESET (facts §3.4 step 4)
            }
            filterVersion++;
        }
    }

    /** What the PF does when it learns a VF reset: its filters go, its API drops to 1.0, it is no longer clear to send. */
    void vfResetEvent(VfState vf) {
        vlanTable.removeAll(vf.index);
        releaseMacvlans(vf.macvlans.size());
        vf.clearFilters();
        if (vf.portVlan != 0) {
            vlanTable.add(vf.index, vf.portVlan);
        }
        vf.clearToSend = false;
    }

    /** VFRE/VFTE after VF_RESET: on unless the link is administratively disabled; rx off on an 82599 with a jumbo PF (facts §8.1, §8.2). */
    void enableRxTxAfterReset(VfState vf) {
        boolean enable = vf.linkState.enabled();
        vf.txEnabled = enable;
        vf.rxEnabled = enable && !(flavour.hasSharedMaxFrame() && pfMtu + 14 > 1514);
    }

    void clearHeadWriteBack(VfState vf) {
        for (int q = 0; q < VfRegisterMap.QUEUE_COUNT; q++) {
            vfs[vf.index].registers().queue(q).clearHeadWriteBack();
        }
    }

    // ---- helpers for the message handler (under the lock)

    int multicastFilterType() {
        return multicastFilterType;
    }

    int trafficClasses() {
        return trafficClasses;
    }

    int queuesPerPool() {
        return queuesPerPool;
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

    /** Physical link change: VFLINKS follows, and every VF is pinged (with CTS if it is clear to send), as the Linux PF does (facts §3.6). */
    public void setLink(boolean up, LinkSpeed speed) {
        speed.linksBits(flavour);
        synchronized (lock) {
            linkUp = up;
            linkSpeed = speed;
            for (VfState s : states) {
                ping(s);
            }
        }
    }

    public void setLink(boolean up) {
        synchronized (lock) {
            setLink(up, linkSpeed);
        }
    }

    // ---- PF → VF messages

    /** Sends the control message (0x100, plus CTS if the VF is clear to send); false if the VF held the mailbox lock and the ping was lost. */
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

    // ---- administrator settings (ip link set <pf> vf N ...)

    /** Assigns a MAC ({@code null} or zero removes the assignment). The VF loses CTS and is pinged: it must reset (facts §3.6). */
    public void setVfMac(int vf, MacAddress mac) {
        checkVf(vf);
        if (mac != null && !mac.isZero() && !MacWords.isStation(mac)) {
            throw new IllegalArgumentException("VF " + vf + ": " + mac + " is a multicast address and cannot be a station MAC");
        }
        synchronized (lock) {
            VfState s = states[vf];
            boolean assign = mac != null && !mac.isZero();
            s.adminMac = assign ? mac : null;
            s.mac = assign ? mac : MacAddress.ZERO;
            s.clearToSend = false;
            ping(s);
            filterVersion++;
        }
    }

    /** Trust lets a VF change an assigned MAC and use allmulti/promiscuous modes. The VF loses CTS and is pinged. */
    public void setVfTrust(int vf, boolean trusted) {
        checkVf(vf);
        synchronized (lock) {
            VfState s = states[vf];
            if (s.trusted != trusted) {
                s.trusted = trusted;
                s.clearToSend = false;
                ping(s);
            }
            filterVersion++;
        }
    }

    /** MAC and VLAN anti-spoofing on transmit (on by default, facts §8.5). */
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

    /** A port VLAN (0 removes it): the VF's traffic is tagged by the PF and the VF may not configure VLANs itself. */
    public void setVfPortVlan(int vf, int vlan, int qos) {
        checkVf(vf);
        if (vlan < 0 || vlan > 4095 || qos < 0 || qos > 7) {
            throw new IllegalArgumentException("VF " + vf + ": port VLAN " + vlan + " qos " + qos + " out of range (VLAN 0..4095, qos 0..7)");
        }
        synchronized (lock) {
            VfState s = states[vf];
            vlanTable.removeAll(vf);
            s.vlans.clear();
            s.portVlan = vlan;
            s.portQos = vlan == 0 ? 0 : qos;
            if (vlan != 0) {
                vlanTable.add(vf, vlan);
                s.vlans.add(vlan);
            }
            filterVersion++;
        }
    }

    /** Administrative link state; DISABLE switches the VF's rx and tx off at once. The VF loses CTS and is pinged. */
    public void setVfLinkState(int vf, LinkState state) {
        checkVf(vf);
        Objects.requireNonNull(state, "state");
        synchronized (lock) {
            VfState s = states[vf];
            s.linkState = state;
            if (!state.enabled()) {
                s.rxEnabled = false;
                s.txEnabled = false;
            }
            s.clearToSend = false;
            ping(s);
            filterVersion++;
        }
    }

    /** Lets the VF read the RSS key and table (GET_RSS_KEY, GET_RETA). */
    public void setVfQueryRss(int vf, boolean on) {
        checkVf(vf);
        synchronized (lock) {
            states[vf].queryRss = on;
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

    // ---- faults

    /** PF reset begins: every VF sees RSTI, loses CTS and has rx/tx switched off; requests go unanswered. */
    public void beginReset() {
        synchronized (lock) {
            resetting = true;
            for (int i = 0; i < states.length; i++) {
                states[i].clearToSend = false;
                states[i].rxEnabled = false;
                states[i].txEnabled = false;
                vfs[i].mailbox().pfResetStarted();
            }
            filterVersion++;
        }
    }

    /** PF reset ends: RSTI clears and RSTD is set for every VF, which must now reset itself (facts §3.6). */
    public void completeReset() {
        synchronized (lock) {
            resetting = false;
            for (EmulatedVf vf : vfs) {
                vf.mailbox().pfResetDone();
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
            return new VfFilter(states[vf], multicastFilterType, rssKey, reta);
        }
    }

    /**
     * A DMA engine hit an address outside the VF's memory (a master abort on hardware). As the Linux PF
     * does on 82599 (facts §8.10), the PF resets the VF: its queues stop, it loses CTS and sees RSTD.
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
