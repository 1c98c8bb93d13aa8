/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.pf;

import dev.wirespeed.core.device.Bar;
import dev.wirespeed.core.packet.MacAddress;
import dev.wirespeed.emulator.Flavour;
import dev.wirespeed.emulator.VfMailboxClient;
import dev.wirespeed.emulator.time.ManualDeviceClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.wirespeed.emulator.Facts.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PF acting on its own: when it answers (its latency, not inside the REQ write), what it does with a
 * VF's ACK when the VF is not clear to send, with a malicious-driver event, on PF down and up, and the
 * receive rules it programs (shared multicast table, port VLAN, broadcast in NONE). Driven as a VF drives
 * BAR0, on a manual clock.
 */
class PfEventsTest {
    private static final int ACK_CTS = MSG_SUCCESS | MSG_CTS;
    private static final long US = 1_000;

    private final ManualDeviceClock clock = new ManualDeviceClock();
    private EmulatedPf pf;
    private Bar bar;
    private VfMailboxClient vf;

    private void open(PfConfig config) {
        pf = new EmulatedPf(config.clock(clock));
        bar = pf.vf(0).bar(0);
        vf = new VfMailboxClient(bar);
    }

    private void ready(PfConfig config, int api) {
        open(config);
        vf.resetAndHello();
        assertThat(vf.request(API_NEGOTIATE, api, 0)[0]).isEqualTo(API_NEGOTIATE | ACK_CTS);
        vf.letPfRun();
        bar.read32(VFMAILBOX);
    }

    @AfterEach
    void tearDown() {
        if (pf != null) {
            pf.close();
        }
    }

    // ---- the PF's time

    @Test
    void thePfAnswersAfterItsLatencyNotInsideTheRequestWrite() {
        ready(new PfConfig(), API_11);
        vf.send(GET_QUEUES);
        assertThat(bar.read32(VFMAILBOX) & (REQ | PFACK | PFSTS)).as("REQ written, nothing else yet").isEqualTo(REQ);
        clock.advance(PfConfig.DEFAULT_PF_LATENCY_NANOS - 1);
        assertThat(bar.read32(VFMAILBOX) & (PFACK | PFSTS)).as("just before the latency").isZero();
        clock.advance(1);
        assertThat(bar.read32(VFMAILBOX) & (REQ | PFACK | PFSTS)).isEqualTo(PFACK | PFSTS);
        assertThat(vf.readMessage()[0]).isEqualTo(GET_QUEUES | ACK_CTS);
    }

    @Test
    void theLatencyIsConfigurable() {
        ready(new PfConfig().pfLatencyNanos(500 * US), API_11);
        vf.send(GET_QUEUES);
        clock.advance(499 * US);
        assertThat(bar.read32(VFMAILBOX) & PFSTS).isZero();
        clock.advance(US);
        assertThat(bar.read32(VFMAILBOX) & PFSTS).isNotZero();
    }

    @Test
    void aRequestTheVfTookTheLockBackFromIsLost() {
        // ixgbe_obtain_mbx_lock_pf fails while the VF holds VFU; the request is never read (facts §3.1)
        ready(new PfConfig(), API_11);
        vf.send(GET_QUEUES);
        bar.write32(VFMAILBOX, VFU);
        vf.letPfRun();
        assertThat(bar.read32(VFMAILBOX) & (REQ | PFACK | PFSTS)).isEqualTo(REQ);
        assertThat(pf.requestsLost()).isEqualTo(1);
    }

    // ---- NACK on ACK (ixgbe_rcv_ack_from_vf, in both PFs)

    @Test
    void aVfThatIsNotClearToSendGetsANackWithoutCtsForEveryAck() {
        for (PfPersonality p : PfPersonality.values()) {
            open(new PfConfig().personality(p));
            pf.ping(0); // the VF has not reset: no CTS
            assertThat(vf.awaitMessage()).isTrue();
            assertThat(vf.readMessage()[0]).isEqualTo(PF_CONTROL); // ... and ACK
            assertThat(vf.consumeMessage()).as("%s: not inside the ACK write", p).isFalse();
            assertThat(vf.awaitMessage()).as("%s: NACK after the PF's latency", p).isTrue();
            assertThat(vf.readMessage()[0]).as("%s", p).isEqualTo(MSG_FAILURE);
            assertThat(vf.awaitMessage()).as("%s: and again for that ACK", p).isTrue();
            assertThat(pf.vfState(0).nacksOnAck()).isEqualTo(2);
            pf.close();
        }
        pf = null;
    }

    @Test
    void aClearToSendVfsAckDrawsNothing() {
        ready(new PfConfig(), API_11);
        pf.ping(0);
        assertThat(vf.consumeMessage()).isTrue();
        assertThat(vf.readMessage()[0]).isEqualTo(PF_CONTROL | MSG_CTS);
        vf.letPfRun();
        assertThat(vf.consumeMessage()).isFalse();
        assertThat(pf.vfState(0).nacksOnAck()).isZero();
    }

    // ---- malicious-driver events (Linux, X550)

    @Test
    void anMddEventOnX550MakesLinuxDropCtsAndPingSoTheAckDrawsANack() {
        // ixgbe_check_mdd_event: clear_to_send = 0, ping = PF_CONTROL | CTS
        ready(new PfConfig().flavour(Flavour.X550), API_12);
        pf.vf(0).registers().reportMaliciousDriver(0); // as the tx path does when MDD stops a queue
        assertThat(vf.consumeMessage()).as("the PF handles it on its own time").isFalse();
        assertThat(vf.awaitMessage()).isTrue();
        assertThat(vf.readMessage()[0]).isEqualTo(PF_CONTROL | MSG_CTS);
        assertThat(pf.vfState(0).clearToSend()).isFalse();
        assertThat(pf.vfState(0).mddEvents()).isEqualTo(1);
        assertThat(vf.awaitMessage()).as("the ACK of that ping").isTrue();
        assertThat(vf.readMessage()[0]).isEqualTo(MSG_FAILURE);
    }

    @Test
    void onlyLinuxOnX550HandlesMdd() {
        Object[][] cases = {{PfPersonality.LINUX, Flavour.X550EM_X}, {PfPersonality.LINUX_LEGACY, Flavour.X550},
                {PfPersonality.DPDK, Flavour.X550}, {PfPersonality.LINUX, Flavour.X82599}};
        for (Object[] c : cases) {
            ready(new PfConfig().personality((PfPersonality) c[0]).flavour((Flavour) c[1]), API_11);
            assertThat(pf.filter(0).maliciousDriverDetection()).as("%s on %s", c[0], c[1]).isFalse();
            pf.vf(0).registers().reportMaliciousDriver(0);
            vf.letPfRun();
            assertThat(vf.consumeMessage()).as("%s on %s", c[0], c[1]).isFalse();
            assertThat(pf.vfState(0).clearToSend()).isTrue();
            pf.close();
        }
        pf = null;
    }

    // ---- PF down and up

    @Test
    void pfDownAndUpPingPerPersonality() {
        // Linux ≥ 5.18: ping at down (ixgbe_down) and at up (ixgbe_set_all_vfs); < 5.18: at down only; DPDK: never
        boolean[][] pings = {{true, true}, {true, false}, {false, false}};
        PfPersonality[] ps = {PfPersonality.LINUX, PfPersonality.LINUX_LEGACY, PfPersonality.DPDK};
        for (int i = 0; i < ps.length; i++) {
            ready(new PfConfig().personality(ps[i]), API_11);
            pf.beginReset();
            int down = vf.readMailbox();
            assertThat(down & RSTI).isNotZero();
            assertThat((down & PFSTS) != 0).as("%s pings at down", ps[i]).isEqualTo(pings[i][0]);
            if (pings[i][0]) {
                assertThat(vf.readMessage()[0]).as("without CTS").isEqualTo(PF_CONTROL);
            }
            pf.completeReset();
            int up = vf.readMailbox();
            assertThat(up & RSTD).isNotZero();
            assertThat((up & PFSTS) != 0).as("%s pings at up", ps[i]).isEqualTo(pings[i][1]);
            if (pings[i][1]) {
                assertThat(vf.readMessage()[0]).isEqualTo(PF_CONTROL);
                assertThat(pf.vfState(0).txEnabled()).as("ixgbe_set_all_vfs switches VFTE back on").isTrue();
            } else {
                assertThat(pf.vfState(0).txEnabled()).isFalse();
            }
            assertThat(pf.vfState(0).clearToSend()).isFalse();
            pf.close();
        }
        pf = null;
    }

    @Test
    void physicalLinkChangesPingOnlyUnderLinux() {
        ready(new PfConfig().personality(PfPersonality.DPDK), API_11);
        pf.setLink(false);
        assertThat(vf.consumeMessage()).isFalse();
        assertThat(bar.read32(VFLINKS) & LINKS_UP).isZero();
    }

    // ---- receive rules the PF programs

    @Test
    void oneMulticastTableServesEveryVf() {
        // ixgbe_set_vf_multicasts ORs into the MTA; a VF with ROMPE takes any multicast whose hash is set
        open(new PfConfig().vfCount(2));
        VfMailboxClient other = new VfMailboxClient(pf.vf(1).bar(0));
        vf.resetAndHello();
        other.resetAndHello();
        long groupA = MacAddress.parse("01:00:5e:00:12:34").value(), groupB = MacAddress.parse("01:00:5e:00:56:78").value();
        vf.request(SET_MULTICAST | 1 << 16, ((0x12 >> 4) | (0x34 << 4)) & 0xFFF);
        other.request(SET_MULTICAST | 1 << 16, ((0x56 >> 4) | (0x78 << 4)) & 0xFFF);
        vf.letPfRun();
        assertThat(pf.filter(0).acceptsDestination(groupB)).as("VF 0 gets VF 1's group").isTrue();
        assertThat(pf.filter(1).acceptsDestination(groupA)).isTrue();
        other.resetAndHello(); // Linux rebuilds the MTA from every VF's list: VF 1's hash goes
        vf.letPfRun();
        assertThat(pf.filter(0).acceptsDestination(groupB)).isFalse();
        assertThat(pf.filter(0).acceptsDestination(groupA)).isTrue();
    }

    @Test
    void dpdkNeverTakesBitsOutOfTheMulticastTable() {
        open(new PfConfig().personality(PfPersonality.DPDK).vfCount(2));
        VfMailboxClient other = new VfMailboxClient(pf.vf(1).bar(0));
        vf.resetAndHello();
        other.resetAndHello();
        long groupB = MacAddress.parse("01:00:5e:00:56:78").value();
        vf.request(SET_MULTICAST | 1 << 16, 0x123);
        other.request(SET_MULTICAST | 1 << 16, ((0x56 >> 4) | (0x78 << 4)) & 0xFFF);
        other.resetAndHello();
        vf.letPfRun();
        assertThat(pf.filter(0).acceptsDestination(groupB)).isTrue();
    }

    @Test
    void noneKeepsBroadcast() {
        ready(new PfConfig(), API_12);
        vf.request(UPDATE_XCAST_MODE, 1);
        vf.request(UPDATE_XCAST_MODE, 0);
        assertThat(pf.filter(0).acceptsDestination(0xFFFF_FFFF_FFFFL)).isTrue();
        assertThat(pf.filter(0).acceptsDestination(MacAddress.parse("01:00:5e:00:00:01").value())).isFalse();
    }

    @Test
    void promiscuousDoesNotOpenOtherVlans() {
        // "ixgbe: fix unexpected VLAN Rx in promisc mode on VF": VMOLR.VPE off; UPE takes all unicast of the VF's VLANs
        open(new PfConfig().flavour(Flavour.X540).pfPromiscuous(true));
        pf.setVfTrust(0, true);
        vf.resetAndHello();
        vf.request(API_NEGOTIATE, API_13, 0);
        assertThat(vf.request(UPDATE_XCAST_MODE, 3)[0]).isEqualTo(UPDATE_XCAST_MODE | ACK_CTS);
        VfFilter f = pf.filter(0);
        assertThat(f.acceptsDestination(MacAddress.parse("02:12:34:56:78:9a").value())).isTrue();
        assertThat(f.acceptsVlan(300)).isFalse();
        assertThat(f.acceptsVlan(0)).isTrue();
    }

    @Test
    void aPortVlanRefusesUntaggedFramesAndPriorityTagsAndTagsTransmit() {
        // ixgbe_enable_port_vlan: VLAN added, VLAN 0 revoked, VMOLR.AUPE off, VMVIR = vlan | qos << 13
        open(new PfConfig());
        pf.setVfPortVlan(0, 42, 5);
        vf.resetAndHello();
        VfFilter f = pf.filter(0);
        assertThat(f.acceptsUntagged()).isFalse();
        assertThat(f.acceptsVlan(42)).isTrue();
        assertThat(f.acceptsVlan(0)).isFalse();
        assertThat(f.portVlanTag()).isEqualTo(42 | 5 << 13);
        pf.setVfPortVlan(0, 0, 0);
        f = pf.filter(0);
        assertThat(f.acceptsUntagged()).isTrue();
        assertThat(f.acceptsVlan(0)).isTrue();
        assertThat(f.acceptsVlan(42)).isFalse();
        assertThat(f.portVlanTag()).isZero();
    }
}
