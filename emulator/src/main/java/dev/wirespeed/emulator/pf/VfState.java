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
 * What the PF knows about one of its VFs: the administrator's settings and the state the VF
 * negotiated over the mailbox. Guarded by the emulated PF's lock; read by tests through
 * {@link EmulatedPf#vfState}, which returns a {@link VfSnapshot}.
 */
final class VfState {
    final int index;
    // administrator settings
    MacAddress adminMac; // null: none assigned
    boolean trusted;
    boolean spoofCheck = true;
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
    XcastMode xcast = XcastMode.MULTI;
    boolean rxEnabled;
    boolean txEnabled;
    boolean macAntiSpoof = true;
    boolean vlanAntiSpoof = true;
    int maxFrame;
    final ArrayDeque<MailboxFault> faults = new ArrayDeque<>();
    long requestsHandled;
    long requestsNacked;

    VfState(int index) {
        this.index = index;
    }

    /** The filter state a VF reset clears (Linux PF's reset event, facts §3.4 step 8). */
    void clearFilters() {
        vlans.clear();
        if (portVlan != 0) {
            vlans.add(portVlan);
        }
        multicastHashes.clear();
        macvlans.clear();
        xcast = XcastMode.MULTI;
        api = ApiVersion.V1_0;
        macAntiSpoof = spoofCheck;
        vlanAntiSpoof = spoofCheck;
    }

    VfSnapshot snapshot() {
        return new VfSnapshot(index, adminMac, trusted, spoofCheck, portVlan, linkState, queryRss, clearToSend, api, mac,
                List.copyOf(vlans), List.copyOf(multicastHashes), List.copyOf(macvlans), xcast, rxEnabled, txEnabled,
                macAntiSpoof, vlanAntiSpoof, maxFrame, requestsHandled, requestsNacked);
    }
}
