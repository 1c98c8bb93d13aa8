/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.pf;

import dev.wirespeed.core.packet.MacAddress;
import dev.wirespeed.emulator.Flavour;
import dev.wirespeed.emulator.mailbox.ApiVersion;
import dev.wirespeed.emulator.mailbox.MacWords;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

import static dev.wirespeed.emulator.mailbox.MessageIds.*;

/**
 * The Linux ixgbe PF's mailbox rules, after drivers/net/ethernet/intel/ixgbe/ixgbe_sriov.c
 * (ixgbe_rcv_msg_from_vf and the handlers it calls). {@link PfPersonality#LINUX} is mainline as of the
 * 2025 patches; {@link PfPersonality#LINUX_LEGACY} is the same file before 5.18, which lacks
 * GET_LINK_STATE, FEATURES_NEGOTIATE, GET_PF_LINK_STATE, API 1.6/1.7 and the VF link state (its other
 * handlers are the same; the 2022 broadcast and VLAN-promiscuous fixes reached the 5.10 and 5.15 stable
 * series). Handlers edit the 16-word message in place and return true for ACK, false for NACK.
 */
final class LinuxPfRules extends PfRules {
    /** A reply is the whole mailbox: ixgbe_write_mbx(hw, msgbuf, mbx_size = IXGBE_VFMAILBOX_SIZE, vf). */
    private static final int REPLY_WORDS = 16;
    /** Versions whose GET_RETA / GET_RSS_KEY / UPDATE_XCAST_MODE / GET_LINK_STATE cases exist. */
    private static final Set<ApiVersion> FROM_1_2 = EnumSet.of(ApiVersion.V1_2, ApiVersion.V1_3, ApiVersion.V1_4,
            ApiVersion.V1_6, ApiVersion.V1_7);
    /** FEATURES_NEGOTIATE: the PF supports only the IPsec feature bit (IXGBE_SUPPORTED_FEATURES). */
    private static final int SUPPORTED_FEATURES = 1;

    private final boolean current;

    LinuxPfRules(EmulatedPf pf) {
        super(pf);
        this.current = pf.personality() == PfPersonality.LINUX;
    }

    @Override
    int request(VfState vf, int[] msg) {
        if (msg[0] == VF_RESET) { // the whole word: VF_RESET with info bits set is just an unknown message
            return reset(vf, msg);
        }
        if (!vf.clearToSend) {
            msg[0] |= FAILURE; // "until the vf completes a virtual function reset": one word, no CTS
            return 1;
        }
        boolean ok = switch (id(msg[0])) {
            case SET_MAC_ADDR -> setMac(vf, msg);
            case SET_MULTICAST -> setMulticast(vf, msg);
            case SET_VLAN -> setVlan(vf, msg);
            case SET_LPE -> setLpe(vf, msg[1]);
            case SET_MACVLAN -> setMacvlan(vf, msg);
            case API_NEGOTIATE -> negotiate(vf, msg);
            case GET_QUEUES -> getQueues(vf, msg);
            case GET_RETA -> getReta(vf, msg);
            case GET_RSS_KEY -> getRssKey(vf, msg);
            case UPDATE_XCAST_MODE -> updateXcast(vf, msg);
            case GET_LINK_STATE -> current && getLinkState(vf, msg);
            // ixgbe_ipsec_vf_add_sa/del_sa refuse unless VF IPsec was switched on (off by default, not modelled)
            case IPSEC_ADD, IPSEC_DEL -> false;
            // ixgbe_send_vf_link_status answers on E610 only, which the emulator does not model
            case GET_PF_LINK_STATE -> false;
            case FEATURES_NEGOTIATE -> current && negotiateFeatures(vf, msg);
            default -> false; // "Unhandled Msg"
        };
        msg[0] |= (ok ? SUCCESS : FAILURE) | CTS;
        return REPLY_WORDS;
    }

    /**
     * ixgbe_vf_reset_event: the VF's VLANs go (the port VLAN, or VLAN 0, comes back), broadcast on and untagged
     * accepted unless a port VLAN is set (ixgbe_set_vmolr), anti-spoofing back on only where a port VLAN,
     * QoS or DCB is set, its multicast list emptied (and the shared table rebuilt for everyone), its MAC
     * filters and MACVLANs removed, its API back to 1.0. Clear-to-send, the remembered xcast mode and the
     * all-multicast/promiscuous bits are not touched.
     */
    @Override
    void resetEvent(VfState vf) {
        pf.vlanTable().removeAll(vf.index);
        vf.vlans.clear();
        if (pf.vlanTable().add(vf.index, vf.portVlan)) {
            vf.vlans.add(vf.portVlan);
        }
        vf.broadcast = true;
        vf.untagged = vf.portVlan == 0;
        if ((vf.portVlan != 0 || vf.portQos != 0 || pf.trafficClasses() > 1) && vf.spoofCheck) {
            vf.macAntiSpoof = true;
            vf.vlanAntiSpoof = true;
        }
        vf.multicastHashes.clear();
        pf.resyncMulticast();
        pf.releaseMacvlans(vf.macvlans.size());
        vf.macvlans.clear();
        vf.api = ApiVersion.V1_0;
    }

    /**
     * ixgbe_vf_reset_msg: reset event, mailbox cleared, rx/tx by the VF's link state and the 82599 frame rule
     * (ixgbe_set_vf_rx_tx; before 5.18 tx always and rx by the frame rule), clear to send, head write-back
     * zeroed. The reply (4 words over a cleared mailbox) is ACK with the MAC only if the administrator set
     * one (pf_set_mac); a MAC the VF chose itself is not given back.
     */
    private int reset(VfState vf, int[] reply) {
        resetEvent(vf);
        pf.setRxTx(vf);
        vf.clearToSend = true;
        pf.clearHeadWriteBack(vf);
        Arrays.fill(reply, 0);
        boolean giveMac = vf.adminMac != null && !vf.mac.isZero();
        reply[0] = VF_RESET | (giveMac ? SUCCESS : FAILURE);
        if (giveMac) {
            reply[1] = MacWords.word0(vf.mac);
            reply[2] = MacWords.word1(vf.mac);
        }
        reply[3] = pf.multicastFilterType();
        return REPLY_WORDS;
    }

    /** ixgbe_set_vf_mac_addr: a valid unicast MAC; an administrator's MAC binds an untrusted VF (facts §8.4). */
    private boolean setMac(VfState vf, int[] msg) {
        MacAddress mac = MacWords.fromWords(msg[1], msg[2]);
        if (!MacWords.isStation(mac)) {
            return false;
        }
        if (vf.adminMac != null && !vf.trusted && !mac.equals(vf.mac)) {
            return false;
        }
        vf.mac = mac;
        return true;
    }

    /** ixgbe_set_vf_multicasts: at most 30 hashes, ORed into the shared MTA; ROMPE on (even for none). */
    private boolean setMulticast(VfState vf, int[] msg) {
        int n = takeMulticastHashes(vf, msg);
        vf.hashMulticast = true;
        return true;
    }

    /** ixgbe_set_vf_vlan_msg: refused under a port VLAN or DCB; removing VLAN 0 is a no-op that succeeds. */
    private boolean setVlan(VfState vf, int[] msg) {
        if (vf.portVlan != 0 || pf.trafficClasses() > 1) {
            return false;
        }
        boolean add = info(msg[0]) != 0;
        int vid = msg[1] & 0xFFF;
        if (!add && vid == 0) {
            return true;
        }
        if (add) {
            if (!pf.vlanTable().add(vf.index, vid)) {
                return false; // no VLVF entry left
            }
            vf.vlans.add(vid);
        } else {
            pf.vlanTable().remove(vf.index, vid);
            vf.vlans.remove(vid);
        }
        return true;
    }

    /**
     * ixgbe_set_vf_lpe: 68..9728, then on 82599 the shared-max-frame rule (facts §8.2). The 82599 branch
     * writes VFRE from its verdict alone, so a successful SET_LPE turns rx back on even for a VF whose link
     * the administrator disabled.
     */
    private boolean setLpe(VfState vf, int maxFrame) {
        if (maxFrame < 68 || maxFrame > MAX_FRAME) {
            return false;
        }
        if (pf.flavour().hasSharedMaxFrame()) {
            boolean jumboPf = pf.pfMtu() + ETH_HLEN > ETH_FRAME_LEN;
            boolean jumboCapableApi = vf.api != ApiVersion.V1_0 && vf.api != ApiVersion.V2_0 && vf.api != ApiVersion.V1_5;
            boolean refused = !(jumboCapableApi && jumboPf) && (jumboPf || maxFrame > ETH_FRAME_LEN + ETH_FCS_LEN);
            vf.rxEnabled = !refused;
            if (refused) {
                return false;
            }
        }
        vf.maxFrame = maxFrame;
        pf.raiseMaxFrame(maxFrame);
        return true;
    }

    /**
     * ixgbe_set_vf_macvlan_msg / ixgbe_set_vf_macvlan: refused to an untrusted VF with an administrator's MAC;
     * a VF allowed to add filters gets MAC and VLAN anti-spoofing off (space or not); index 0 clears the
     * VF's list and so does index 1 before adding (the VF sends its list again from 1); no space is NACK.
     */
    private boolean setMacvlan(VfState vf, int[] msg) {
        int index = info(msg[0]);
        MacAddress mac = MacWords.fromWords(msg[1], msg[2]);
        if (index > 0 && vf.adminMac != null && !vf.trusted) {
            return false;
        }
        if (index > 0) {
            if (!MacWords.isStation(mac)) {
                return false;
            }
            if (vf.spoofCheck) {
                vf.macAntiSpoof = false;
                vf.vlanAntiSpoof = false;
            }
        }
        if (index <= 1) {
            pf.releaseMacvlans(vf.macvlans.size());
            vf.macvlans.clear();
        }
        if (index == 0) {
            return true;
        }
        if (!pf.takeMacvlan()) {
            return false;
        }
        vf.macvlans.add(mac);
        return true;
    }

    /**
     * ixgbe_get_vf_queues: any API but 1.0; queues per pool for tx and rx; TRANS_VLAN = traffic classes with
     * DCB, else 1 with a port VLAN or QoS, else 0; default queue = the traffic class of the default user
     * priority with DCB, else 0.
     */
    private boolean getQueues(VfState vf, int[] msg) {
        if (vf.api == ApiVersion.V1_0 || vf.api == ApiVersion.V1_5) {
            return false;
        }
        int q = pf.queuesPerPool();
        msg[1] = q;
        msg[2] = q;
        int tcs = pf.trafficClasses();
        msg[3] = tcs > 1 ? tcs : (vf.portVlan != 0 || vf.portQos != 0 ? 1 : 0);
        msg[4] = tcs > 1 ? pf.defaultQueue() : 0;
        return true;
    }

    /** ixgbe_get_vf_reta: query_rss (only settable on 82599/X540), API ≥ 1.2; 128 entries × 2 bits. */
    private boolean getReta(VfState vf, int[] msg) {
        if (!vf.queryRss || !FROM_1_2.contains(vf.api)) {
            return false;
        }
        int[] reta = pf.reta();
        for (int w = 0; w < 8; w++) {
            int v = 0;
            for (int j = 0; j < 16; j++) {
                v |= (reta[w * 16 + j] & 3) << (2 * j);
            }
            msg[1 + w] = v;
        }
        return true;
    }

    private boolean getRssKey(VfState vf, int[] msg) {
        if (!vf.queryRss || !FROM_1_2.contains(vf.api)) {
            return false;
        }
        byte[] key = pf.rssKey();
        for (int w = 0; w < 10; w++) {
            msg[1 + w] = (key[4 * w] & 0xFF) | (key[4 * w + 1] & 0xFF) << 8 | (key[4 * w + 2] & 0xFF) << 16 | (key[4 * w + 3] & 0xFF) << 24;
        }
        return true;
    }

    /**
     * ixgbe_update_vf_xcast_mode: API ≥ 1.2 (PROMISC from 1.3); an untrusted VF is held at MULTI; a mode
     * equal to the remembered one succeeds without touching VMOLR; PROMISC is refused up to the 82599 and
     * while the PF itself is not promiscuous. The reply's word 1 is the mode granted.
     */
    private boolean updateXcast(VfState vf, int[] msg) {
        int requested = msg[1];
        if (!FROM_1_2.contains(vf.api) || vf.api == ApiVersion.V1_2 && requested == XcastMode.PROMISC.ordinal()) {
            return false;
        }
        if (requested > XcastMode.MULTI.ordinal() && !vf.trusted) {
            requested = XcastMode.MULTI.ordinal();
        }
        XcastMode mode = XcastMode.fromWire(requested);
        if (mode == null) {
            return false;
        }
        if (mode != vf.xcast) {
            if (mode == XcastMode.PROMISC && (pf.flavour() == Flavour.X82599 || !pf.pfPromiscuous())) {
                return false;
            }
            applyXcast(vf, mode);
        }
        msg[1] = mode.ordinal();
        return true;
    }

    /** ixgbe_get_vf_link_state (5.18): API ≥ 1.2; the administrative link enable, not the physical link. */
    private boolean getLinkState(VfState vf, int[] msg) {
        if (!FROM_1_2.contains(vf.api)) {
            return false;
        }
        msg[1] = pf.linkEnabled(vf) ? 1 : 0;
        return true;
    }

    /** ixgbe_negotiate_vf_features (2025): API 1.7 only; the VF's mask ANDed with what the PF supports. */
    private boolean negotiateFeatures(VfState vf, int[] msg) {
        if (vf.api != ApiVersion.V1_7) {
            return false;
        }
        msg[1] &= SUPPORTED_FEATURES;
        return true;
    }
}
