/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.pf;

import dev.wirespeed.core.device.Bar;
import dev.wirespeed.core.packet.MacAddress;
import dev.wirespeed.emulator.Flavour;
import dev.wirespeed.emulator.VfMailboxClient;
import dev.wirespeed.emulator.mailbox.ApiVersion;
import dev.wirespeed.emulator.time.ManualDeviceClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.wirespeed.emulator.Facts.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What sets the three PF personalities apart, message by message, driven as a VF drives BAR0. Sources:
 * Linux drivers/net/ethernet/intel/ixgbe/ixgbe_sriov.c (current and before 5.18), DPDK
 * drivers/net/ixgbe/ixgbe_pf.c (22.11/23.11); see the emulator README's personality tables.
 */
class PfPersonalitiesTest {
    private static final int ACK_CTS = MSG_SUCCESS | MSG_CTS;
    private static final int NACK_CTS = MSG_FAILURE | MSG_CTS;
    private static final int SET_MACVLAN_1 = SET_MACVLAN | 1 << 16;
    private static final int GET_PF_LINK_STATE = 0x11, FEATURES_NEGOTIATE = 0x12, IPSEC_ADD = 0x0D;

    private EmulatedPf pf;
    private Bar bar;
    private VfMailboxClient vf;

    private VfMailboxClient open(PfConfig config) {
        pf = new EmulatedPf(config.clock(new ManualDeviceClock()));
        bar = pf.vf(0).bar(0);
        vf = new VfMailboxClient(bar);
        return vf;
    }

    private VfMailboxClient ready(PfPersonality p, int api) {
        open(new PfConfig().personality(p));
        vf.resetAndHello();
        assertThat(vf.request(API_NEGOTIATE, api, 0)[0]).isEqualTo(API_NEGOTIATE | ACK_CTS);
        return vf;
    }

    @AfterEach
    void tearDown() {
        if (pf != null) {
            pf.close();
        }
    }

    private static int[] mac(MacAddress m) {
        return VfMailboxClient.macWords(m);
    }

    // ---- GET_LINK_STATE (0x10): Linux from 5.18 only

    @Test
    void getLinkStateIsAnsweredOnlyByCurrentLinux() {
        ready(PfPersonality.LINUX, API_12);
        int[] r = vf.request(GET_LINK_STATE);
        assertThat(r[0]).isEqualTo(GET_LINK_STATE | ACK_CTS);
        assertThat(r[1]).isEqualTo(1);
        pf.close();
        ready(PfPersonality.LINUX_LEGACY, API_12);
        assertThat(vf.request(GET_LINK_STATE)[0]).as("default case: NACK with CTS").isEqualTo(GET_LINK_STATE | NACK_CTS);
        pf.close();
        ready(PfPersonality.DPDK, API_12);
        assertThat(vf.request(GET_LINK_STATE)[0]).isEqualTo(GET_LINK_STATE | NACK_CTS);
    }

    // ---- API versions

    @Test
    void eachPersonalityGrantsItsOwnApiVersions() {
        int[][] granted = {
                {API_10, API_11, API_12, API_13, API_14, API_16, API_17}, // Linux, 2025
                {API_10, API_11, API_12, API_13, API_14},                 // Linux < 5.18
                {API_10, API_11, API_12, API_13}};                        // DPDK
        PfPersonality[] ps = {PfPersonality.LINUX, PfPersonality.LINUX_LEGACY, PfPersonality.DPDK};
        for (int i = 0; i < ps.length; i++) {
            open(new PfConfig().personality(ps[i]));
            vf.resetAndHello();
            for (int api = API_10; api <= API_17; api++) {
                int expected = contains(granted[i], api) ? ACK_CTS : NACK_CTS;
                assertThat(vf.request(API_NEGOTIATE, api, 0)[0]).as("%s api %d", ps[i], api).isEqualTo(API_NEGOTIATE | expected);
            }
            pf.close();
        }
        pf = null;
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) {
            if (x == v) {
                return true;
            }
        }
        return false;
    }

    // ---- requests before VF_RESET

    @Test
    void linuxNacksARequestBeforeVfResetWithOneWordAndNoCts() {
        // ixgbe_rcv_msg_from_vf: msgbuf[0] |= NACK; ixgbe_write_mbx(hw, msgbuf, 1, vf)
        open(new PfConfig());
        int[] r = vf.request(API_NEGOTIATE, API_12, 0x1234);
        assertThat(r[0]).isEqualTo(API_NEGOTIATE | MSG_FAILURE);
        assertThat(r[2]).as("word 2 is the request's: only one word was written").isEqualTo(0x1234);
    }

    @Test
    void dpdkAnswersRequestsBeforeVfResetWithCts() {
        // DPDK's ixgbe_rcv_msg_from_vf never looks at clear_to_send for requests
        open(new PfConfig().personality(PfPersonality.DPDK));
        assertThat(vf.request(API_NEGOTIATE, API_12, 0)[0]).isEqualTo(API_NEGOTIATE | ACK_CTS);
        assertThat(pf.vfState(0).api()).isEqualTo(ApiVersion.V1_2);
        assertThat(pf.vfState(0).clearToSend()).isFalse();
    }

    // ---- VF_RESET

    @Test
    void dpdkAcksVfResetWithTheRandomMacItGaveTheVf() {
        // ixgbe_vf_perm_addr_gen + ixgbe_vf_reset: always ACK, the VF's MAC, filter type 0, no CTS
        open(new PfConfig().personality(PfPersonality.DPDK));
        int[] r = vf.resetAndHello();
        assertThat(r[0]).isEqualTo(VF_RESET | MSG_SUCCESS);
        MacAddress m = macFromWords(r[1], r[2]);
        assertThat(m).isEqualTo(pf.vfState(0).mac());
        assertThat(m.isMulticast()).isFalse();
        assertThat(m.toBytes()[0] & 2).as("locally administered").isEqualTo(2);
        assertThat(r[3]).isZero();
        assertThat(pf.vfState(0).clearToSend()).isTrue();
    }

    @Test
    void dpdkGivesBackAMacTheVfSetItselfWhereLinuxDoesNot() {
        MacAddress m = MacAddress.parse("02:aa:bb:cc:dd:ee");
        for (PfPersonality p : new PfPersonality[]{PfPersonality.LINUX, PfPersonality.DPDK}) {
            ready(p, API_11);
            int[] w = mac(m);
            assertThat(vf.request(SET_MAC_ADDR, w[0], w[1])[0]).isEqualTo(SET_MAC_ADDR | ACK_CTS);
            int[] r = vf.resetAndHello();
            assertThat(r[0]).as("%s", p).isEqualTo(VF_RESET | (p == PfPersonality.DPDK ? MSG_SUCCESS : MSG_FAILURE));
            pf.close();
        }
        pf = null;
    }

    @Test
    void linuxDoesNotTakeClearToSendAwayOnAVfReset() {
        // ixgbe_vf_reset_event leaves clear_to_send alone: after VFCTRL.RST the VF is still answered
        ready(PfPersonality.LINUX, API_12);
        bar.write32(VFCTRL, VFCTRL_RST);
        vf.resetSeen();
        vf.letPfRun();
        assertThat(pf.vfState(0).api()).as("the reset event put the API back to 1.0").isEqualTo(ApiVersion.V1_0);
        assertThat(vf.request(API_NEGOTIATE, API_11, 0)[0]).isEqualTo(API_NEGOTIATE | ACK_CTS);
    }

    // ---- reply length and contents

    @Test
    void dpdkWritesBackOneWordSoWordOneOfAnXcastReplyIsTheRequestsOwn() {
        // DPDK IXGBE_VF_MSG_SIZE_DEFAULT = 1; Linux writes all 16 words
        ready(PfPersonality.DPDK, API_12);
        int[] r = vf.request(UPDATE_XCAST_MODE, 2, 0x5555);
        assertThat(r[0]).as("no trust check in DPDK: ALLMULTI granted").isEqualTo(UPDATE_XCAST_MODE | ACK_CTS);
        assertThat(r[1]).isEqualTo(2);
        assertThat(r[2]).isEqualTo(0x5555);
        assertThat(pf.vfState(0).allMulticast()).isTrue();
    }

    @Test
    void linuxHoldsAnUntrustedVfAtMultiWhereDpdkGrantsAllmulti() {
        ready(PfPersonality.LINUX, API_12);
        assertThat(vf.request(UPDATE_XCAST_MODE, 2)[1]).isEqualTo(1);
        assertThat(pf.vfState(0).allMulticast()).isFalse();
    }

    @Test
    void messagesDpdkDoesNotKnowAreNackedWithCts() {
        ready(PfPersonality.DPDK, API_13);
        for (int id : new int[]{GET_RETA, GET_RSS_KEY, GET_LINK_STATE, IPSEC_ADD, GET_PF_LINK_STATE, FEATURES_NEGOTIATE, 0x07}) {
            assertThat(vf.request(id)[0]).as("id 0x%x", id).isEqualTo(id | NACK_CTS);
        }
    }

    // ---- GET_QUEUES

    @Test
    void dpdkReportsEightQueuesAndAnAbsoluteDefaultQueue() {
        // ixgbe_pf_host_init: fewer than 16 VFs → 16 pools × 8 queues; default queue = VF × queues per pool
        open(new PfConfig().personality(PfPersonality.DPDK).vfCount(3));
        VfMailboxClient vf2 = new VfMailboxClient(pf.vf(2).bar(0));
        vf2.resetAndHello();
        vf2.request(API_NEGOTIATE, API_11, 0);
        int[] r = vf2.request(GET_QUEUES, 0, 0, 0x77, 0, 0x99);
        assertThat(r[0]).isEqualTo(GET_QUEUES | ACK_CTS);
        assertThat(new int[]{r[1], r[2], r[3], r[4]}).containsExactly(8, 8, 0, 16);
        assertThat(r[5]).as("five words written").isEqualTo(0x99);
    }

    @Test
    void dpdkRefusesGetQueuesUntilItsPortIsConfigured() {
        // ixgbe_get_vf_queues: tx mq_mode NONE → -1, after filling the queue words
        open(new PfConfig().personality(PfPersonality.DPDK).pfPortConfigured(false));
        vf.resetAndHello();
        vf.request(API_NEGOTIATE, API_12, 0);
        int[] r = vf.request(GET_QUEUES, 0, 0, 0x77, 0);
        assertThat(r[0]).isEqualTo(GET_QUEUES | NACK_CTS);
        assertThat(new int[]{r[1], r[2], r[3], r[4]}).containsExactly(8, 8, 0x77, 0);
    }

    @Test
    void linuxReportsTheDefaultTrafficClassAsDefaultQueueUnderDcb() {
        open(new PfConfig().trafficClasses(4).defaultQueue(2));
        vf.resetAndHello();
        vf.request(API_NEGOTIATE, API_11, 0);
        int[] r = vf.request(GET_QUEUES);
        assertThat(new int[]{r[1], r[2], r[3], r[4]}).containsExactly(4, 4, 4, 2);
    }

    // ---- Linux 2025 additions

    @Test
    void currentLinuxNegotiatesFeaturesOnApi17Only() {
        ready(PfPersonality.LINUX, API_16);
        assertThat(vf.request(FEATURES_NEGOTIATE, 3)[0]).isEqualTo(FEATURES_NEGOTIATE | NACK_CTS);
        assertThat(vf.request(GET_PF_LINK_STATE)[0]).as("E610 only").isEqualTo(GET_PF_LINK_STATE | NACK_CTS);
        vf.request(API_NEGOTIATE, API_17, 0);
        int[] r = vf.request(FEATURES_NEGOTIATE, 3);
        assertThat(r[0]).isEqualTo(FEATURES_NEGOTIATE | ACK_CTS);
        assertThat(r[1]).as("IPsec only, never the ESX mailbox").isEqualTo(1);
    }

    // ---- MACVLAN

    @Test
    void linuxClearsTheListWhenIndexOneComesAgain() {
        // ixgbe_set_vf_macvlan: index <= 1 removes the VF's entries first
        ready(PfPersonality.LINUX, API_11);
        int[] a = mac(MacAddress.parse("02:00:00:00:00:0a"));
        int[] b = mac(MacAddress.parse("02:00:00:00:00:0b"));
        vf.request(SET_MACVLAN_1, a[0], a[1]);
        vf.request(SET_MACVLAN | 2 << 16, b[0], b[1]);
        vf.request(SET_MACVLAN_1, b[0], b[1]);
        assertThat(pf.vfState(0).macvlans()).containsExactly(MacAddress.parse("02:00:00:00:00:0b"));
        assertThat(pf.macvlansUsed()).isEqualTo(1);
    }

    @Test
    void dpdkClearsOnlyTheLastMacvlanAndSharesEntriesBetweenVfs() {
        // ixgbe_set_vf_macvlan_msg: RAR index = ++mac_count per VF; index 0 clears entry mac_count only
        open(new PfConfig().personality(PfPersonality.DPDK).vfCount(2));
        VfMailboxClient other = new VfMailboxClient(pf.vf(1).bar(0));
        vf.resetAndHello();
        other.resetAndHello();
        MacAddress a = MacAddress.parse("02:00:00:00:00:0a"), b = MacAddress.parse("02:00:00:00:00:0b");
        MacAddress c = MacAddress.parse("02:00:00:00:00:0c");
        vf.request(SET_MACVLAN_1, mac(a)[0], mac(a)[1]);
        vf.request(SET_MACVLAN | 2 << 16, mac(b)[0], mac(b)[1]);
        assertThat(vf.request(SET_MACVLAN, 0, 0)[0]).isEqualTo(SET_MACVLAN | ACK_CTS);
        assertThat(pf.vfState(0).macvlans()).as("only entry 2 was cleared").containsExactly(a);
        other.request(SET_MACVLAN_1, mac(c)[0], mac(c)[1]);
        assertThat(pf.vfState(1).macvlans()).containsExactly(c);
        assertThat(pf.vfState(0).macvlans()).as("VF 1 overwrote entry 1").isEmpty();
    }

    // ---- SET_LPE

    @Test
    void linuxRefusesFramesBelowTheMinimumMtu() {
        ready(PfPersonality.LINUX, API_11);
        assertThat(vf.request(SET_LPE, 67)[0]).isEqualTo(SET_LPE | NACK_CTS);
        assertThat(vf.request(SET_LPE, 68)[0]).isEqualTo(SET_LPE | ACK_CTS);
    }

    @Test
    void dpdkRefusesAJumboFrameOnAn82599WithoutTouchingRx() {
        ready(PfPersonality.DPDK, API_11);
        assertThat(vf.request(SET_LPE, 9018)[0]).isEqualTo(SET_LPE | NACK_CTS);
        assertThat(pf.vfState(0).rxEnabled()).as("DPDK never writes VFRE from SET_LPE").isTrue();
        assertThat(vf.request(SET_LPE, 63)[0]).isEqualTo(SET_LPE | NACK_CTS);
    }

    @Test
    void linuxSetLpeTurnsRxBackOnEvenForAnAdministrativelyDisabledVf() {
        // ixgbe_set_vf_lpe (82599) writes VFRE from its verdict alone
        ready(PfPersonality.LINUX, API_11);
        pf.setVfLinkState(0, LinkState.DISABLE);
        vf.letPfRun();
        vf.resetAndHello();
        assertThat(pf.vfState(0).rxEnabled()).isFalse();
        assertThat(vf.request(SET_LPE, 1518)[0]).isEqualTo(SET_LPE | ACK_CTS);
        assertThat(pf.vfState(0).rxEnabled()).isTrue();
        assertThat(pf.vfState(0).txEnabled()).isFalse();
    }

    // ---- DCB

    @Test
    void dpdkReportsTrafficClassesByPoolCountAndAcceptsVlansUnderDcb() {
        // ixgbe_get_vf_queues: VMDQ_DCB with 16 pools → 8 TCs; ixgbe_vf_set_vlan has no DCB refusal
        open(new PfConfig().personality(PfPersonality.DPDK).trafficClasses(4));
        vf.resetAndHello();
        vf.request(API_NEGOTIATE, API_11, 0);
        assertThat(vf.request(GET_QUEUES)[3]).isEqualTo(8);
        assertThat(vf.request(SET_VLAN | 1 << 16, 100)[0]).isEqualTo(SET_VLAN | 1 << 16 | ACK_CTS);
        pf.close();
        open(new PfConfig().personality(PfPersonality.DPDK).trafficClasses(4).queuesPerPool(2));
        vf.resetAndHello();
        vf.request(API_NEGOTIATE, API_11, 0);
        assertThat(vf.request(GET_QUEUES)[0]).as("64 pools cannot do DCB").isEqualTo(GET_QUEUES | NACK_CTS);
    }

    // ---- what a VF reset leaves

    @Test
    void linuxKeepsAllmultiAcrossAVfResetAndLeavesAntiSpoofingOffWithoutAPortVlan() {
        // ixgbe_vf_reset_event touches neither MPE/UPE nor the remembered mode; anti-spoofing comes back only with a port VLAN
        open(new PfConfig());
        pf.setVfTrust(0, true);
        vf.resetAndHello();
        vf.request(API_NEGOTIATE, API_12, 0);
        vf.request(UPDATE_XCAST_MODE, 2);
        int[] m = mac(MacAddress.parse("02:00:00:00:00:0a"));
        vf.request(SET_MACVLAN_1, m[0], m[1]);
        assertThat(pf.vfState(0).macAntiSpoof()).isFalse();
        vf.resetAndHello();
        VfSnapshot s = pf.vfState(0);
        assertThat(s.allMulticast()).isTrue();
        assertThat(s.xcast()).isEqualTo(XcastMode.ALLMULTI);
        assertThat(s.macvlans()).isEmpty();
        assertThat(s.macAntiSpoof()).isFalse();
        assertThat(s.hashMulticast()).as("no hashes after the reset").isFalse();
        pf.setVfPortVlan(0, 9, 0);
        vf.resetAndHello();
        assertThat(pf.vfState(0).macAntiSpoof()).as("with a port VLAN").isTrue();
    }

    @Test
    void dpdkKeepsVlansAndMacvlansAndTheApiAcrossAVfReset() {
        ready(PfPersonality.DPDK, API_13);
        vf.request(SET_VLAN | 1 << 16, 100);
        int[] m = mac(MacAddress.parse("02:00:00:00:00:0a"));
        vf.request(SET_MACVLAN_1, m[0], m[1]);
        vf.resetAndHello();
        VfSnapshot s = pf.vfState(0);
        assertThat(s.vlans()).containsExactly(100);
        assertThat(s.macvlans()).hasSize(1);
        assertThat(s.api()).isEqualTo(ApiVersion.V1_3);
    }

    // ---- administrator settings each PF lacks

    @Test
    void settingsAPfDoesNotHaveAreRefused() {
        open(new PfConfig().personality(PfPersonality.DPDK));
        assertThatThrownBy(() -> pf.setVfTrust(0, true)).isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("trust");
        assertThatThrownBy(() -> pf.setVfPortVlan(0, 10, 0)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> pf.setVfLinkState(0, LinkState.DISABLE)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> pf.setVfMac(0, null)).isInstanceOf(IllegalArgumentException.class);
        pf.setVfTrust(0, false); // what it already is: fine
        pf.close();
        open(new PfConfig().personality(PfPersonality.LINUX_LEGACY));
        assertThatThrownBy(() -> pf.setVfLinkState(0, LinkState.DISABLE)).hasMessageContaining("before 5.18");
    }

    @Test
    void linuxIgnoresLinkStateEnable() {
        // ixgbe_ndo_set_vf_link_state: IFLA_VF_LINK_STATE_ENABLE "not supported"
        ready(PfPersonality.LINUX, API_12);
        bar.read32(VFMAILBOX);
        pf.setVfLinkState(0, LinkState.ENABLE);
        assertThat(pf.vfState(0).linkState()).isEqualTo(LinkState.AUTO);
        assertThat(vf.consumeMessage()).as("no ping").isFalse();
        assertThat(pf.vfState(0).clearToSend()).isTrue();
    }

    @Test
    void dpdkLeavesAntiSpoofingOffAndBlocksOnlyPause() {
        open(new PfConfig().personality(PfPersonality.DPDK));
        VfFilter f = pf.filter(0);
        assertThat(pf.vfState(0).spoofCheck()).isFalse();
        assertThat(f.dropsSource(0x0200_0000_0099L)).isFalse();
        assertThat(f.dropsEtherType(0x8808)).as("PAUSE: ixgbe_add_tx_flow_control_drop_filter").isTrue();
        assertThat(f.dropsEtherType(0x88CC)).as("LLDP passes").isFalse();
    }

    @Test
    void queryRssIsRefusedOnX550() {
        open(new PfConfig().flavour(Flavour.X550));
        assertThatThrownBy(() -> pf.setVfQueryRss(0, true)).hasMessageContaining("82599 and X540");
    }
}
