/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.pf;

import dev.wirespeed.emulator.Flavour;
import dev.wirespeed.emulator.mailbox.ApiVersion;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which PF driver the emulated PF behaves like. The VF's hardware is the same under all three; what
 * differs is the software at the far end of the mailbox: which requests it answers and how, which API
 * versions it grants, and what it does on its own (pings, PF down/up, malicious-driver events, admin
 * changes). The per-message rules and their sources are in the emulator README ("PF personalities").
 */
public enum PfPersonality {
    /**
     * A current Linux ixgbe PF (mainline 6.x with the 2025 mailbox and MDD work: API 1.6/1.7, X550 MDD
     * handling, GET_LINK_STATE and administrative link state from 5.18).
     */
    LINUX("linux"),
    /** A Linux ixgbe PF before 5.18 (e.g. Debian 11's 5.10): no GET_LINK_STATE, no VF link state, no MDD. */
    LINUX_LEGACY("linux-legacy"),
    /** DPDK's ixgbe PF host (drivers/net/ixgbe/ixgbe_pf.c, DPDK 22.11 / 23.11, unchanged to 26.07). */
    DPDK("dpdk");

    private final String key;

    PfPersonality(String key) {
        this.key = key;
    }

    /** The name in device strings ({@code pf=linux}). */
    public String key() {
        return key;
    }

    public static PfPersonality parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        for (PfPersonality p : values()) {
            if (p.key.equals(t)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown PF '" + text + "': expected linux, linux-legacy or dpdk");
    }

    /**
     * API_NEGOTIATE's accepted versions: Linux {@code ixgbe_negotiate_vf_api} takes 1.0–1.4, and since the
     * 2025 E610/feature-negotiation patches 1.6 and 1.7 (never 1.5); DPDK's takes 1.0–1.3.
     */
    public Set<ApiVersion> acceptedApis() {
        return switch (this) {
            case LINUX -> EnumSet.of(ApiVersion.V1_0, ApiVersion.V1_1, ApiVersion.V1_2, ApiVersion.V1_3, ApiVersion.V1_4,
                    ApiVersion.V1_6, ApiVersion.V1_7);
            case LINUX_LEGACY -> EnumSet.of(ApiVersion.V1_0, ApiVersion.V1_1, ApiVersion.V1_2, ApiVersion.V1_3, ApiVersion.V1_4);
            case DPDK -> EnumSet.of(ApiVersion.V1_0, ApiVersion.V1_1, ApiVersion.V1_2, ApiVersion.V1_3);
        };
    }

    boolean isLinux() {
        return this != DPDK;
    }

    /** Linux NACKs every request but VF_RESET while the VF is not clear to send; DPDK's PF does not look. */
    boolean requiresClearToSend() {
        return isLinux();
    }

    /** Linux pings every VF on physical link up/down (ixgbe_watchdog_link_is_up/down); DPDK's PF never pings by itself. */
    boolean pingsOnLinkChange() {
        return isLinux();
    }

    /** Linux's ixgbe_down clears clear-to-send and pings every VF (without CTS); DPDK's dev_stop only clears it. */
    boolean pingsWhenGoingDown() {
        return isLinux();
    }

    /**
     * Linux ≥ 5.18 ixgbe_up_complete calls ixgbe_set_all_vfs: each VF's VFRE/VFTE follow its link state, it
     * loses clear-to-send and is pinged without CTS. Before 5.18, and in DPDK, PF up only sets PFRSTD.
     */
    boolean resyncsVfsWhenUp() {
        return this == LINUX;
    }

    /** {@code ip link set … vf N state}: ixgbe_ndo_set_vf_link_state exists from Linux 5.18 only; DPDK has none. */
    boolean hasAdminLinkState() {
        return this == LINUX;
    }

    /** {@code ip link set … vf N trust}: Linux only; DPDK grants every VF every xcast mode. */
    boolean hasTrust() {
        return isLinux();
    }

    /** {@code ip link set … vf N query_rss}: Linux, 82599/X540 only (ixgbe_ndo_set_vf_rss_query_en); DPDK never answers. */
    boolean hasQueryRss() {
        return isLinux();
    }

    /** A port VLAN (VMVIR plus VLAN filter, kept across VF resets): Linux's ndo_set_vf_vlan. DPDK's reset clears VMVIR. */
    boolean hasPortVlan() {
        return isLinux();
    }

    /**
     * Malicious-driver detection is switched on by the PF: Linux (the 2025 "ixgbe: add MDD support" /
     * "check for MDD events" patches) enables it on X550 at link up and handles the events; X550EM_x/a get
     * no MDD operations there. Older Linux and DPDK never enable it.
     */
    boolean enablesMdd(Flavour flavour) {
        return this == LINUX && flavour == Flavour.X550;
    }

    /** MAC and VLAN anti-spoofing start on: Linux (__ixgbe_enable_sriov); DPDK leaves PFVFSPOOF at 0 for VFs. */
    boolean spoofCheckByDefault() {
        return isLinux();
    }
}
