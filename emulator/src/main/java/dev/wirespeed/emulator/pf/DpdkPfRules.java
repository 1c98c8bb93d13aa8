/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.pf;

import dev.wirespeed.core.packet.MacAddress;
import dev.wirespeed.emulator.Flavour;
import dev.wirespeed.emulator.mailbox.ApiVersion;
import dev.wirespeed.emulator.mailbox.MacWords;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.wirespeed.emulator.mailbox.MessageIds.*;

/**
 * DPDK's ixgbe PF host, after drivers/net/ixgbe/ixgbe_pf.c of DPDK 22.11 and 23.11 (the same code, moved to
 * drivers/net/intel/ixgbe in 24.x, is unchanged in behaviour to 26.07): ixgbe_rcv_msg_from_vf and its
 * handlers. What sets it apart from Linux's PF:
 * <ul>
 *   <li>requests are handled whether or not the VF is clear to send, and every reply carries CTS;</li>
 *   <li>a reply is one word (five for GET_QUEUES); the rest of the buffer keeps the VF's request;</li>
 *   <li>VF_RESET always ACKs with a MAC: the random one DPDK gave each VF at start, or the administrator's;</li>
 *   <li>no trust: every VF gets ALLMULTI (and PROMISC where the chip and PF allow it);</li>
 *   <li>GET_RETA, GET_RSS_KEY, GET_LINK_STATE, IPsec, 0x11 and 0x12 are unknown messages (NACK);</li>
 *   <li>GET_QUEUES reports an absolute default queue (VF × queues per pool) and is refused while the PF port
 *       is not configured for VMDq (tx mode NONE before dev_configure) or DCB pools are not 16/32.</li>
 * </ul>
 */
final class DpdkPfRules extends PfRules {
    private static final int RTE_ETHER_MIN_LEN = 64;
    private static final int RTE_ETHER_MAX_JUMBO_FRAME_LEN = 0x3F00;
    private static final int RTE_ETHER_MTU = 1500;
    private static final int IXGBE_ETH_MAX_LEN = 1518;

    /** RAR entries 1..n written by SET_MACVLAN: DPDK indexes them by a per-VF count, so VFs overwrite each other. */
    private final Map<Integer, Owned> macvlanRar = new TreeMap<>();
    private final int[] macCount;

    private record Owned(int vf, MacAddress mac) {
    }

    DpdkPfRules(EmulatedPf pf) {
        super(pf);
        this.macCount = new int[pf.vfCount()];
    }

    @Override
    int request(VfState vf, int[] msg) {
        if (msg[0] == VF_RESET) {
            reset(vf, msg);
            vf.clearToSend = true;
            return 4; // IXGBE_VF_PERMADDR_MSG_LEN
        }
        boolean ok = switch (id(msg[0])) {
            case SET_MAC_ADDR -> setMac(vf, msg);
            case SET_MULTICAST -> setMulticast(vf, msg);
            case SET_LPE -> setLpe(vf, msg[1]);
            case SET_VLAN -> setVlan(vf, msg);
            case API_NEGOTIATE -> negotiate(vf, msg);
            case GET_QUEUES -> getQueues(vf, msg);
            case UPDATE_XCAST_MODE -> updateXcast(vf, msg);
            case SET_MACVLAN -> setMacvlan(vf, msg);
            default -> false; // "Unhandled Msg": retval = IXGBE_ERR_MBX
        };
        msg[0] |= (ok ? SUCCESS : FAILURE) | CTS;
        return id(msg[0]) == GET_QUEUES ? 5 : 1; // IXGBE_VF_GET_QUEUE_MSG_SIZE, else IXGBE_VF_MSG_SIZE_DEFAULT
    }

    /**
     * ixgbe_vf_reset_event: VMOLR gains ROPE, BAM and AUPE, VMVIR is cleared, the multicast count goes to 0
     * and the VF's MAC entry is cleared (written again by VF_RESET). VLANs, MACVLANs, the API version and
     * the xcast mode all survive.
     */
    @Override
    void resetEvent(VfState vf) {
        vf.broadcast = true;
        vf.untagged = true;
        vf.multicastHashes.clear();
    }

    /**
     * ixgbe_vf_reset: VFTE and VFRE on (no link state, no 82599 frame rule), the reset event, the MAC
     * entry written again, multicast promiscuous (MPE) off; ACK with the MAC over the request's buffer
     * (word 2's upper half keeps what was there) and multicast filter type 0. Head write-back registers are
     * not touched.
     */
    private void reset(VfState vf, int[] reply) {
        vf.txEnabled = true;
        vf.rxEnabled = true;
        resetEvent(vf);
        vf.allMulticast = false;
        reply[0] = VF_RESET | SUCCESS;
        reply[1] = MacWords.word0(vf.mac);
        reply[2] = (reply[2] & 0xFFFF_0000) | MacWords.word1(vf.mac);
        reply[3] = pf.multicastFilterType();
    }

    /** ixgbe_vf_set_mac_addr: any valid unicast address, administrator's MAC or not. */
    private boolean setMac(VfState vf, int[] msg) {
        MacAddress mac = MacWords.fromWords(msg[1], msg[2]);
        if (!MacWords.isStation(mac)) {
            return false;
        }
        vf.mac = mac;
        return true;
    }

    /** ixgbe_vf_set_multicast: MPE off first; no entries turns ROMPE off, else the hashes go into the MTA and ROMPE on. */
    private boolean setMulticast(VfState vf, int[] msg) {
        vf.allMulticast = false;
        int n = takeMulticastHashes(vf, msg);
        vf.hashMulticast = n > 0;
        return true;
    }

    /**
     * ixgbe_set_vf_lpe: on the 82599 an API 1.1–1.3 VF may go jumbo when the PF's MTU is over 1500, otherwise
     * a frame over 1518 or a jumbo PF is refused; then 64..16128. VFRE is never touched.
     */
    private boolean setLpe(VfState vf, int maxFrame) {
        if (pf.flavour() == Flavour.X82599) {
            boolean jumboPf = pf.pfMtu() > RTE_ETHER_MTU;
            ApiVersion api = vf.api;
            boolean jumboApi = api == ApiVersion.V1_1 || api == ApiVersion.V1_2 || api == ApiVersion.V1_3;
            if (!(jumboApi && jumboPf) && (maxFrame > IXGBE_ETH_MAX_LEN || jumboPf)) {
                return false;
            }
        }
        if (maxFrame < RTE_ETHER_MIN_LEN || maxFrame > RTE_ETHER_MAX_JUMBO_FRAME_LEN) {
            return false;
        }
        pf.raiseMaxFrame(maxFrame);
        return true;
    }

    /** ixgbe_vf_set_vlan: add or remove the VF in the VLAN's filter entry; no port-VLAN or DCB refusal. */
    private boolean setVlan(VfState vf, int[] msg) {
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

    /**
     * ixgbe_get_vf_queues: API 2.0 or 1.1–1.3; fills tx/rx queues and the default queue (absolute:
     * VF × queues per pool) before deciding, so a refusal still carries them; refused while the port's tx
     * mode is NONE (not configured yet), or with DCB pools other than 16 (8 TCs) or 32 (4 TCs).
     */
    private boolean getQueues(VfState vf, int[] msg) {
        ApiVersion a = vf.api;
        if (a != ApiVersion.V2_0 && a != ApiVersion.V1_1 && a != ApiVersion.V1_2 && a != ApiVersion.V1_3) {
            return false;
        }
        int q = pf.queuesPerPool();
        msg[1] = q;
        msg[2] = q;
        msg[4] = vf.index * q;
        if (!pf.pfPortConfigured()) {
            return false;
        }
        if (pf.trafficClasses() > 1) {
            if (q != 8 && q != 4) {
                return false;
            }
            msg[3] = q == 8 ? 8 : 4;
        } else {
            msg[3] = 0; // VMVIR is 0: DPDK's VF reset clears any inserted VLAN
        }
        return true;
    }

    /**
     * ixgbe_set_vf_mc_promisc: API 1.2 (PROMISC refused) or 1.3 only; no trust check; the remembered mode
     * short-cuts; PROMISC refused up to the 82599 and while the PF is not promiscuous. Word 1 of the reply is
     * not written back (one-word reply): the VF sees its own request there.
     */
    private boolean updateXcast(VfState vf, int[] msg) {
        int requested = msg[1];
        if (vf.api == ApiVersion.V1_2) {
            if (requested == XcastMode.PROMISC.ordinal()) {
                return false;
            }
        } else if (vf.api != ApiVersion.V1_3) {
            return false;
        }
        XcastMode mode = XcastMode.fromWire(requested);
        if (mode == vf.xcast) {
            return true;
        }
        if (mode == null) {
            return false;
        }
        if (mode == XcastMode.PROMISC && (pf.flavour() == Flavour.X82599 || !pf.pfPromiscuous())) {
            return false;
        }
        applyXcast(vf, mode);
        return true;
    }

    /**
     * ixgbe_set_vf_macvlan_msg: index > 0 writes RAR entry (++mac_count) for the VF, overwriting whatever was
     * there, another VF's entry included; index 0 clears only entry mac_count and sets the count to 0, so
     * earlier entries stay active. No capacity check, no trust check, anti-spoofing untouched.
     */
    private boolean setMacvlan(VfState vf, int[] msg) {
        int index = info(msg[0]);
        if (index > 0) {
            MacAddress mac = MacWords.fromWords(msg[1], msg[2]);
            if (!MacWords.isStation(mac)) {
                return false;
            }
            macvlanRar.put(++macCount[vf.index], new Owned(vf.index, mac));
        } else if (macCount[vf.index] != 0) {
            macvlanRar.remove(macCount[vf.index]);
            macCount[vf.index] = 0;
        }
        pf.setMacvlans(macvlansByVf());
        return true;
    }

    private Map<Integer, List<MacAddress>> macvlansByVf() {
        Map<Integer, List<MacAddress>> byVf = new TreeMap<>();
        for (Owned o : macvlanRar.values()) {
            byVf.computeIfAbsent(o.vf(), k -> new ArrayList<>()).add(o.mac());
        }
        return byVf;
    }
}
