/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

import dev.wirespeed.core.port.LinkStatus;
import dev.wirespeed.emulator.Flavour;
import dev.wirespeed.emulator.LinkSpeed;
import dev.wirespeed.core.packet.MacAddress;
import dev.wirespeed.emulator.mailbox.ApiVersion;
import dev.wirespeed.emulator.pf.PfConfig;
import dev.wirespeed.emulator.pf.PfPersonality;
import dev.wirespeed.emulator.pf.VfSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.EnumSet;

import static org.assertj.core.api.Assertions.assertThat;

/** Bring-up against the PF configurations the emulator offers (issue 4, "Tests"). */
class BringUpTest {
    /** Trusts VF 0 where the PF has trust (Linux); DPDK's PF has none and grants every VF what a trusted one gets. */
    static void trust(EmulatorRig rig, PfPersonality pf) {
        if (pf != PfPersonality.DPDK) {
            rig.pf.setVfTrust(0, true);
        }
    }

    @ParameterizedTest
    @EnumSource(PfPersonality.class)
    void aDefaultPfGrantsItsHighestApiAndTheVfGetsALocallyAdministeredMac(PfPersonality pf) {
        try (EmulatorRig rig = new EmulatorRig(new PfConfig().personality(pf))) {
            IxgbeVfPort port = rig.open();
            VfSnapshot s = rig.pf.vfState(0);
            // Linux PFs grant 1.4 (the highest this driver speaks; current ones also 1.6/1.7), DPDK's PF at most 1.3
            assertThat(port.api()).isEqualTo(pf == PfPersonality.DPDK ? MailboxApi.V1_3 : MailboxApi.V1_4);
            assertThat(s.api()).isEqualTo(pf == PfPersonality.DPDK ? ApiVersion.V1_3 : ApiVersion.V1_4);
            assertThat(s.clearToSend()).isTrue();
            assertThat(port.macAddress().isLocallyAdministered()).isTrue();
            assertThat(port.macAddress().isMulticast()).isFalse();
            assertThat(s.mac().value()).isEqualTo(port.macAddress().value());
            // SET_LPE is always sent: MTU + header + CRC (DPDK's PF keeps no per-VF value, it only raises MAXFRS)
            assertThat(s.maxFrame()).as("SET_LPE is always sent: MTU + header + CRC").isEqualTo(pf == PfPersonality.DPDK ? 0 : 1500 + 18);
            assertThat(rig.pf.maxFrameSize()).isGreaterThanOrEqualTo(1500 + 18);
            assertThat(s.rxEnabled()).isTrue();
            assertThat(s.txEnabled()).isTrue();
            // Linux: 4 queues a pool below 32 pools; DPDK: 8 below 16 VFs (ixgbe_get_vf_queues of each)
            assertThat(port.maxRxQueues()).isEqualTo(pf == PfPersonality.DPDK ? 8 : 4);
            assertThat(port.xcastMode()).isEqualTo(XcastMode.MULTI);
            assertThat(port.linkStatus()).isEqualTo(new LinkStatus(true, 10_000, true));
            assertThat(rig.vf.registers().ignoredAccesses().reads()).as("the driver reads only registers the facts describe").isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(PfPersonality.class)
    void aPfOnApi10OnlyIsUsedWithTwoQueuesAndNoXcastMessages(PfPersonality pf) {
        try (EmulatorRig rig = new EmulatorRig(new PfConfig().personality(pf).acceptedApis(EnumSet.of(ApiVersion.V1_0)))) {
            IxgbeVfPort port = rig.open(b -> b.rxQueues(2).txQueues(2));
            assertThat(port.api()).isEqualTo(MailboxApi.V1_0);
            assertThat(port.maxRxQueues()).isEqualTo(2);
            assertThat(port.setAllMulticast(true)).as("API 1.0 cannot change the xcast mode").isFalse();
            assertThat(rig.pf.vfState(0).api()).isEqualTo(ApiVersion.V1_0);
        }
    }

    @ParameterizedTest
    @EnumSource(PfPersonality.class)
    void negotiationKeepsTheHighestVersionThePfAccepts(PfPersonality pf) {
        try (EmulatorRig rig = new EmulatorRig(new PfConfig().personality(pf).acceptedApis(EnumSet.of(ApiVersion.V1_0, ApiVersion.V1_1, ApiVersion.V1_2)))) {
            assertThat(rig.open().api()).isEqualTo(MailboxApi.V1_2);
        }
    }

    @ParameterizedTest
    @EnumSource(PfPersonality.class)
    void anAdministratorsMacIsTaken(PfPersonality pf) {
        try (EmulatorRig rig = new EmulatorRig(new PfConfig().personality(pf))) {
            rig.pf.setVfMac(0, MacAddress.parse("00:1b:21:aa:bb:cc"));
            IxgbeVfPort port = rig.open();
            assertThat(port.macAddress().toString()).isEqualTo("00:1b:21:aa:bb:cc");
            boolean dpdk = pf == PfPersonality.DPDK; // DPDK's PF takes any valid unicast (ixgbe_vf_set_mac_addr)
            assertThat(port.setMacAddress(MacAddress.parse("02:00:00:00:00:09")))
                    .as("an untrusted VF cannot override the administrator (Linux)").isEqualTo(dpdk);
            assertThat(port.macAddress().toString()).isEqualTo(dpdk ? "02:00:00:00:00:09" : "00:1b:21:aa:bb:cc");
        }
    }

    @ParameterizedTest
    @EnumSource(PfPersonality.class)
    void anUntrustedVfAskingForPromiscuousIsHeldAtMultiByLinux(PfPersonality pf) {
        try (EmulatorRig rig = new EmulatorRig(new PfConfig().personality(pf).flavour(Flavour.X540).pfPromiscuous(true))) {
            IxgbeVfPort port = rig.open();
            boolean dpdk = pf == PfPersonality.DPDK; // DPDK's PF has no trust: every VF gets every mode (ixgbe_set_vf_mc_promisc)
            assertThat(port.setPromiscuous(true)).isEqualTo(dpdk);
            assertThat(port.isPromiscuous()).isEqualTo(dpdk);
            assertThat(port.xcastMode()).isEqualTo(dpdk ? XcastMode.PROMISC : XcastMode.MULTI);
            assertThat(rig.pf.vfState(0).xcast().name()).isEqualTo(dpdk ? "PROMISC" : "MULTI");
        }
    }

    @ParameterizedTest
    @EnumSource(PfPersonality.class)
    void aTrustedVfGetsPromiscuousWhereThePfAllowsIt(PfPersonality pf) {
        try (EmulatorRig rig = new EmulatorRig(new PfConfig().personality(pf).flavour(Flavour.X540).pfPromiscuous(true))) {
            trust(rig, pf);
            IxgbeVfPort port = rig.open();
            assertThat(port.setPromiscuous(true)).isTrue();
            assertThat(rig.pf.vfState(0).xcast().name()).isEqualTo("PROMISC");
            assertThat(port.setPromiscuous(false)).isFalse();
            assertThat(port.xcastMode()).isEqualTo(XcastMode.MULTI);
        }
    }

    @ParameterizedTest
    @EnumSource(PfPersonality.class)
    void on82599PromiscuousIsRefusedAndTheTrustedVfFallsBackToAllMulticast(PfPersonality pf) {
        try (EmulatorRig rig = new EmulatorRig(new PfConfig().personality(pf).flavour(Flavour.X82599).pfPromiscuous(true))) {
            trust(rig, pf);
            IxgbeVfPort port = rig.open();
            assertThat(port.setPromiscuous(true)).isFalse();
            assertThat(port.xcastMode()).isEqualTo(XcastMode.ALLMULTI);
        }
    }

    @ParameterizedTest
    @EnumSource(value = PfPersonality.class, names = {"LINUX", "LINUX_LEGACY"}) // DPDK's PF clears its port VLAN at every VF reset
    void underAPortVlanTheVfCannotAddVlans(PfPersonality pf) {
        try (EmulatorRig rig = new EmulatorRig(new PfConfig().personality(pf))) {
            rig.pf.setVfPortVlan(0, 100, 0);
            IxgbeVfPort port = rig.open();
            assertThat(port.addVlan(5)).isFalse();
            assertThat(port.vlans()).isEmpty();
        }
    }

    /** Issue 12 point 9: GET_QUEUES says the PF tags this VF's frames, so the VF strips (VME) whether or not the application asked. */
    @ParameterizedTest
    @EnumSource(value = PfPersonality.class, names = {"LINUX", "LINUX_LEGACY"}) // DPDK's PF clears its port VLAN at every VF reset
    void underAPortVlanTheVfStripsTagsEvenWhenTheApplicationDidNotAsk(PfPersonality pf) {
        try (EmulatorRig rig = new EmulatorRig(new PfConfig().personality(pf))) {
            rig.pf.setVfPortVlan(0, 100, 0);
            IxgbeVfPort port = rig.open();
            port.start();
            int rxdctl = rig.vf.bar(0).read32(0x1028); // VFRXDCTL(0), facts §1.2
            assertThat(rxdctl & 1 << 30).as("RXDCTL.VME").isNotZero();
            port.stop();
        }
        try (EmulatorRig rig = new EmulatorRig(new PfConfig().personality(pf))) {
            IxgbeVfPort port = rig.open();
            port.start();
            assertThat(rig.vf.bar(0).read32(0x1028) & 1 << 30).as("no port VLAN, no stripping asked for: VME off").isZero();
            port.stop();
        }
    }

    @ParameterizedTest
    @EnumSource(PfPersonality.class)
    void vlanFiltersAndMulticastReachThePf(PfPersonality pf) {
        try (EmulatorRig rig = new EmulatorRig(new PfConfig().personality(pf).multicastFilterType(0))) {
            IxgbeVfPort port = rig.open();
            assertThat(port.addVlan(7)).isTrue();
            assertThat(port.addVlan(8)).isTrue();
            assertThat(port.removeVlan(7)).isTrue();
            // LLDP's group (01:80:c2:00:00:0e) is link-local: not sent, as Linux's VF skips it (issue 12)
            port.setMulticastAddresses(java.util.List.of(MacAddress.parse("01:80:c2:00:00:0e"), MacAddress.parse("01:00:5e:00:00:fb")));
            VfSnapshot s = rig.pf.vfState(0);
            assertThat(s.vlans()).as("VLAN 0 is the PF's own after a VF reset (Linux ixgbe_vf_reset_event)").filteredOn(v -> v != 0).containsExactly(8);
            // filter type 0 uses MAC bits 47:36: (b4 >> 4) | (b5 << 4) = (0x00 >> 4) | (0xfb << 4); LLDP's would be 0x0E0
            assertThat(s.multicastHashes()).containsExactly(0xFB0);
        }
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> queueCounts() {
        return EmulatorRig.onEveryPf(2, 4, 8);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("queueCounts")
    void queueCountsUpToWhatGetQueuesGrants(PfPersonality pf, int perPool) {
        try (EmulatorRig rig = new EmulatorRig(new PfConfig().personality(pf).queuesPerPool(perPool))) {
            IxgbeVfPort port = rig.open(b -> b.rxQueues(perPool).txQueues(perPool));
            assertThat(port.rxQueueCount()).isEqualTo(perPool);
            port.start();
            // RSS spreads over at most 4 queues of a pool (Linux PF, DPDK PF): RQPL never above 2 (issue 12)
            assertThat(rig.vf.bar(0).read32(0x0300) >>> 29).as("PSRTYPE.RQPL").isEqualTo(Math.min(2, Integer.numberOfTrailingZeros(perPool)));
            for (int q = 0; q < perPool; q++) {
                assertThat(rig.vf.registers().queue(q).rxEnabled()).isTrue();
                assertThat(rig.vf.registers().queue(q).txEnabled()).isTrue();
            }
            port.stop();
            assertThat(rig.pool.isFull()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(PfPersonality.class)
    void underDcbTheVfTransmitsOnOneQueue(PfPersonality pf) {
        try (EmulatorRig rig = new EmulatorRig(new PfConfig().personality(pf).trafficClasses(4))) {
            // Linux reports the PF's TC count; DPDK's PF reports 8 with 16 pools (its pool count decides, ixgbe_get_vf_queues)
            int classes = pf == PfPersonality.DPDK ? 8 : 4;
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> rig.open(b -> b.rxQueues(classes).txQueues(2)))
                    .hasMessageContaining("DCB with " + classes + " traffic classes").hasMessageContaining("txQueues(1)");
            // each class's frames arrive on their own rx queue: fewer queues would leave classes on disabled queues
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> rig.open(b -> b.rxQueues(1).txQueues(1)))
                    .hasMessageContaining("DCB with " + classes + " traffic classes").hasMessageContaining("rxQueues(" + classes + ")");
            IxgbeVfPort port = rig.open(b -> b.rxQueues(classes).txQueues(1));
            port.start();
            TrafficTest.loop(rig, new dev.wirespeed.emulator.dma.VfDmaEngine(rig.pf, 0, dev.wirespeed.emulator.wire.WireEnd.loopback(256)),
                    1_000, 60, 1514, 21);
            port.stop();
            assertThat(rig.pool.isFull()).isTrue();
        }
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> flavours() {
        return EmulatorRig.onEveryPf((Object[]) Flavour.values());
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("flavours")
    void everyChipFlavourComesUpAndDecodesItsLinkSpeed(PfPersonality pf, Flavour flavour) {
        LinkSpeed speed = flavour.isX550Family() ? LinkSpeed.G2_5 : LinkSpeed.G1;
        try (EmulatorRig rig = new EmulatorRig(new PfConfig().personality(pf).flavour(flavour).link(true, speed))) {
            IxgbeVfPort port = rig.open();
            assertThat(port.chip().deviceId()).isEqualTo(flavour.vfDeviceId());
            assertThat(port.linkStatus().speedMbps()).isEqualTo(flavour.isX550Family() ? 2_500 : 1_000);
            port.start();
            assertThat(rig.vf.registers().queue(0).rxEnabled()).isTrue();
            port.stop();
        }
    }

    @ParameterizedTest
    @EnumSource(PfPersonality.class)
    void linkDownIsReportedAndComesBack(PfPersonality pf) {
        try (EmulatorRig rig = new EmulatorRig(new PfConfig().personality(pf))) {
            IxgbeVfPort port = rig.open();
            rig.pf.setLink(false);
            assertThat(port.linkStatus().up()).isFalse();
            rig.pf.setLink(true);
            assertThat(port.linkStatus().up()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(PfPersonality.class)
    void startProgramsTheRingsAsTheFactsSay(PfPersonality pf) {
        try (EmulatorRig rig = new EmulatorRig(new PfConfig().personality(pf))) {
            IxgbeVfPort port = rig.open();
            port.start();
            var q = rig.vf.registers().queue(0);
            assertThat(q.rxEnabled()).isTrue();
            assertThat(q.txEnabled()).isTrue();
            assertThat(q.dcaRxctrl() & (1 << 12)).as("DCA_RXCTRL bit 12 written 0 (facts §8.7)").isZero();
            assertThat(q.dcaTxctrl() & (1 << 11)).as("no relaxed ordering for tx write-back (facts §8.13)").isZero();
            assertThat(q.srrctl()).isEqualTo(0x1000_0000 | 0x0200_0000 | 4 << 8 | 2);
            assertThat(q.rxTail()).as("every descriptor but one handed to the device").isEqualTo(255);
            assertThat(q.rxRingBytes()).isEqualTo(256 * 16);
            assertThat(rig.pool.inUse()).isEqualTo(256);
            port.stop();
            assertThat(q.rxEnabled()).isFalse();
            assertThat(q.txEnabled()).isFalse();
            assertThat(rig.pool.isFull()).isTrue();
        }
    }

    /**
     * Issue 12: DPDK's PF refuses GET_QUEUES while its own port is not configured for virtualisation
     * (ixgbe_get_vf_queues); Linux's VF then keeps one queue pair (ixgbevf_set_num_queues), DPDK's VF too.
     * Was fatal.
     */
    @org.junit.jupiter.api.Test
    void aRefusedGetQueuesLeavesOneQueuePair() {
        try (EmulatorRig rig = new EmulatorRig(new PfConfig().personality(PfPersonality.DPDK).pfPortConfigured(false))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> rig.open(b -> b.rxQueues(2).txQueues(1)))
                    .hasMessageContaining("2 rx queues requested, but the PF gives this VF at most 1");
            IxgbeVfPort port = rig.open();
            assertThat(port.maxRxQueues()).isEqualTo(1);
            assertThat(port.maxTxQueues()).isEqualTo(1);
            port.start();
            TrafficTest.loop(rig, new dev.wirespeed.emulator.dma.VfDmaEngine(rig.pf, 0, dev.wirespeed.emulator.wire.WireEnd.loopback(256)),
                    1_000, 60, 1514, 22);
            port.stop();
            assertThat(rig.pool.isFull()).isTrue();
        }
    }
}
