/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.pf;

import dev.wirespeed.core.device.Bar;
import dev.wirespeed.emulator.Flavour;
import dev.wirespeed.core.packet.MacAddress;
import dev.wirespeed.emulator.VfMailboxClient;
import dev.wirespeed.emulator.mailbox.ApiVersion;
import dev.wirespeed.emulator.time.ManualDeviceClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;

import static dev.wirespeed.emulator.Facts.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every mailbox request, acting as a VF through BAR0, and the PF's rules for each (facts §3.2–§3.5, §8). */
class PfMessagesTest {
    private static final MacAddress ADMIN_MAC = MacAddress.parse("02:00:00:00:00:01");
    private static final int ACK_CTS = MSG_SUCCESS | MSG_CTS;
    private static final int NACK_CTS = MSG_FAILURE | MSG_CTS;

    private EmulatedPf pf;
    private Bar bar;
    private VfMailboxClient vf;

    private VfMailboxClient open(PfConfig config) {
        pf = new EmulatedPf(config.clock(new ManualDeviceClock())); // the PF answers when the client's polls move time
        bar = pf.vf(0).bar(0);
        vf = new VfMailboxClient(bar);
        return vf;
    }

    /** A VF that has reset and negotiated {@code api}. */
    private VfMailboxClient ready(PfConfig config, int api) {
        open(config);
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

    // ---- VF_RESET

    @Test
    void vfResetWithoutAnAssignedMacIsNackedButStillEnablesTheVf() {
        // facts §3.2: NACK = no MAC assigned; facts §3.4 step 8: rx/tx on, CTS
        open(new PfConfig());
        int[] reply = vf.resetAndHello();
        assertThat(reply[0]).isEqualTo(VF_RESET | MSG_FAILURE);
        assertThat(reply[1]).isZero();
        VfSnapshot s = pf.vfState(0);
        assertThat(s.clearToSend()).isTrue();
        assertThat(s.rxEnabled()).isTrue();
        assertThat(s.txEnabled()).isTrue();
    }

    @Test
    void vfResetReportsTheMulticastFilterType() {
        open(new PfConfig().multicastFilterType(2));
        pf.setVfMac(0, ADMIN_MAC);
        int[] reply = vf.resetAndHello();
        assertThat(reply[0]).isEqualTo(VF_RESET | MSG_SUCCESS);
        assertThat(macFromWords(reply[1], reply[2])).isEqualTo(ADMIN_MAC);
        assertThat(reply[3]).isEqualTo(2);
    }

    @Test
    void vfResetZeroesHeadWriteBackAndClearsFiltersAndApi() {
        // facts §3.4 step 8: the PF zeroes TDWBAL/H and clears the VF's filters; the API falls back to 1.0
        ready(new PfConfig(), API_12);
        vf.request(SET_VLAN | 1 << 16, 100);
        vf.request(SET_MULTICAST | 1 << 16, 0x123);
        bar.write32(tx(VFTDWBAL, 1), 0x1001);
        bar.write32(tx(VFTDWBAH, 1), 0x7);
        vf.request(VF_RESET);
        assertThat(bar.read32(tx(VFTDWBAL, 1))).isZero();
        assertThat(bar.read32(tx(VFTDWBAH, 1))).isZero();
        VfSnapshot s = pf.vfState(0);
        assertThat(s.vlans()).as("ixgbe_vf_reset_event gives VLAN 0 back").containsExactly(0);
        assertThat(s.multicastHashes()).isEmpty();
        assertThat(s.api()).isEqualTo(ApiVersion.V1_0);
    }

    @Test
    void aMacTheVfSetItselfIsKeptButNotGivenBackByVfReset() {
        // Linux ixgbe_vf_reset_msg: ACK with the MAC only if the administrator set it (pf_set_mac)
        ready(new PfConfig(), API_11);
        MacAddress m = MacAddress.parse("02:aa:bb:cc:dd:ee");
        int[] w = mac(m);
        vf.request(SET_MAC_ADDR, w[0], w[1]);
        int[] reply = vf.resetAndHello();
        assertThat(reply[0]).isEqualTo(VF_RESET | MSG_FAILURE);
        assertThat(reply[1]).isZero();
        assertThat(pf.vfState(0).mac()).as("the filter keeps it").isEqualTo(m);
    }

    // ---- SET_MAC_ADDR

    @Test
    void setMacAcceptsAValidUnicastAddress() {
        ready(new PfConfig(), API_10);
        MacAddress m = MacAddress.parse("02:11:22:33:44:55");
        int[] w = mac(m);
        assertThat(vf.request(SET_MAC_ADDR, w[0], w[1])[0]).isEqualTo(SET_MAC_ADDR | ACK_CTS);
        assertThat(pf.vfState(0).mac()).isEqualTo(m);
    }

    @Test
    void setMacRefusesMulticastAndZero() {
        ready(new PfConfig(), API_10);
        int[] w = mac(MacAddress.parse("01:00:5e:00:00:01"));
        assertThat(vf.request(SET_MAC_ADDR, w[0], w[1])[0]).isEqualTo(SET_MAC_ADDR | NACK_CTS);
        assertThat(vf.request(SET_MAC_ADDR, 0, 0)[0]).isEqualTo(SET_MAC_ADDR | NACK_CTS);
        assertThat(pf.vfState(0).mac().isZero()).isTrue();
    }

    @Test
    void anUntrustedVfCannotOverrideTheAdministratorsMacButATrustedOneCan() {
        // facts §3.2, §8.4
        open(new PfConfig());
        pf.setVfMac(0, ADMIN_MAC);
        vf.resetAndHello();
        int[] w = mac(MacAddress.parse("02:99:99:99:99:99"));
        assertThat(vf.request(SET_MAC_ADDR, w[0], w[1])[0]).isEqualTo(SET_MAC_ADDR | NACK_CTS);
        int[] same = mac(ADMIN_MAC);
        assertThat(vf.request(SET_MAC_ADDR, same[0], same[1])[0]).as("re-setting the same MAC is fine").isEqualTo(SET_MAC_ADDR | ACK_CTS);
        pf.setVfTrust(0, true);
        vf.resetAndHello();
        assertThat(vf.request(SET_MAC_ADDR, w[0], w[1])[0]).isEqualTo(SET_MAC_ADDR | ACK_CTS);
    }

    // ---- SET_MULTICAST

    @Test
    void setMulticastStoresTheHashesPackedTwoPerWord() {
        // facts §3.2: info = count; 16-bit hash values packed from word 1; facts §3.5: 12-bit vectors
        ready(new PfConfig(), API_10);
        int[] reply = vf.request(SET_MULTICAST | 3 << 16, 0x0456_0123, 0xF789);
        assertThat(reply[0]).isEqualTo(SET_MULTICAST | 3 << 16 | ACK_CTS);
        assertThat(pf.vfState(0).multicastHashes()).containsExactly(0x123, 0x456, 0x789);
    }

    @Test
    void setMulticastKeepsAtMostThirtyHashes() {
        ready(new PfConfig(), API_10);
        int[] msg = new int[16];
        msg[0] = SET_MULTICAST | 40 << 16;
        for (int i = 1; i < 16; i++) {
            msg[i] = (2 * i) << 16 | (2 * i - 1);
        }
        vf.request(msg);
        assertThat(pf.vfState(0).multicastHashes()).hasSize(30).startsWith(1, 2, 3).endsWith(30);
    }

    // ---- SET_VLAN

    @Test
    void setVlanAddsAndRemovesFilters() {
        ready(new PfConfig(), API_10);
        assertThat(vf.request(SET_VLAN | 1 << 16, 100)[0]).isEqualTo(SET_VLAN | 1 << 16 | ACK_CTS);
        vf.request(SET_VLAN | 1 << 16, 200);
        assertThat(pf.vfState(0).vlans()).containsExactly(0, 100, 200);
        assertThat(vf.request(SET_VLAN, 100)[0]).isEqualTo(SET_VLAN | ACK_CTS);
        assertThat(pf.vfState(0).vlans()).containsExactly(0, 200);
        assertThat(vf.request(SET_VLAN, 0)[0]).as("VLAN 0 cannot be removed, and that is no error").isEqualTo(SET_VLAN | ACK_CTS);
        assertThat(pf.vfState(0).vlans()).containsExactly(0, 200);
    }

    @Test
    void setVlanIsRefusedUnderAPortVlanOrDcb() {
        // facts §3.2: refused if the PF set a port VLAN or DCB is active
        open(new PfConfig());
        pf.setVfPortVlan(0, 42, 0);
        vf.resetAndHello();
        assertThat(vf.request(SET_VLAN | 1 << 16, 100)[0]).isEqualTo(SET_VLAN | 1 << 16 | NACK_CTS);
        assertThat(pf.vfState(0).vlans()).containsExactly(42);
        pf.close();
        ready(new PfConfig().trafficClasses(4), API_10);
        assertThat(vf.request(SET_VLAN | 1 << 16, 100)[0]).isEqualTo(SET_VLAN | 1 << 16 | NACK_CTS);
    }

    @Test
    void setVlanIsRefusedWhenTheSharedVlanTableIsFull() {
        ready(new PfConfig().vfCount(2).vlanFilterCapacity(2), API_10);
        vf.request(SET_VLAN | 1 << 16, 1);
        vf.request(SET_VLAN | 1 << 16, 2);
        assertThat(vf.request(SET_VLAN | 1 << 16, 3)[0]).isEqualTo(SET_VLAN | 1 << 16 | NACK_CTS);
        VfMailboxClient other = new VfMailboxClient(pf.vf(1).bar(0));
        other.resetAndHello();
        assertThat(other.request(SET_VLAN | 1 << 16, 2)[0]).as("an existing VLAN id shares its entry").isEqualTo(SET_VLAN | 1 << 16 | ACK_CTS);
        assertThat(other.request(SET_VLAN | 1 << 16, 4)[0]).isEqualTo(SET_VLAN | 1 << 16 | NACK_CTS);
    }

    // ---- SET_LPE (facts §8.2)

    @Test
    void on82599AnApi10VfAskingForJumboFramesIsRefusedAndItsRxDisabled() {
        ready(new PfConfig(), API_10);
        assertThat(vf.request(SET_LPE, 1518)[0]).isEqualTo(SET_LPE | ACK_CTS);
        assertThat(pf.vfState(0).rxEnabled()).isTrue();
        assertThat(vf.request(SET_LPE, 1519)[0]).isEqualTo(SET_LPE | NACK_CTS);
        assertThat(pf.vfState(0).rxEnabled()).isFalse();
        assertThat(pf.maxFrameSize()).isEqualTo(1518);
    }

    @Test
    void on82599AJumboPfDisablesLegacyVfsButAllowsApi11Jumbo() {
        ready(new PfConfig().pfMtu(9000), API_10);
        assertThat(pf.vfState(0).rxEnabled()).as("VF_RESET with a jumbo PF leaves rx off on 82599").isFalse();
        assertThat(vf.request(SET_LPE, 1518)[0]).isEqualTo(SET_LPE | NACK_CTS);
        assertThat(pf.vfState(0).rxEnabled()).isFalse();
        vf.resetAndHello();
        vf.request(API_NEGOTIATE, API_11, 0);
        assertThat(vf.request(SET_LPE, 9018)[0]).isEqualTo(SET_LPE | ACK_CTS);
        assertThat(pf.vfState(0).rxEnabled()).isTrue();
        assertThat(pf.maxFrameSize()).isEqualTo(9018);
    }

    @Test
    void on82599AnApi11VfStillCannotGoJumboWhileThePfIsNot() {
        ready(new PfConfig(), API_11);
        assertThat(vf.request(SET_LPE, 9018)[0]).isEqualTo(SET_LPE | NACK_CTS);
        assertThat(pf.vfState(0).rxEnabled()).isFalse();
    }

    @Test
    void onX550AnyVfMayRaiseTheMaxFrameUpTo9728() {
        ready(new PfConfig().flavour(Flavour.X550), API_10);
        assertThat(vf.request(SET_LPE, 9018)[0]).isEqualTo(SET_LPE | ACK_CTS);
        assertThat(pf.vfState(0).rxEnabled()).isTrue();
        assertThat(pf.maxFrameSize()).isEqualTo(9018);
        assertThat(vf.request(SET_LPE, 9729)[0]).isEqualTo(SET_LPE | NACK_CTS);
    }

    // ---- SET_MACVLAN

    @Test
    void setMacvlanAddsFiltersTurnsAntiSpoofingOffAndIndexZeroClears() {
        // facts §3.2; facts §8.5: a successful SET_MACVLAN turns MAC and VLAN anti-spoofing off
        ready(new PfConfig(), API_10);
        int[] w = mac(MacAddress.parse("02:00:00:00:00:77"));
        assertThat(vf.request(SET_MACVLAN | 1 << 16, w[0], w[1])[0]).isEqualTo(SET_MACVLAN | 1 << 16 | ACK_CTS);
        VfSnapshot s = pf.vfState(0);
        assertThat(s.macvlans()).containsExactly(MacAddress.parse("02:00:00:00:00:77"));
        assertThat(s.macAntiSpoof()).isFalse();
        assertThat(s.vlanAntiSpoof()).isFalse();
        assertThat(vf.request(SET_MACVLAN, 0, 0)[0]).isEqualTo(SET_MACVLAN | ACK_CTS);
        assertThat(pf.vfState(0).macvlans()).isEmpty();
        assertThat(pf.macvlansUsed()).isZero();
    }

    @Test
    void setMacvlanIsRefusedWhenFullOrForAnUntrustedVfWithAnAdminMac() {
        ready(new PfConfig().macvlanCapacity(1), API_10);
        int[] a = mac(MacAddress.parse("02:00:00:00:00:01"));
        int[] b = mac(MacAddress.parse("02:00:00:00:00:02"));
        vf.request(SET_MACVLAN | 1 << 16, a[0], a[1]);
        assertThat(vf.request(SET_MACVLAN | 2 << 16, b[0], b[1])[0]).as("no space").isEqualTo(SET_MACVLAN | 2 << 16 | NACK_CTS);
        pf.setVfMac(0, ADMIN_MAC);
        vf.resetAndHello();
        assertThat(vf.request(SET_MACVLAN | 1 << 16, b[0], b[1])[0]).isEqualTo(SET_MACVLAN | 1 << 16 | NACK_CTS);
    }

    // ---- API_NEGOTIATE (facts §3.3)

    @Test
    void theDefaultPfAcceptsWhatCurrentLinuxAccepts() {
        // ixgbe_negotiate_vf_api: 1.0-1.4, 1.6 and 1.7, never 1.5 (facts §3.3)
        open(new PfConfig());
        vf.resetAndHello();
        assertThat(vf.request(API_NEGOTIATE, API_15, 0)[0]).isEqualTo(API_NEGOTIATE | NACK_CTS);
        assertThat(vf.request(API_NEGOTIATE, API_20, 0)[0]).isEqualTo(API_NEGOTIATE | NACK_CTS);
        for (int api : new int[]{API_17, API_16, API_14, API_13, API_12, API_11, API_10}) {
            assertThat(vf.request(API_NEGOTIATE, api, 0)[0]).as("api %d", api).isEqualTo(API_NEGOTIATE | ACK_CTS);
        }
        assertThat(pf.vfState(0).api()).isEqualTo(ApiVersion.V1_0);
        assertThat(vf.request(API_NEGOTIATE, 99, 0)[0]).isEqualTo(API_NEGOTIATE | NACK_CTS);
        assertThat(pf.vfState(0).api()).isEqualTo(ApiVersion.V1_0);
    }

    @Test
    void acceptedVersionsAreConfigurable() {
        open(new PfConfig().acceptedApis(EnumSet.of(ApiVersion.V1_0, ApiVersion.V1_1, ApiVersion.V1_7)));
        vf.resetAndHello();
        assertThat(vf.request(API_NEGOTIATE, API_17, 0)[0]).isEqualTo(API_NEGOTIATE | ACK_CTS);
        assertThat(vf.request(API_NEGOTIATE, API_13, 0)[0]).isEqualTo(API_NEGOTIATE | NACK_CTS);
    }

    // ---- GET_QUEUES (facts §3.2, §4.1)

    @Test
    void getQueuesNeedsApi11() {
        ready(new PfConfig(), API_10);
        assertThat(vf.request(GET_QUEUES)[0]).isEqualTo(GET_QUEUES | NACK_CTS);
    }

    @Test
    void getQueuesReportsFourQueuesIn32PoolMode() {
        ready(new PfConfig(), API_11);
        int[] r = vf.request(GET_QUEUES);
        assertThat(r[0]).isEqualTo(GET_QUEUES | ACK_CTS);
        assertThat(new int[]{r[1], r[2], r[3], r[4]}).containsExactly(4, 4, 0, 0);
    }

    @Test
    void getQueuesReportsTwoQueuesWithMoreThan32Pools() {
        ready(new PfConfig().vfCount(40), API_11);
        int[] r = vf.request(GET_QUEUES);
        assertThat(new int[]{r[1], r[2]}).containsExactly(2, 2);
    }

    @Test
    void getQueuesReportsTrafficClassesOrPortVlan() {
        ready(new PfConfig().trafficClasses(8), API_11);
        int[] r = vf.request(GET_QUEUES);
        assertThat(new int[]{r[1], r[2], r[3]}).containsExactly(8, 8, 8);
        pf.close();
        open(new PfConfig());
        pf.setVfPortVlan(0, 7, 3);
        vf.resetAndHello();
        vf.request(API_NEGOTIATE, API_11, 0);
        assertThat(vf.request(GET_QUEUES)[3]).isEqualTo(1);
    }

    // ---- GET_RETA / GET_RSS_KEY (facts §3.2, §8.4)

    @Test
    void rssQueriesNeedTheAdministratorsPermission() {
        ready(new PfConfig(), API_12);
        assertThat(vf.request(GET_RETA)[0]).isEqualTo(GET_RETA | NACK_CTS);
        assertThat(vf.request(GET_RSS_KEY)[0]).isEqualTo(GET_RSS_KEY | NACK_CTS);
    }

    @Test
    void getRetaPacks128TwoBitEntriesSixteenPerWord() {
        int[] reta = new int[128];
        for (int i = 0; i < 128; i++) {
            reta[i] = (i * 7) & 3;
        }
        ready(new PfConfig().reta(reta), API_12);
        pf.setVfQueryRss(0, true);
        int[] r = vf.request(GET_RETA);
        assertThat(r[0]).isEqualTo(GET_RETA | ACK_CTS);
        for (int i = 0; i < 128; i++) {
            assertThat((r[1 + i / 16] >>> (2 * (i % 16))) & 3).as("entry %d", i).isEqualTo(reta[i]);
        }
    }

    @Test
    void getRetaIsFor82599AndX540OnlyAndNeedsApi12() {
        // ixgbe_ndo_set_vf_rss_query_en refuses X550 (its VFs have RSS registers of their own)
        open(new PfConfig().flavour(Flavour.X550));
        assertThatThrownBy(() -> pf.setVfQueryRss(0, true)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("82599 and X540");
        vf.resetAndHello();
        vf.request(API_NEGOTIATE, API_12, 0);
        assertThat(vf.request(GET_RETA)[0]).isEqualTo(GET_RETA | NACK_CTS);
        pf.close();
        ready(new PfConfig().flavour(Flavour.X540), API_11);
        pf.setVfQueryRss(0, true);
        assertThat(vf.request(GET_RETA)[0]).isEqualTo(GET_RETA | NACK_CTS);
        vf.request(API_NEGOTIATE, API_12, 0);
        assertThat(vf.request(GET_RETA)[0]).isEqualTo(GET_RETA | ACK_CTS);
    }

    @Test
    void getRssKeyReturnsThe40ByteKeyInTenWords() {
        byte[] key = new byte[40];
        for (int i = 0; i < 40; i++) {
            key[i] = (byte) (i + 1);
        }
        ready(new PfConfig().rssKey(key), API_12);
        pf.setVfQueryRss(0, true);
        int[] r = vf.request(GET_RSS_KEY);
        assertThat(r[0]).isEqualTo(GET_RSS_KEY | ACK_CTS);
        assertThat(r[1]).isEqualTo(0x04030201);
        assertThat(r[10]).isEqualTo(0x28272625);
    }

    // ---- UPDATE_XCAST_MODE (facts §3.2, §8.4)

    @Test
    void anUntrustedVfIsHeldAtMulti() {
        ready(new PfConfig(), API_12);
        int[] r = vf.request(UPDATE_XCAST_MODE, 2);
        assertThat(r[0]).isEqualTo(UPDATE_XCAST_MODE | ACK_CTS);
        assertThat(r[1]).as("mode granted").isEqualTo(1);
        assertThat(vf.request(UPDATE_XCAST_MODE, 0)[1]).isZero();
        assertThat(pf.vfState(0).xcast()).isEqualTo(XcastMode.NONE);
    }

    @Test
    void aTrustedVfGetsAllmulti() {
        open(new PfConfig());
        pf.setVfTrust(0, true);
        vf.resetAndHello();
        vf.request(API_NEGOTIATE, API_12, 0);
        assertThat(vf.request(UPDATE_XCAST_MODE, 2)[1]).isEqualTo(2);
        assertThat(pf.vfState(0).xcast()).isEqualTo(XcastMode.ALLMULTI);
    }

    @Test
    void promiscuousIsRefusedOn82599AndBelowApi13() {
        open(new PfConfig().pfPromiscuous(true));
        pf.setVfTrust(0, true);
        vf.resetAndHello();
        vf.request(API_NEGOTIATE, API_13, 0);
        assertThat(vf.request(UPDATE_XCAST_MODE, 3)[0]).isEqualTo(UPDATE_XCAST_MODE | NACK_CTS);
        pf.close();
        open(new PfConfig().flavour(Flavour.X540).pfPromiscuous(true));
        pf.setVfTrust(0, true);
        vf.resetAndHello();
        vf.request(API_NEGOTIATE, API_12, 0);
        assertThat(vf.request(UPDATE_XCAST_MODE, 3)[0]).isEqualTo(UPDATE_XCAST_MODE | NACK_CTS);
    }

    @Test
    void promiscuousOnX540NeedsTrustAndAPromiscuousPf() {
        open(new PfConfig().flavour(Flavour.X540));
        pf.setVfTrust(0, true);
        vf.resetAndHello();
        vf.request(API_NEGOTIATE, API_13, 0);
        assertThat(vf.request(UPDATE_XCAST_MODE, 3)[0]).as("PF not promiscuous").isEqualTo(UPDATE_XCAST_MODE | NACK_CTS);
        pf.setPfPromiscuous(true);
        int[] r = vf.request(UPDATE_XCAST_MODE, 3);
        assertThat(r[0]).isEqualTo(UPDATE_XCAST_MODE | ACK_CTS);
        assertThat(r[1]).isEqualTo(3);
    }

    @Test
    void xcastNeedsApi12() {
        ready(new PfConfig(), API_11);
        assertThat(vf.request(UPDATE_XCAST_MODE, 1)[0]).isEqualTo(UPDATE_XCAST_MODE | NACK_CTS);
    }

    // ---- GET_LINK_STATE and admin link state (facts §3.2, §3.6, §8.1)

    @Test
    void getLinkStateReportsTheAdministrativeEnable() {
        ready(new PfConfig(), API_12);
        int[] r = vf.request(GET_LINK_STATE);
        assertThat(r[0]).isEqualTo(GET_LINK_STATE | ACK_CTS);
        assertThat(r[1]).isEqualTo(1);
    }

    @Test
    void disablingTheVfLinkPingsWithoutCtsAndSwitchesRxTxOff() {
        ready(new PfConfig(), API_12);
        bar.read32(VFMAILBOX);
        pf.setVfLinkState(0, LinkState.DISABLE);
        assertThat(vf.consumeMessage()).isTrue();
        assertThat(vf.readMessage()[0]).isEqualTo(PF_CONTROL);
        assertThat(pf.vfState(0).rxEnabled()).isFalse();
        vf.letPfRun(); // the PF answers that ACK with a NACK (not clear to send); send() drains it
        assertThat(vf.request(GET_LINK_STATE)[0]).as("must reset first").isEqualTo(GET_LINK_STATE | MSG_FAILURE);
        vf.resetAndHello();
        assertThat(pf.vfState(0).txEnabled()).as("stays off after VF_RESET").isFalse();
        vf.request(API_NEGOTIATE, API_12, 0);
        assertThat(vf.request(GET_LINK_STATE)[1]).isZero();
    }

    @Test
    void getLinkStateNeedsApi12() {
        ready(new PfConfig(), API_11);
        assertThat(vf.request(GET_LINK_STATE)[0]).isEqualTo(GET_LINK_STATE | NACK_CTS);
    }

    @Test
    void physicalLinkChangesPingEveryVfWithCts() {
        ready(new PfConfig(), API_11);
        bar.read32(VFMAILBOX);
        pf.setLink(false);
        assertThat(vf.consumeMessage()).isTrue();
        assertThat(vf.readMessage()[0]).isEqualTo(PF_CONTROL | MSG_CTS);
        assertThat(bar.read32(VFLINKS) & LINKS_UP).isZero();
    }

    // ---- other ids and admin changes

    @Test
    void unknownAndUnsupportedRequestsAreNacked() {
        ready(new PfConfig(), API_14);
        for (int id : new int[]{0x07, 0x0D, 0x11, 0x12, 0x55}) {
            assertThat(vf.request(id)[0]).as("id 0x%x", id).isEqualTo(id | NACK_CTS);
        }
        assertThat(pf.vfState(0).requestsNacked()).isEqualTo(5);
    }

    @Test
    void anAdminMacChangeNeitherPingsNorTakesClearToSend() {
        // facts §3.6 (corrected): ixgbe_ndo_set_vf_mac programs the filter only; the VF learns the MAC at its next VF_RESET
        ready(new PfConfig(), API_11);
        bar.read32(VFMAILBOX);
        pf.setVfMac(0, ADMIN_MAC);
        vf.letPfRun();
        assertThat(vf.consumeMessage()).as("no ping").isFalse();
        assertThat(pf.vfState(0).clearToSend()).isTrue();
        assertThat(vf.request(GET_QUEUES)[0]).as("still answered").isEqualTo(GET_QUEUES | ACK_CTS);
        int[] reply = vf.resetAndHello();
        assertThat(reply[0]).isEqualTo(VF_RESET | MSG_SUCCESS);
        assertThat(macFromWords(reply[1], reply[2])).isEqualTo(ADMIN_MAC);
    }

    @Test
    void aTrustChangePingsWithoutCtsSoTheVfResets() {
        // facts §3.6: ixgbe_ndo_set_vf_trust clears clear_to_send and pings
        ready(new PfConfig(), API_11);
        bar.read32(VFMAILBOX);
        pf.setVfTrust(0, true);
        assertThat(vf.awaitMessage()).isTrue();
        assertThat(vf.readMessage()[0]).isEqualTo(PF_CONTROL);
        assertThat(pf.vfState(0).clearToSend()).isFalse();
        pf.setVfTrust(0, true);
        vf.letPfRun();
        vf.consumeMessage(); // the NACK answering the ACK above
        pf.setVfTrust(0, true);
        assertThat(vf.consumeMessage()).as("unchanged trust: nothing to do").isFalse();
    }

    @Test
    void spoofCheckIsOnByDefaultAndAdministrable() {
        // facts §8.5
        open(new PfConfig());
        assertThat(pf.vfState(0).spoofCheck()).isTrue();
        pf.setVfSpoofCheck(0, false);
        assertThat(pf.vfState(0).macAntiSpoof()).isFalse();
    }
}
