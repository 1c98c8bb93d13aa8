/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.samples.e2e;

import dev.wirespeed.samples.l2fwd.L2fwdRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real Linux traffic through l2fwd over pmd-vdev's ports (issue 18): two network namespaces, each joined
 * to l2fwd by a veth pair (af_packet: on the root ends) or by a TAP (tap:, created by l2fwd and moved into
 * the namespace). Ping, ping -6, a 1500-byte DF ping and an iperf3 TCP transfer; interrupt idling wakes
 * on traffic. Needs root. Namespaces and interfaces are named after this JVM's pid and removed after each
 * test, whatever happened.
 */
class VdevTrafficTest {
    private static final long PID = ProcessHandle.current().pid() % 1_000_000;
    private static final String NS_A = "ws-v-" + PID + "-a", NS_B = "ws-v-" + PID + "-b";
    /** Root-namespace veth ends (l2fwd's ports) and their peers in the namespaces; TAP names. */
    private static final String R0 = "wsv" + PID + "r0", R1 = "wsv" + PID + "r1", PEER_A = "wsv" + PID + "a", PEER_B = "wsv" + PID + "b";
    private static final String TAP_A = "wsv" + PID + "ta", TAP_B = "wsv" + PID + "tb";

    private static String unable;
    private final List<Process> processes = new ArrayList<>();
    private L2fwdRunner l2fwd;

    /** Why this host cannot run these tests ("" if it can); decided by the first test, each later one skips for it. */
    private static String whyNot() {
        if (!Host.isRoot()) {
            return "needs root: network namespaces, veth pairs, TAPs, packet sockets";
        }
        if (!Files.exists(Path.of("/dev/net/tun"))) {
            return "needs /dev/net/tun (modprobe tun)";
        }
        Host.installTools();
        if (!Host.has("ethtool") && Host.has("apt-get")) {
            Host.run(300, "sh", "-c", "DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ethtool");
        }
        return List.of("ip", "ping", "iperf3").stream().filter(tool -> !Host.has(tool)).findFirst()
                .map(tool -> tool + " is not installed and apt-get could not install it").orElse("");
    }

    @BeforeEach
    void hostCanRunIt() {
        if (unable == null) {
            unable = whyNot();
            cleanUp(); // what an earlier, killed run may have left
        }
        Assumptions.assumeTrue(unable.isEmpty(), unable);
    }

    @AfterEach
    void stopEverything() throws Exception {
        processes.forEach(Process::destroy);
        for (Process p : processes) {
            p.onExit().completeOnTimeout(p, 5, TimeUnit.SECONDS).join().destroyForcibly();
        }
        if (l2fwd != null) {
            try {
                l2fwd.stop();
            } catch (AssertionError e) {
                // the test failed already, or asserted on the stop itself
            }
        }
        cleanUp();
    }

    @AfterAll
    static void cleanUp() {
        // processes inside the namespaces (iperf3 -s) end with them: ip netns del does not kill them, so do it first
        for (String ns : List.of(NS_A, NS_B)) {
            Host.run(30, "sh", "-c", "ip netns pids " + ns + " 2>/dev/null | xargs -r kill -9");
            Host.run(30, "ip", "netns", "del", ns);
        }
        for (String link : List.of(R0, R1, TAP_A, TAP_B)) {
            Host.run(30, "ip", "link", "del", link);
        }
    }

    /** Two namespaces, each with the peer of a veth pair whose root end l2fwd will use; addressed and up. */
    private static void vethNamespaces(boolean segmentationOff) {
        Host.check(30, "ip", "netns", "add", NS_A);
        Host.check(30, "ip", "netns", "add", NS_B);
        Host.check(30, "ip", "link", "add", R0, "type", "veth", "peer", "name", PEER_A, "netns", NS_A);
        Host.check(30, "ip", "link", "add", R1, "type", "veth", "peer", "name", PEER_B, "netns", NS_B);
        for (String root : List.of(R0, R1)) {
            Host.run(30, "sysctl", "-qw", "net.ipv6.conf." + root + ".disable_ipv6=1"); // the root ends are l2fwd's: no stack traffic of their own
            Host.check(30, "ip", "link", "set", "dev", root, "up");
        }
        if (segmentationOff) {
            // A veth with TSO on hands its peer's packet socket TCP frames of up to 64 KiB, which no MTU-sized port
            // can forward (see afPacketCountsAndSaysGsoFramesItCannotForward). With TSO off the kernel segments in
            // software before the veth; without ethtool, one segment per packet (slower) does it too.
            segmentationOff(NS_A, PEER_A);
            segmentationOff(NS_B, PEER_B);
        }
        addressed(NS_A, PEER_A, 1);
        addressed(NS_B, PEER_B, 2);
    }

    private static void segmentationOff(String ns, String dev) {
        if (Host.has("ethtool")) {
            Host.check(30, "ip", "netns", "exec", ns, "ethtool", "-K", dev, "tso", "off");
        } else {
            Host.check(30, "ip", "-n", ns, "link", "set", "dev", dev, "gso_max_segs", "1");
        }
    }

    private static void addressed(String ns, String dev, int host) {
        Host.check(30, "ip", "-n", ns, "link", "set", "dev", "lo", "up");
        Host.check(30, "ip", "-n", ns, "addr", "add", "10.97.0." + host + "/24", "dev", dev);
        Host.check(30, "ip", "-n", ns, "addr", "add", "fd00:97::" + host + "/64", "dev", dev, "nodad");
        Host.check(30, "ip", "-n", ns, "link", "set", "dev", dev, "up");
    }

    private void startL2fwd(String... args) throws InterruptedException {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--no-mac-updating", "-T", "1"));
        l2fwd = L2fwdRunner.start(all.toArray(String[]::new));
        l2fwd.awaitOutput("forwarding", o -> o.contains("forwarding on"));
    }

    /**
     * Pings from A with a 20 s deadline: ping -c N -w 20 waits for all N replies (or the deadline), where -W alone
     * gives up two round trips after the last request: a late reply on a loaded machine would count as lost.
     */
    private static String ping(String... extra) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", NS_A, "ping", "-n", "-w", "20"));
        cmd.addAll(List.of(extra));
        return Host.check(120, cmd.toArray(String[]::new));
    }

    /** Ping, ping -6, the 1500-byte DF ping and iperf3 from A to B; prints round trips and throughput. */
    private void pingsAndIperf3(String label, Path dir) throws Exception {
        // neighbours first: packets queued behind an unresolved neighbour are the kernel's business, not l2fwd's
        ping("-c", "2", "10.97.0.2");
        ping("-6", "-c", "2", "fd00:97::2");
        String ping4 = ping("-c", "100", "-i", "0.01", "10.97.0.2");
        assertThat(ping4).contains("100 packets transmitted, 100 received, 0% packet loss");
        String ping6 = ping("-6", "-c", "100", "-i", "0.01", "fd00:97::2");
        assertThat(ping6).contains("100 packets transmitted, 100 received, 0% packet loss");
        // 1472 bytes of ICMP payload + 8 + 20 = a 1500-byte IP packet, DF set: the full MTU, unfragmented
        String big = ping("-M", "do", "-s", "1472", "-c", "20", "-i", "0.01", "10.97.0.2");
        assertThat(big).contains("1480 bytes from 10.97.0.2").contains("20 packets transmitted, 20 received, 0% packet loss");

        Process server = Host.start(dir.resolve("iperf3-server.log"), "ip", "netns", "exec", NS_B, "iperf3", "-s", "-1", "-B", "10.97.0.2");
        processes.add(server);
        Host.Output iperf = null;
        for (int attempt = 0; attempt < 20 && (iperf == null || iperf.text().contains("Connection refused")); attempt++) {
            Thread.sleep(300); // the server needs a moment to listen
            iperf = Host.run(60, "ip", "netns", "exec", NS_A, "iperf3", "-c", "10.97.0.2", "-t", "3", "-f", "m");
        }
        assertThat(iperf.exit()).as(iperf.text()).isZero();
        Matcher m = Pattern.compile("([0-9.]+) Mbits/sec.*receiver").matcher(iperf.text());
        assertThat(m.find()).as(iperf.text()).isTrue();
        double mbps = Double.parseDouble(m.group(1));
        System.out.printf("%s: ping rtt %s; ping -6 rtt %s; iperf3 TCP %.1f Mbit/s%n", label, rtt(ping4), rtt(ping6), mbps);
        assertThat(mbps).isPositive();
    }

    private static String rtt(String ping) {
        Matcher m = Pattern.compile("rtt min/avg/max/mdev = (\\S+) ms").matcher(ping);
        return m.find() ? m.group(1) + " ms (min/avg/max/mdev)" : "?";
    }

    @Test
    void afPacketCarriesPingsAndIperf3BetweenTwoNamespaces(@TempDir Path dir) throws Exception {
        vethNamespaces(true);
        startL2fwd("--dev", "af_packet:" + R0, "--dev", "af_packet:" + R1);
        pingsAndIperf3("af_packet over veth", dir);
        String out = l2fwd.stop();
        l2fwd = null;
        assertThat(out).contains("af_packet:" + R0).contains("link up").contains("all packet buffers returned to their pools");
        assertThat(out).doesNotContainPattern("RX-errors [1-9]");
    }

    @Test
    void afPacketCountsAndSaysGsoFramesItCannotForward(@TempDir Path dir) throws Exception {
        vethNamespaces(false); // TSO on, as veths come
        PrintStream err = System.err;
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        System.setErr(new PrintStream(said, true, StandardCharsets.UTF_8));
        try {
            startL2fwd("--dev", "af_packet:" + R0, "--dev", "af_packet:" + R1);
            ping("-c", "2", "10.97.0.2");
            Process server = Host.start(dir.resolve("iperf3-server.log"), "ip", "netns", "exec", NS_B, "iperf3", "-s", "-1", "-B", "10.97.0.2");
            processes.add(server);
            Thread.sleep(500);
            Host.run(30, "ip", "netns", "exec", NS_A, "iperf3", "-c", "10.97.0.2", "-t", "2", "--connect-timeout", "3000");
            l2fwd.awaitOutput("a report after the transfer", o -> o.contains("RX-errors") && Pattern.compile("RX-errors [1-9]").matcher(o).find());
            String out = l2fwd.stop();
            l2fwd = null;
            assertThat(out).containsPattern("RX-errors [1-9]");
        } finally {
            System.setErr(err);
        }
        assertThat(said.toString(StandardCharsets.UTF_8)).contains("af_packet:").contains("unsegmented GSO/TSO frames")
                .contains("ethtool -K IF tso off");
    }

    @Test
    void afPacketInterruptIdleSleepsAndWakesOnTraffic() throws Exception {
        vethNamespaces(true);
        startL2fwd("--dev", "af_packet:" + R0, "--dev", "af_packet:" + R1, "--idle", "interrupt");
        ping("-c", "3", "10.97.0.2");
        Thread.sleep(2000); // silence: l2fwd goes to sleep on the sockets
        String first = ping("-c", "1", "10.97.0.2");
        assertThat(first).contains("1 packets transmitted, 1 received");
        String out = l2fwd.stop();
        l2fwd = null;
        Matcher m = Pattern.compile("sleeps ([0-9,]+)\\s+wake-ups ([0-9,]+)").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        long sleeps = 0, wakeUps = 0;
        do {
            sleeps = Math.max(sleeps, Long.parseLong(m.group(1).replace(",", "")));
            wakeUps = Math.max(wakeUps, Long.parseLong(m.group(2).replace(",", "")));
        } while (m.find());
        assertThat(sleeps).as(out).isPositive();
        assertThat(wakeUps).as("woken by frames on the sockets: " + out).isPositive();
    }

    @Test
    void tapCarriesPingsAndIperf3WithInterruptIdling(@TempDir Path dir) throws Exception {
        startL2fwd("--dev", "tap:" + TAP_A, "--dev", "tap:" + TAP_B, "--idle", "interrupt");
        Host.awaitInterface(TAP_A, 60);
        Host.awaitInterface(TAP_B, 60);
        Host.check(30, "ip", "netns", "add", NS_A);
        Host.check(30, "ip", "netns", "add", NS_B);
        Host.check(30, "ip", "link", "set", "dev", TAP_A, "netns", NS_A);
        Host.check(30, "ip", "link", "set", "dev", TAP_B, "netns", NS_B);
        addressed(NS_A, TAP_A, 1);
        addressed(NS_B, TAP_B, 2);
        pingsAndIperf3("tap", dir);
        String out = l2fwd.stop();
        l2fwd = null;
        assertThat(out).contains("tap:" + TAP_A).contains("all packet buffers returned to their pools");
        assertThat(out).containsPattern("wake-ups [1-9]");
    }

    @Test
    void aMissingInterfaceIsNamedByL2fwd() throws Exception {
        String out;
        try {
            out = L2fwdRunner.run("--dev", "af_packet:" + R0, "--dev", "null:", "--duration", "1");
        } catch (AssertionError e) {
            out = e.getMessage();
        }
        assertThat(out).contains("there is no interface '" + R0 + "' in this network namespace");
    }
}
