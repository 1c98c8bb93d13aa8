/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.pf;

import dev.wirespeed.core.packet.MacAddress;
import dev.wirespeed.emulator.mailbox.ApiVersion;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What the PF knows about one of its VFs: the administrator's settings, the state the VF negotiated over
 * the mailbox, and the VF's pool receive options as the PF programmed them (the VMOLR bits). Guarded by the
 * emulated PF's lock; read by tests through {@link EmulatedPf#vfState}, which returns a {@link VfSnapshot}.
 *
 * <p>The receive options are kept as the chip's bits rather than as an xcast mode because the PFs set
 * them from several places that do not agree with each other (SET_MULTICAST, UPDATE_XCAST_MODE, the VF
 * reset event, the PF's own receive mode), exactly as the sources do.
 */
final class VfState {
    final int index;
    // administrator settings
    MacAddress adminMac; // null: none assigned (Linux pf_set_mac)
    boolean trusted;
    boolean spoofCheck;
    int portVlan; // 0: none
    int portQos;
    LinkState linkState = LinkState.AUTO;
    boolean queryRss;
    // negotiated state
    boolean clearToSend;
    ApiVersion api = ApiVersion.V1_0;
    MacAddress mac = MacAddress.ZERO;
    final TreeSet<Integer> vlans = new TreeSet<>();
    final List<Integer> multicastHashes = new ArrayList<>();
    final List<MacAddress> macvlans = new ArrayList<>();
    /** The mode the PF remembers as granted (Linux/DPDK vfinfo.xcast_mode); its bits are the VMOLR ones below. */
    XcastMode xcast = XcastMode.NONE;
    boolean rxEnabled; // VFRE
    boolean txEnabled; // VFTE
    boolean macAntiSpoof;
    boolean vlanAntiSpoof;
    int maxFrame;
    // the pool's receive options (VMOLR)
    boolean broadcast;        // BAM
    boolean hashMulticast;    // ROMPE: multicast whose hash is set in the shared MTA
    boolean allMulticast;     // MPE
    boolean unicastPromisc;   // UPE
    boolean untagged = true;  // AUPE
    // bookkeeping
    final ArrayDeque<MailboxFault> faults = new ArrayDeque<>();
    long requestsHandled;
    long requestsNacked;
    long nacksOnAck;
    long mddEvents;

    VfState(int index, boolean spoofCheck) {
        this.index = index;
        this.spoofCheck = spoofCheck;
        this.macAntiSpoof = spoofCheck;
        this.vlanAntiSpoof = spoofCheck;
    }

    VfSnapshot snapshot() {
        return new VfSnapshot(index, adminMac, trusted, spoofCheck, portVlan, linkState, queryRss, clearToSend, api, mac,
                List.copyOf(vlans), List.copyOf(multicastHashes), List.copyOf(macvlans), xcast, rxEnabled, txEnabled,
                macAntiSpoof, vlanAntiSpoof, maxFrame, requestsHandled, requestsNacked,
                broadcast, hashMulticast, allMulticast, unicastPromisc, untagged, nacksOnAck, mddEvents);
    }
}
