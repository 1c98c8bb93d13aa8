/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.port;

import dev.wirespeed.core.packet.MacAddress;
import dev.wirespeed.emulator.VfMailboxClient;
import dev.wirespeed.emulator.pf.LinkState;
import dev.wirespeed.emulator.pf.PfConfig;
import dev.wirespeed.emulator.pf.PfPersonality;
import dev.wirespeed.emulator.pf.VfSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static dev.wirespeed.emulator.Facts.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code emu:} grammar: every option has its documented effect on the emulated PF/VF, every mistake names its key. */
class EmuOptionsTest {
    @Test
    void defaultsAreAnUntrustedSpoofCheckedLinuxPfWithNoAssignedMac() {
        try (EmulatedDevice d = EmulatedDevice.open("emu:wire=loopback")) {
            VfSnapshot s = d.pf().vfState(0);
            assertThat(s.adminMac()).isNull();
            assertThat(s.trusted()).isFalse();
            assertThat(s.spoofCheck()).isTrue();
            assertThat(s.portVlan()).isZero();
            assertThat(s.linkState()).isEqualTo(LinkState.AUTO);
            assertThat(s.queryRss()).isFalse();
            assertThat(d.vf().deviceId()).as("82599 VF").isEqualTo(0x10ED);
            assertThat(d.vf().vendorId()).isEqualTo(0x8086);
            assertThat(d.vf().bar(0).read32(VFLINKS)).as("10G up").isEqualTo(LINKS_UP | 0b11 << 28);
            assertThat(d.wire().inbound()).as("loopback").isSameAs(d.wire().outbound());
            assertThat(d.wire().inbound().capacity()).isEqualTo(1024);
        }
    }

    @Test
    void administratorSettingsReachThePf() {
        try (EmulatedDevice d = EmulatedDevice.open("emu:wire=loopback,mac=02:00:00:00:00:01,trust=on,spoofchk=off,vlan=100,qos=3,"
                + "link=disable,query_rss=on,depth=64")) {
            VfSnapshot s = d.pf().vfState(0);
            assertThat(s.adminMac()).isEqualTo(MacAddress.parse("02:00:00:00:00:01"));
            assertThat(s.trusted()).isTrue();
            assertThat(s.spoofCheck()).isFalse();
            assertThat(s.portVlan()).isEqualTo(100);
            assertThat(s.vlans()).containsExactly(100);
            assertThat(s.linkState()).isEqualTo(LinkState.DISABLE);
            assertThat(s.queryRss()).isTrue();
            assertThat(d.wire().inbound().capacity()).isEqualTo(64);
        }
    }

    @Test
    void flavourSetsTheDeviceIdAndSpeedTheLinksRegister() {
        try (EmulatedDevice d = EmulatedDevice.open("emu:wire=loopback,flavour=x550,speed=5g")) {
            assertThat(d.vf().deviceId()).isEqualTo(0x1565);
            // facts §1.1: 5G on X550 = the 100M code (01) with NON_STD
            assertThat(d.vf().bar(0).read32(VFLINKS)).isEqualTo(LINKS_UP | LINKS_NON_STD | 0b01 << 28);
        }
        try (EmulatedDevice d = EmulatedDevice.open("emu:wire=loopback,flavour=x540,speed=1g")) {
            assertThat(d.vf().deviceId()).isEqualTo(0x1515);
            assertThat(d.vf().bar(0).read32(VFLINKS)).isEqualTo(LINKS_UP | 0b10 << 28);
        }
        for (String[] f : new String[][]{{"x550em_x", "15a8"}, {"x550em_a", "15c5"}, {"82599", "10ed"}}) {
            try (EmulatedDevice d = EmulatedDevice.open("emu:wire=loopback,flavour=" + f[0] + ",speed=100m")) {
                assertThat(d.vf().deviceId()).isEqualTo(Integer.parseInt(f[1], 16));
                assertThat(d.vf().bar(0).read32(VFLINKS)).isEqualTo(LINKS_UP | 0b01 << 28);
            }
        }
    }

    @Test
    void apiLimitsWhatApiNegotiateAccepts() {
        try (EmulatedDevice d = EmulatedDevice.open("emu:wire=loopback,api=1.0+1.1")) {
            VfMailboxClient mbx = new VfMailboxClient(d.vf().bar(0));
            mbx.resetAndHello();
            assertThat(mbx.request(API_NEGOTIATE, API_12, 0)[0] & MSG_FAILURE).as("1.2 refused").isNotZero();
            assertThat(mbx.request(API_NEGOTIATE, API_11, 0)[0] & MSG_SUCCESS).as("1.1 accepted").isNotZero();
        }
    }

    @Test
    void queuesIsWhatGetQueuesReports() {
        try (EmulatedDevice d = EmulatedDevice.open("emu:wire=loopback,queues=8")) {
            VfMailboxClient mbx = new VfMailboxClient(d.vf().bar(0));
            mbx.resetAndHello();
            mbx.request(API_NEGOTIATE, API_11, 0);
            int[] r = mbx.request(GET_QUEUES, 0, 0, 0, 0);
            assertThat(r[1]).as("tx queues").isEqualTo(8);
            assertThat(r[2]).as("rx queues").isEqualTo(8);
        }
    }

    @Test
    void pfMtuAboveStandardDisablesAn82599VfsRxAfterReset() {
        try (EmulatedDevice d = EmulatedDevice.open("emu:wire=loopback,pf_mtu=9000")) {
            new VfMailboxClient(d.vf().bar(0)).resetAndHello();
            assertThat(d.pf().vfState(0).rxEnabled()).as("facts §8.2").isFalse();
            assertThat(d.pf().vfState(0).txEnabled()).isTrue();
        }
    }

    @Test
    void pfPromiscLetsATrustedX550VfGoPromiscuous() {
        String base = "emu:wire=loopback,flavour=x550,trust=on";
        for (boolean promisc : new boolean[]{false, true}) {
            try (EmulatedDevice d = EmulatedDevice.open(base + (promisc ? ",pf_promisc=on" : ""))) {
                VfMailboxClient mbx = new VfMailboxClient(d.vf().bar(0));
                mbx.resetAndHello();
                mbx.request(API_NEGOTIATE, API_13, 0);
                int[] r = mbx.request(UPDATE_XCAST_MODE, 3); // PROMISC (facts §3.2)
                assertThat((r[0] & MSG_SUCCESS) != 0).as("promiscuous granted with pf_promisc=%s", promisc).isEqualTo(promisc);
            }
        }
    }

    @Test
    void pfChoosesThePersonality() {
        try (EmulatedDevice d = EmulatedDevice.open("emu:wire=loopback,pf=linux-legacy")) {
            assertThat(d.pf().personality()).isEqualTo(PfPersonality.LINUX_LEGACY);
            VfMailboxClient mbx = new VfMailboxClient(d.vf().bar(0));
            mbx.resetAndHello();
            mbx.request(API_NEGOTIATE, API_12, 0);
            assertThat(mbx.request(GET_LINK_STATE)[0]).as("no GET_LINK_STATE before 5.18").isEqualTo(GET_LINK_STATE | MSG_FAILURE | MSG_CTS);
        }
        try (EmulatedDevice d = EmulatedDevice.open("emu:wire=loopback,pf=dpdk")) {
            assertThat(d.pf().personality()).isEqualTo(PfPersonality.DPDK);
            assertThat(d.pf().vfState(0).spoofCheck()).as("DPDK leaves anti-spoofing off").isFalse();
            VfMailboxClient mbx = new VfMailboxClient(d.vf().bar(0));
            assertThat(mbx.resetAndHello()[0]).as("DPDK always gives a MAC").isEqualTo(VF_RESET | MSG_SUCCESS);
        }
        try (EmulatedDevice d = EmulatedDevice.open("emu:wire=loopback,pf=dpdk,pf_configured=off")) {
            VfMailboxClient mbx = new VfMailboxClient(d.vf().bar(0));
            mbx.resetAndHello();
            mbx.request(API_NEGOTIATE, API_11, 0);
            assertThat(mbx.request(GET_QUEUES)[0]).isEqualTo(GET_QUEUES | MSG_FAILURE | MSG_CTS);
        }
        try (EmulatedDevice d = EmulatedDevice.open("emu:wire=loopback")) {
            assertThat(d.pf().personality()).as("default").isEqualTo(PfPersonality.LINUX);
            assertThat(d.pf().pfLatencyNanos()).isEqualTo(PfConfig.DEFAULT_PF_LATENCY_NANOS);
            assertThat(d.vf().registers().postedWritesPending()).isZero();
        }
    }

    @Test
    void pfLatencyAndPostedTakeTimes() {
        try (EmulatedDevice d = EmulatedDevice.open("emu:wire=loopback,pf_latency=2ms,posted=on")) {
            assertThat(d.pf().pfLatencyNanos()).isEqualTo(2_000_000);
            d.vf().bar(0).write32(VTEIMS, 1);
            d.vf().bar(0).write32(VTEIMS, 2);
            assertThat(d.vf().registers().postedWritesPending()).as("posted writes wait for the clock or a read").isBetween(0, 2);
            assertThat(d.vf().bar(0).read32(VTEIMS)).isEqualTo(3);
        }
        try (EmulatedDevice d = EmulatedDevice.open("emu:wire=loopback,pf_latency=0,posted=1s")) {
            d.vf().bar(0).write32(VTEIMS, 1);
            assertThat(d.vf().registers().postedWritesPending()).isEqualTo(1);
            assertThat(d.vf().interruptUnit().readEims()).isZero();
            assertThat(d.vf().bar(0).read32(VTEIMS)).isEqualTo(1);
        }
    }

    @Test
    void genOptionsShapeTheGenerator() {
        try (EmulatedDevice d = EmulatedDevice.open("emu:wire=gen,size=128,flows=4,rate=1k,count=3,link=disable")) {
            assertThat(d.generator().length()).as("size includes the CRC").isEqualTo(124);
            assertThatThrownBy(d::sink).hasMessageContaining("has no sink");
        }
    }

    @Test
    void faultOptionParsesEveryKind() {
        FaultPlan p = FaultPlan.parse("pf-reset@2s/500ms+link-down@5s/1s+disable@1ms+mbx-ignore+mbx-drop:2@0+mbx-malformed@10us"
                + "+wb-delay:8@0/3s+rx-exhaust@100ms/100ms+tx-stall:3@0+remove@1s/1s");
        assertThat(p.steps()).extracting(FaultPlan.Step::what).containsExactly(
                "PF reset begins", "PF reset completes", "link down", "link up", "VF disabled", "mbx-ignore ×1", "mbx-drop ×2",
                "mbx-malformed ×1", "write-back delayed 8", "write-back prompt", "rx exhausted", "rx refilled",
                "tx queue 3 stalled", "device removed", "device back");
        assertThat(p.steps()).extracting(FaultPlan.Step::at).containsExactly(
                2_000_000_000L, 2_500_000_000L, 5_000_000_000L, 6_000_000_000L, 1_000_000L, 0L, 0L, 10_000L, 0L, 3_000_000_000L,
                100_000_000L, 200_000_000L, 0L, 1_000_000_000L, 2_000_000_000L);
        assertThat(FaultPlan.parse("pf-reset@1s").steps().get(1).at()).as("default reset length 100 ms").isEqualTo(1_100_000_000L);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            emu:                                    | option 'wire' is required
            emu:mac=02:00:00:00:00:01               | option 'wire' is required
            emu:loopback                            | only key=value options, found 'loopback'
            emu:wire=fibre                          | option 'wire'='fibre' is invalid: expected pair:NAME, loopback
            emu:wire=pair:                          | option 'wire'='pair:' is invalid
            emu:wire=pair:a/b                       | option 'wire'='pair:a/b' is invalid
            emu:wire=tap:waytoolonginterfacename    | option 'wire'='tap:waytoolonginterfacename' is invalid
            emu:wire=pcap                           | wire=pcap needs in=FILE
            emu:wire=loopback,colour=blue           | unknown option 'colour'
            emu:WIRE=gen                            | unknown option 'WIRE'; option names are lower case: wire=gen
            emu:colour=blue                         | unknown option 'colour'; emu ports take api, count, depth
            emu:wire=loopback,Mac=02:00:00:00:00:01 | unknown option 'Mac'; option names are lower case: mac=02:00:00:00:00:01
            emu:wire=loopback,in=a.pcap             | option 'in' applies only to wire=pcap
            emu:wire=sink,size=64                   | option 'size' applies only to a generator
            emu:wire=loopback,flows=2               | option 'flows' applies only to a generator
            emu:wire=loopback,depth=1000            | option 'depth'='1000' is invalid: expected a power of two
            emu:wire=loopback,depth=1               | option 'depth' must be 2..
            emu:wire=loopback,mac=02:00:00:00:00    | option 'mac'='02:00:00:00:00' is invalid
            emu:wire=loopback,mac=01:00:5e:00:00:01 | option 'mac'='01:00:5e:00:00:01' is invalid: 01:00:5e:00:00:01 is zero or multicast
            emu:wire=loopback,trust=maybe           | option 'trust' must be on/off
            emu:wire=loopback,spoofchk=2            | option 'spoofchk' must be on/off
            emu:wire=loopback,vlan=4096             | option 'vlan' must be 0..4095
            emu:wire=loopback,qos=8,vlan=1          | option 'qos' must be 0..7
            emu:wire=loopback,qos=1                 | option 'qos' needs a port VLAN
            emu:wire=loopback,link=up               | option 'link'='up' is invalid: expected auto, enable or disable
            emu:wire=loopback,link=enable           | option 'link' cannot be used with this PF: Linux's PF does not support 'enable'
            emu:wire=loopback,pf=freebsd            | option 'pf'='freebsd' is invalid: unknown PF 'freebsd': expected linux, linux-legacy or dpdk
            emu:wire=loopback,pf=dpdk,trust=on      | option 'trust' cannot be used with this PF: DPDK's PF has no trust setting
            emu:wire=loopback,pf=dpdk,vlan=5        | option 'vlan' cannot be used with this PF
            emu:wire=loopback,pf=dpdk,query_rss=on  | option 'query_rss' cannot be used with this PF
            emu:wire=loopback,pf=dpdk,link=disable  | option 'link' cannot be used with this PF: DPDK's PF has no VF link state
            emu:wire=loopback,pf=linux-legacy,link=disable | option 'link' cannot be used with this PF: Linux PFs before 5.18
            emu:wire=loopback,pf=linux-legacy,fault=disable@1s | option 'fault' cannot be used with this PF
            emu:wire=loopback,flavour=x550,query_rss=on | option 'query_rss' cannot be used with this PF: ixgbe_ndo_set_vf_rss_query_en supports only 82599 and X540
            emu:wire=loopback,pf_configured=off     | option 'pf_configured' applies only to pf=dpdk
            emu:wire=loopback,pf_latency=30         | option 'pf_latency'='30' is invalid: expected a time
            emu:wire=loopback,pf_latency=20s        | option 'pf_latency'='20s' is invalid: PF latency
            emu:wire=loopback,posted=maybe          | option 'posted'='maybe' is invalid: expected a time
            emu:wire=loopback,query_rss=x           | option 'query_rss' must be on/off
            emu:wire=loopback,flavour=i40e          | option 'flavour'='i40e' is invalid: unknown flavour
            emu:wire=loopback,speed=40g             | option 'speed'='40g' is invalid: expected 10g
            emu:wire=loopback,speed=5g              | option 'speed'='5g' is invalid: link speed G5 is not possible on a 82599 VF
            emu:wire=loopback,api=1.0+3.0           | option 'api'='1.0+3.0' is invalid: unknown mailbox API version '3.0'
            emu:wire=loopback,queues=3              | option 'queues'='3' is invalid: queuesPerPool 3
            emu:wire=loopback,queues=x              | option 'queues'='x' is invalid
            emu:wire=loopback,pf_mtu=10000          | option 'pf_mtu'='10000' is invalid: PF MTU 10000 out of range
            emu:wire=loopback,pf_promisc=sometimes  | option 'pf_promisc' must be on/off
            emu:wire=loopback,thread=a/b            | expected a name of 1 to 32 letters
            emu:wire=loopback,txthread=             | option 'txthread'='' is invalid: expected a name of 1 to 32 letters
            emu:wire=loopback,thread=t,txthread=t   | option 'txthread' names the same thread as 'thread'
            emu:wire=gen,size=63                    | option 'size' must be 64..9728
            emu:wire=gen,size=9729                  | option 'size' must be 64..9728
            emu:wire=gen,flows=0                    | option 'flows' must be 1..65536
            emu:wire=gen,rate=-1                    | option 'rate'='-1' is invalid: must be ≥ 0
            emu:wire=gen,count=lots                 | option 'count'='lots' is invalid: expected a number
            emu:wire=loopback,fault=explode@1s      | option 'fault'='explode@1s' is invalid: fault event 'explode@1s': unknown fault 'explode'
            emu:wire=loopback,fault=pf-reset@2      | time '2' needs a unit
            emu:wire=loopback,fault=pf-reset:1@0    | takes no ':1' argument
            emu:wire=loopback,fault=mbx-drop@0/1s   | mailbox faults are one-shot
            emu:wire=loopback,fault=wb-delay@0      | wb-delay needs the delay
            emu:wire=loopback,fault=tx-stall:8@0    | tx queue 8 out of range
            emu:wire=loopback,fault=link-down@@     | fault event 'link-down@@' is malformed
            """)
    void mistakesNameTheirKey(String device, String message) {
        assertThatThrownBy(() -> EmulatedDevice.open(device).close())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message.trim());
    }

    @Test
    void pcapFilesThatCannotBeOpenedFailAtOpen(@org.junit.jupiter.api.io.TempDir Path dir) {
        assertThatThrownBy(() -> EmulatedDevice.open("emu:wire=pcap,in=" + dir.resolve("missing.pcap")).close())
                .hasMessageContaining("pcap input").hasMessageContaining("missing.pcap");
    }
}
