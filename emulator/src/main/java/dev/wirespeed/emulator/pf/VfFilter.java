/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.pf;

import dev.wirespeed.core.packet.MacAddress;

/**
 * The PF's per-VF switching decisions in a form the DMA engine can apply per frame without locks or
 * allocation: station and MACVLAN addresses, multicast hash table, VLAN table, modes granted, whether
 * the VF may receive and transmit, and anti-spoofing. Immutable; the engine takes a new one when
 * {@link EmulatedPf#filterVersion()} changes.
 */
public final class VfFilter {
    final long mac;
    final long[] macvlans;
    final boolean[] multicastHash = new boolean[4096];
    final boolean[] vlan = new boolean[4096];
    final int multicastFilterType;
    final XcastMode xcast;
    final boolean rxEnabled, txEnabled, macAntiSpoof, vlanAntiSpoof, spoofCheck;
    final byte[] pfRssKey;
    final int[] pfReta;

    VfFilter(VfState s, int multicastFilterType, byte[] pfRssKey, int[] pfReta) {
        this.pfRssKey = pfRssKey;
        this.pfReta = pfReta;
        this.mac = s.mac.value();
        this.macvlans = s.macvlans.stream().mapToLong(MacAddress::value).toArray();
        for (int h : s.multicastHashes) {
            multicastHash[h & 0xFFF] = true;
        }
        for (int v : s.vlans) {
            vlan[v] = true;
        }
        this.multicastFilterType = multicastFilterType;
        this.xcast = s.xcast;
        this.rxEnabled = s.rxEnabled;
        this.txEnabled = s.txEnabled;
        this.macAntiSpoof = s.macAntiSpoof;
        this.vlanAntiSpoof = s.vlanAntiSpoof;
        this.spoofCheck = s.spoofCheck;
    }

    /** Rx address filter for destination {@code dst} (48 bits): unicast match, broadcast, multicast hash or granted mode. */
    public boolean acceptsDestination(long dst) {
        if (dst == 0xFFFF_FFFF_FFFFL) {
            return xcast != XcastMode.NONE; // broadcast accept is off only in NONE
        }
        if (((dst >>> 40) & 1) != 0) {
            return switch (xcast) {
                case NONE -> false;
                case MULTI -> multicastHash[hash(dst)];
                case ALLMULTI, PROMISC -> true;
            };
        }
        if (dst == mac && mac != 0 || xcast == XcastMode.PROMISC) {
            return true;
        }
        for (long m : macvlans) {
            if (m == dst) {
                return true;
            }
        }
        return false;
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
        int b4 = (int) (addr >>> 8) & 0xFF;
        int b5 = (int) addr & 0xFF;
        int v = switch (multicastFilterType) {
            case 0 -> (b4 >>> 4) | (b5 << 4);
            case 1 -> (b4 >>> 3) | (b5 << 5);
            case 2 -> (b4 >>> 2) | (b5 << 6);
            default -> b4 | (b5 << 8);
        };
        return v & 0xFFF;
    }

    /** Tagged frames pass if the VLAN is the VF's (or VLAN 0, a priority tag [?]), or the VF is promiscuous. */
    public boolean acceptsVlan(int vid) {
        return vid == 0 || vlan[vid] || xcast == XcastMode.PROMISC;
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

    /** With spoofchk, the PF blocks LLDP and PAUSE from VFs (facts §8.5). */
    public boolean dropsEtherType(int etherType) {
        return spoofCheck && (etherType == 0x88CC || etherType == 0x8808);
    }
}
