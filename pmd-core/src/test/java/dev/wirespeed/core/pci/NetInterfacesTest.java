/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.pci;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Interfaces from a fake sysfs, routes from a fake /proc (tables copied from a real machine, then varied). */
class NetInterfacesTest {
    /** A real /proc/net/route: default via 192.0.2.1 and 192.0.2.0/24 on eth0. */
    static final String ROUTE = """
            Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
            eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0
            eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
            """;
    /** A real /proc/net/ipv6_route: fd00::/64 and default via fd00::1 on eth0, plus what every up interface has. */
    static final String IPV6_ROUTE = """
            fd000000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0
            fe800000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000002 00000000 00000001     eth0
            00000000000000000000000000000000 00 00000000000000000000000000000000 00 fd000000000000000000000000000001 00000400 00000002 00000000 00000003     eth0
            00000000000000000000000000000001 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000002 00000000 80200001       lo
            fd000000000000000000000000000002 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000003 00000000 80200001     eth0
            fe8000000000000000fc00fffe000001 80 00000000000000000000000000000000 00 00000000000000000000000000000000 00000000 00000002 00000000 80200001     eth0
            ff000000000000000000000000000000 08 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000003 00000000 00000001     eth0
            00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo
            """;

    @TempDir
    Path tmp;

    private int procs;

    private NetInterfaces net(String route, String ipv6Route) {
        Path proc = tmp.resolve("proc" + ++procs);
        FakeSysfs.mkdirs(proc.resolve("net"));
        if (route != null) {
            FakeSysfs.write(proc.resolve("net/route"), route);
        }
        if (ipv6Route != null) {
            FakeSysfs.write(proc.resolve("net/ipv6_route"), ipv6Route);
        }
        return new NetInterfaces(new PciSysfs(tmp.resolve("sys")), proc);
    }

    @Test
    void interfacesAreTheNamesUnderTheDevicesNetDirectory() {
        FakeSysfs sys = new FakeSysfs(tmp.resolve("sys"));
        sys.device("0000:00:03.0", 0x8086, 0x10d3).boundTo("e1000e").net("eth1").net("eth0");
        sys.device("0000:03:10.0", 0x8086, 0x10ed).boundTo("uio_msi");
        // virtio-net's interface hangs off its virtio device: <pci device>/virtio2/net/eth2
        sys.device("0000:00:04.0", 0x1af4, 0x1041).boundTo("virtio-pci").file("virtio2/net/eth2/ifindex", "3\n");
        NetInterfaces net = net(ROUTE, IPV6_ROUTE);
        assertThat(net.of(PciAddress.parse("0000:00:03.0"))).containsExactly("eth0", "eth1");
        assertThat(net.of(PciAddress.parse("0000:03:10.0"))).isEmpty();
        assertThat(net.of(PciAddress.parse("0000:00:04.0"))).containsExactly("eth2");
    }

    @Test
    void routesAreReadFromBothTablesAsIpRouteWritesThem() {
        assertThat(net(ROUTE, IPV6_ROUTE).routesByInterface()).isEqualTo(Map.of("eth0",
                List.of("default via 192.0.2.1", "192.0.2.0/24", "fd00::/64", "default via fd00::1")));
    }

    @Test
    void whatEveryUpInterfaceHasIsNoRoute() {
        // Link-local and multicast prefixes, the local table's own addresses, loopback, 169.254/16 and
        // routes that are down or rejecting do not make an interface active (dpdk-devbind skips 169.254 too).
        String route = """
                Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
                eth1\t0000FEA9\t00000000\t0001\t0\t0\t1000\t0000FFFF\t0\t0\t0
                eth1\t0000000A\t00000000\t0000\t0\t0\t0\t000000FF\t0\t0\t0
                eth1\t0000000A\t00000000\t0201\t0\t0\t0\t0000FFFF\t0\t0\t0
                """;
        String ipv6 = IPV6_ROUTE.replace("eth0", "eth1").lines()
                .filter(l -> !l.startsWith("fd") && !l.startsWith("00000000000000000000000000000000 00 0000"))
                .reduce("", (a, b) -> a + b + "\n");
        assertThat(net(route, ipv6).routesByInterface()).isEmpty();
    }

    @Test
    void aKernelWithoutIpv6HasOnlyTheIpv4Table() {
        assertThat(net(ROUTE, null).routesByInterface()).isEqualTo(Map.of("eth0", List.of("default via 192.0.2.1", "192.0.2.0/24")));
        assertThat(net(null, null).routesByInterface()).isEmpty();
    }

    @Test
    void routesOfNamesTheInterfaceOfEachRoute() {
        Map<String, List<String>> routes = Map.of("eth0", List.of("192.0.2.0/24"), "eth1", List.of("default via 10.0.0.1"));
        assertThat(NetInterfaces.routesOf(List.of("eth1", "eth0", "eth2"), routes))
                .containsExactly("default via 10.0.0.1 dev eth1", "192.0.2.0/24 dev eth0");
    }

    @Test
    void ipv6AddressesAreWrittenShortestAsRfc5952Says() {
        assertThat(NetInterfaces.ipv6("20010db8000000000000000000000001")).isEqualTo("2001:db8::1");
        assertThat(NetInterfaces.ipv6("00000000000000000000000000000000")).isEqualTo("::");
        assertThat(NetInterfaces.ipv6("20010db8000000010000000000000000")).isEqualTo("2001:db8:0:1::");
        assertThat(NetInterfaces.ipv6("20010db8000000010001000100010001")).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(NetInterfaces.ipv6("20010000000000010000000000000001")).isEqualTo("2001:0:0:1::1");
    }
}
