/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.pf;

import dev.wirespeed.core.packet.MacAddress;
import dev.wirespeed.emulator.mailbox.MacWords;
import dev.wirespeed.emulator.mailbox.ApiVersion;

import java.util.EnumSet;
import java.util.Set;

import static dev.wirespeed.emulator.mailbox.MessageIds.*;

/**
 * The PF's answers to VF requests, following the Linux 6.1 PF's rules as the facts sheet gives them
 * (§3.2–§3.4, §8). Each handler edits the 16-word message in place (the reply goes back over the same
 * buffer) and returns true for success (ACK) or false for refusal (NACK). Runs under the PF lock.
 */
final class PfMessageHandler {
    /** Largest frame the family handles, CRC included (facts §4.3). */
    static final int MAX_FRAME = 9728;
    private static final int ETH_FRAME_LEN = 1514;
    private static final int ETH_FCS_LEN = 4;
    private static final int ETH_HLEN = 14;

    private static final Set<ApiVersion> FROM_1_1 = EnumSet.of(ApiVersion.V2_0, ApiVersion.V1_1, ApiVersion.V1_2, ApiVersion.V1_3,
            ApiVersion.V1_4, ApiVersion.V1_5, ApiVersion.V1_6, ApiVersion.V1_7);
    private static final Set<ApiVersion> FROM_1_2 = EnumSet.of(ApiVersion.V1_2, ApiVersion.V1_3, ApiVersion.V1_4, ApiVersion.V1_5,
            ApiVersion.V1_6, ApiVersion.V1_7);

    private final EmulatedPf pf;

    PfMessageHandler(EmulatedPf pf) {
        this.pf = pf;
    }

    /** Handles a request that is not VF_RESET from a VF that is clear to send. */
    boolean handle(VfState vf, int[] msg) {
        return switch (id(msg[0])) {
            case SET_MAC_ADDR -> setMac(vf, msg);
            case SET_MULTICAST -> setMulticast(vf, msg);
            case SET_VLAN -> setVlan(vf, msg);
            case SET_LPE -> setLpe(vf, msg);
            case SET_MACVLAN -> setMacvlan(vf, msg);
            case API_NEGOTIATE -> negotiate(vf, msg);
            case GET_QUEUES -> getQueues(vf, msg);
            case GET_RETA -> getReta(vf, msg);
            case GET_RSS_KEY -> getRssKey(vf, msg);
            case UPDATE_XCAST_MODE -> updateXcast(vf, msg);
            case GET_LINK_STATE -> getLinkState(vf, msg);
            default -> false; // IPsec, E610 link query, feature negotiation, unknown ids: the 6.1 PF NACKs them
        };
    }

    /**
     * VF_RESET: forget the VF's filters, let it transmit and (subject to the link state and the 82599 frame
     * rules) receive, zero its head write-back registers, make it clear to send. The reply carries the MAC
     * (ACK) or says none is assigned (NACK), and the multicast filter type; it has no CTS (facts §3.2).
     */
    void reset(VfState vf, int[] reply) {
        pf.vfResetEvent(vf);
        pf.enableRxTxAfterReset(vf);
        pf.clearHeadWriteBack(vf);
        vf.clearToSend = true;
        boolean haveMac = !vf.mac.isZero();
        java.util.Arrays.fill(reply, 0);
        reply[0] = VF_RESET | (haveMac ? SUCCESS : FAILURE);
        if (haveMac) {
            reply[1] = MacWords.word0(vf.mac);
            reply[2] = MacWords.word1(vf.mac);
        }
        reply[3] = pf.multicastFilterType();
    }

    private boolean setMac(VfState vf, int[] msg) {
        MacAddress mac = MacWords.fromWords(msg[1], msg[2]);
        if (!MacWords.isStation(mac)) {
            return false;
        }
        // an administrator's MAC binds an untrusted VF (facts §8.4)
        if (vf.adminMac != null && !vf.trusted && !mac.equals(vf.mac)) {
            return false;
        }
        vf.mac = mac;
        return true;
    }

    private boolean setMulticast(VfState vf, int[] msg) {
        int n = Math.min(info(msg[0]), MAX_MULTICAST_HASHES);
        vf.multicastHashes.clear();
        for (int i = 0; i < n; i++) {
            int word = msg[1 + i / 2];
            int hash = (i & 1) == 0 ? word & 0xFFFF : word >>> 16;
            vf.multicastHashes.add(hash & 0xFFF);
        }
        return true;
    }

    private boolean setVlan(VfState vf, int[] msg) {
        if (vf.portVlan != 0 || pf.trafficClasses() > 1) {
            return false; // the administrator's port VLAN (or DCB) owns VLAN configuration (facts §3.2)
        }
        boolean add = info(msg[0]) != 0;
        int vid = msg[1] & 0xFFF;
        if (add) {
            if (!pf.vlanTable().add(vf.index, vid)) {
                return false;
            }
            vf.vlans.add(vid);
        } else {
            pf.vlanTable().remove(vf.index, vid);
            vf.vlans.remove(vid);
        }
        return true;
    }

    /** SET_LPE with the 82599's shared max-frame rules (facts §8.2). */
    private boolean setLpe(VfState vf, int[] msg) {
        int maxFrame = msg[1];
        if (maxFrame <= 0 || maxFrame > MAX_FRAME) {
            return false;
        }
        if (pf.flavour().hasSharedMaxFrame()) {
            int pfMaxFrame = pf.pfMtu() + ETH_HLEN;
            boolean jumboPf = pfMaxFrame > ETH_FRAME_LEN;
            boolean refused;
            if (vf.api != ApiVersion.V2_0 && FROM_1_1.contains(vf.api) && jumboPf) {
                refused = false; // API 1.1+ with a jumbo PF: legacy VFs are already excluded
            } else {
                refused = jumboPf || maxFrame > ETH_FRAME_LEN + ETH_FCS_LEN;
            }
            vf.rxEnabled = !refused && vf.linkState.enabled();
            if (refused) {
                return false;
            }
        }
        vf.maxFrame = maxFrame;
        pf.raiseMaxFrame(maxFrame);
        return true;
    }

    private boolean setMacvlan(VfState vf, int[] msg) {
        int index = info(msg[0]);
        MacAddress mac = MacWords.fromWords(msg[1], msg[2]);
        if (index > 0 && vf.adminMac != null && !vf.trusted) {
            return false;
        }
        if (index == 0) {
            pf.releaseMacvlans(vf.macvlans.size());
            vf.macvlans.clear();
            return true;
        }
        if (!MacWords.isStation(mac)) {
            return false;
        }
        // a VF allowed to add MAC filters gets anti-spoofing switched off, space or not (facts §8.5)
        vf.macAntiSpoof = false;
        vf.vlanAntiSpoof = false;
        if (!pf.takeMacvlan()) {
            return false;
        }
        vf.macvlans.add(mac);
        return true;
    }

    private boolean negotiate(VfState vf, int[] msg) {
        ApiVersion requested = ApiVersion.fromWire(msg[1]);
        if (requested == null || !pf.acceptedApis().contains(requested)) {
            return false;
        }
        vf.api = requested;
        return true;
    }

    private boolean getQueues(VfState vf, int[] msg) {
        if (!FROM_1_1.contains(vf.api)) {
            return false;
        }
        int q = pf.queuesPerPool();
        msg[1] = q; // tx queues
        msg[2] = q; // rx queues
        int tcs = pf.trafficClasses();
        msg[3] = tcs > 1 ? tcs : (vf.portVlan != 0 || vf.portQos != 0 ? 1 : 0);
        msg[4] = 0; // default queue
        return true;
    }

    private boolean getReta(VfState vf, int[] msg) {
        if (!FROM_1_2.contains(vf.api) || !vf.queryRss || !pf.flavour().answersGetReta()) {
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
        if (!FROM_1_2.contains(vf.api) || !vf.queryRss) {
            return false;
        }
        byte[] key = pf.rssKey();
        for (int w = 0; w < 10; w++) {
            msg[1 + w] = (key[4 * w] & 0xFF) | (key[4 * w + 1] & 0xFF) << 8 | (key[4 * w + 2] & 0xFF) << 16 | (key[4 * w + 3] & 0xFF) << 24;
        }
        return true;
    }

    /** UPDATE_XCAST_MODE: untrusted VFs are held at MULTI; PROMISC needs 1.3, a non-82599 chip and a promiscuous PF (facts §8.4). */
    private boolean updateXcast(VfState vf, int[] msg) {
        XcastMode mode = XcastMode.fromWire(msg[1]);
        if (mode == null || !FROM_1_2.contains(vf.api)) {
            return false;
        }
        if (mode == XcastMode.PROMISC && vf.api == ApiVersion.V1_2) {
            return false;
        }
        if (mode.compareTo(XcastMode.MULTI) > 0 && !vf.trusted) {
            mode = XcastMode.MULTI;
        }
        if (mode == XcastMode.PROMISC && vf.xcast != XcastMode.PROMISC) {
            if (!pf.flavour().allowsVfPromiscuous() || !pf.pfPromiscuous()) {
                return false;
            }
        }
        vf.xcast = mode;
        msg[1] = mode.ordinal();
        return true;
    }

    private boolean getLinkState(VfState vf, int[] msg) {
        if (!FROM_1_2.contains(vf.api)) {
            return false;
        }
        msg[1] = vf.linkState.enabled() ? 1 : 0;
        return true;
    }
}
