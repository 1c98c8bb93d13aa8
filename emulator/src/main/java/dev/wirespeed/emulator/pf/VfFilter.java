/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.pf;

import dev.wirespeed.core.packet.MacAddress;

/**
 * The PF's per-VF switching decisions in a form the DMA engine can apply per frame without locks or
 * allocation: station and MACVLAN addresses, the pool's receive options (VMOLR: broadcast, hash multicast
 * through the PF's shared multicast table, all multicast, unicast promiscuous, untagged), the VLAN table,
 * whether the VF may receive and transmit, anti-spoofing, malicious-driver detection and the port VLAN
 * tag the PF inserts on transmit. Immutable; the engine takes a new one when {@link EmulatedPf#filterVersion()}
 * changes.
 */
public final class VfFilter {
    final long mac;
    final long[] macvlans;
    final boolean[] multicastTable; // the PF's shared MTA, never written after the snapshot was taken
    final boolean[] vlan = new boolean[4096];
    final int multicastFilterType;
    final boolean broadcast, hashMulticast, allMulticast, unicastPromisc, untagged;
    final boolean rxEnabled, txEnabled, macAntiSpoof, vlanAntiSpoof, blockLldp, blockPause, mdd;
    final int portVlanTag; // TCI the PF inserts into untagged tx frames (VMVIR), 0 for none
    final byte[] pfRssKey;
    final int[] pfReta;

    VfFilter(VfState s, EmulatedPf pf) {
        this.pfRssKey = pf.rssKey();
        this.pfReta = pf.reta();
        this.mac = s.mac.value();
        this.macvlans = s.macvlans.stream().mapToLong(MacAddress::value).toArray();
        this.multicastTable = pf.multicastTable().snapshot();
        for (int v : s.vlans) {
            vlan[v] = true;
        }
        this.multicastFilterType = pf.multicastFilterType();
        this.broadcast = s.broadcast;
        this.hashMulticast = s.hashMulticast;
        this.allMulticast = s.allMulticast;
        this.unicastPromisc = s.unicastPromisc;
        this.untagged = s.untagged;
        this.rxEnabled = s.rxEnabled;
        this.txEnabled = s.txEnabled;
        this.macAntiSpoof = s.macAntiSpoof;
        this.vlanAntiSpoof = s.vlanAntiSpoof;
        // Linux programs LLDP and PAUSE ethertype anti-spoofing per VF with spoofchk (ixgbe_ndo_set_vf_spoofchk);
        // DPDK's PF installs only the PAUSE filter, for every VF (ixgbe_add_tx_flow_control_drop_filter)
        this.blockLldp = pf.personality().isLinux() && s.spoofCheck;
        this.blockPause = pf.personality().isLinux() ? s.spoofCheck : true;
        this.mdd = pf.mddEnabled();
        this.portVlanTag = s.portVlan == 0 ? 0 : s.portVlan | s.portQos << 13;
    }

    /** Rx address filter for destination {@code dst} (48 bits): the pool's receive options of VMOLR. */
    public boolean acceptsDestination(long dst) {
        if (dst == 0xFFFF_FFFF_FFFFL) {
            return broadcast;
        }
        if (((dst >>> 40) & 1) != 0) {
            return allMulticast || hashMulticast && multicastTable[hash(dst)];
        }
        return unicastPromisc || ownsUnicast(dst);
    }

    /** The VF's own station or MACVLAN address: the PF's switch delivers such unicast frames to it alone. */
    public boolean ownsUnicast(long dst) {
        if (dst == mac && mac != 0) {
            return true;
        }
        for (long m : macvlans) {
            if (m == dst) {
                return true;
            }
        }
        return false;
    }

    /** The 12-bit multicast hash of facts §3.5 for this PF's filter type. */
    int hash(long addr) {
        return hash(addr, multicastFilterType);
    }

    static int hash(long addr, int filterType) {
        int b4 = (int) (addr >>> 8) & 0xFF;
        int b5 = (int) addr & 0xFF;
        int v = switch (filterType) {
            case 0 -> (b4 >>> 4) | (b5 << 4);
            case 1 -> (b4 >>> 3) | (b5 << 5);
            case 2 -> (b4 >>> 2) | (b5 << 6);
            default -> b4 | (b5 << 8);
        };
        return v & 0xFFF;
    }

    /**
     * Tagged frames pass if their VLAN is in the VF's VLAN filter. VLAN 0 (priority tags) is in it unless a
     * port VLAN revoked it. Promiscuous mode does not widen this: both PFs clear VMOLR.VPE for a VF
     * (Linux "ixgbe: fix unexpected VLAN Rx in promisc mode on VF", 2022; DPDK ixgbe_set_vf_mc_promisc).
     */
    public boolean acceptsVlan(int vid) {
        return vlan[vid & 0xFFF];
    }

    /** Untagged frames pass unless VMOLR.AUPE is off, which a Linux port VLAN does (ixgbe_set_vmolr(…, false)). */
    public boolean acceptsUntagged() {
        return untagged;
    }

    /** Byte {@code i} of the PF's RSS key, which 82599/X540 VFs share (facts §4.1). */
    public int pfRssKeyByte(int i) {
        return pfRssKey[i] & 0xFF;
    }

    /** Entry {@code i} (0..127) of the PF's redirection table, which 82599/X540 VFs share. */
    public int pfRetaEntry(int i) {
        return pfReta[i];
    }

    public boolean rxEnabled() {
        return rxEnabled;
    }

    /** VFTE: with it off the chip does not fetch the VF's tx descriptors at all, so TDH stands still. */
    public boolean txEnabled() {
        return txEnabled;
    }

    /** Tx with a source address other than the VF's is dropped (facts §8.5). */
    public boolean dropsSource(long src) {
        return macAntiSpoof && src != mac;
    }

    /** Tx tagged with a VLAN the VF was not given is dropped while VLAN anti-spoofing is on (facts §8.5). */
    public boolean dropsVlan(int vid) {
        return vlanAntiSpoof && vid != 0 && !vlan[vid];
    }

    /** Ethertype anti-spoofing: LLDP and PAUSE from VFs (facts §8.5), as this PF programs it. */
    public boolean dropsEtherType(int etherType) {
        return etherType == 0x88CC ? blockLldp : etherType == 0x8808 && blockPause;
    }

    /** Malicious-driver detection is on for this VF's queues (the PF enabled it; X550 under Linux). */
    public boolean maliciousDriverDetection() {
        return mdd;
    }

    /** The tag (TCI) the PF inserts into the VF's untagged tx frames for its port VLAN, or 0. */
    public int portVlanTag() {
        return portVlanTag;
    }
}
