/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.samples.e2e;

import dev.wirespeed.samples.l2fwd.L2fwdRunner;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real Linux traffic through l2fwd: two network namespaces, each holding the TAP interface of one emulated
 * port, bridged by l2fwd --no-mac-updating. Needs root (TAP, namespaces); installs iperf3, tcpdump and
 * tshark with apt-get when missing. Namespaces and interfaces are named after this JVM's pid and removed
 * after each test, whatever happened.
 */
class RealTrafficTest {
    private static final long PID = ProcessHandle.current().pid();
    private static final String NS_A = "ws-t-" + PID + "-a", NS_B = "ws-t-" + PID + "-b";
    private static final String TAP_A = "wst" + PID % 10_000_000 + "a", TAP_B = "wst" + PID % 10_000_000 + "b";
    /** Promiscuous rx needs an X550-family flavour, trust and a promiscuous PF; foreign source MACs need spoofchk off. */
    private static final String OPTS = ",flavour=x550,trust=on,pf_promisc=on,spoofchk=off";

    private final List<Process> processes = new ArrayList<>();
    private L2fwdRunner l2fwd;

    /** Why this host cannot run these tests, or null. Decided once; each test reports it as its skip reason. */
    private static String unable;

    @BeforeAll
    static void checkTheHost() {
        if (!Host.isRoot()) {
            unable = "needs root: TAP interfaces and network namespaces";
        } else if (!Files.exists(Path.of("/dev/net/tun"))) {
            unable = "needs /dev/net/tun (modprobe tun)";
        } else {
            Host.installTools();
            for (String tool : List.of("ip", "ping", "iperf3", "tcpdump", "tshark")) {
                if (unable == null && !Host.has(tool)) {
                    unable = tool + " is not installed and apt-get could not install it";
                }
            }
        }
        if (unable == null) {
            String problem = EmuDmaProbe.problem();
            unable = problem == null ? null : "emu: ports cannot carry l2fwd's traffic yet: " + problem;
        }
        cleanUp();
    }

    @BeforeEach
    void hostCanRunIt() {
        Assumptions.assumeTrue(unable == null, () -> unable);
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (Process p : processes) {
            p.destroy();
            if (!p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        if (l2fwd != null) {
            l2fwd.stop();
        }
        cleanUp();
    }

    @AfterAll
    static void cleanUp() {
        Host.run(30, "ip", "netns", "del", NS_A);
        Host.run(30, "ip", "netns", "del", NS_B);
        Host.run(30, "ip", "link", "del", TAP_A);
        Host.run(30, "ip", "link", "del", TAP_B);
    }

    /** Starts l2fwd between the two TAPs and puts each TAP, addressed, into its namespace. */
    private void bridge(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--dev", "emu:wire=tap:" + TAP_A + OPTS, "--dev", "emu:wire=tap:" + TAP_B + OPTS,
                "--no-mac-updating", "-T", "1"));
        args.addAll(List.of(extra));
        l2fwd = L2fwdRunner.start(args.toArray(String[]::new));
        Host.awaitInterface(TAP_A, 60);
        Host.awaitInterface(TAP_B, 60);
        addressed(NS_A, TAP_A, 1);
        addressed(NS_B, TAP_B, 2);
    }

    private static void addressed(String ns, String tap, int host) {
        Host.check(30, "ip", "netns", "add", ns);
        Host.check(30, "ip", "link", "set", "dev", tap, "netns", ns);
        Host.check(30, "ip", "-n", ns, "link", "set", "dev", "lo", "up");
        Host.check(30, "ip", "-n", ns, "addr", "add", "10.99.0." + host + "/24", "dev", tap);
        Host.check(30, "ip", "-n", ns, "addr", "add", "fd00:99::" + host + "/64", "dev", tap, "nodad");
        Host.check(30, "ip", "-n", ns, "link", "set", "dev", tap, "up");
    }

    private Process capture(String ns, String tap, Path file, Path log) throws Exception {
        Process p = Host.start(log, "ip", "netns", "exec", ns, "tcpdump", "-i", tap, "-n", "-U", "--immediate-mode", "-Z", "root",
                // echo requests and replies only: router solicitations and MLD reports come when the kernel
                // pleases, possibly before the other side's capture started
                "-w", file.toString(), "icmp[icmptype] == icmp-echo or icmp[icmptype] == icmp-echoreply"
                        + " or (icmp6 and (ip6[40] == 128 or ip6[40] == 129))");
        processes.add(p);
        long end = System.nanoTime() + 30_000_000_000L;
        while (!Host.read(log).contains("listening on") && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        return p;
    }

    @Test
    void pingIperf3AndCapturesThroughL2fwd(@TempDir Path dir) throws Exception {
        bridge();
        Path capA = dir.resolve("a.pcap"), capB = dir.resolve("b.pcap");
        Process tcpdumpA = capture(NS_A, TAP_A, capA, dir.resolve("a.log"));
        Process tcpdumpB = capture(NS_B, TAP_B, capB, dir.resolve("b.log"));

        // Resolve ARP and IPv6 neighbours first: packets queued behind an unresolved neighbour are the kernel's business, not l2fwd's.
        Host.check(60, "ip", "netns", "exec", NS_A, "ping", "-n", "-c", "2", "-W", "5", "10.99.0.2");
        Host.check(60, "ip", "netns", "exec", NS_A, "ping", "-6", "-n", "-c", "2", "-W", "5", "fd00:99::2");
        String ping4 = Host.check(120, "ip", "netns", "exec", NS_A, "ping", "-n", "-c", "100", "-i", "0.01", "-W", "5", "10.99.0.2");
        assertThat(ping4).contains("100 packets transmitted, 100 received, 0% packet loss");
        String ping6 = Host.check(120, "ip", "netns", "exec", NS_A, "ping", "-6", "-n", "-c", "100", "-i", "0.01", "-W", "5", "fd00:99::2");
        assertThat(ping6).contains("100 packets transmitted, 100 received, 0% packet loss");

        Process server = Host.start(dir.resolve("iperf3-server.log"), "ip", "netns", "exec", NS_B, "iperf3", "-s", "-1", "-B", "10.99.0.2");
        processes.add(server);
        Thread.sleep(500); // iperf3 -c retries nothing; the server needs a moment to listen (the client is retried below)
        Host.Output iperf = null;
        for (int attempt = 0; attempt < 10 && (iperf == null || iperf.text().contains("Connection refused")); attempt++) {
            iperf = Host.run(60, "ip", "netns", "exec", NS_A, "iperf3", "-c", "10.99.0.2", "-t", "3", "-f", "m");
            if (iperf.text().contains("Connection refused")) {
                Thread.sleep(300);
            }
        }
        assertThat(iperf.exit()).as(iperf.text()).isZero();
        Matcher m = Pattern.compile("([0-9.]+) Mbits/sec.*receiver").matcher(iperf.text());
        assertThat(m.find()).as(iperf.text()).isTrue();
        double mbps = Double.parseDouble(m.group(1));
        System.out.printf("iperf3 TCP through l2fwd over two emulated VFs: %.1f Mbit/s%n", mbps);
        assertThat(mbps).isPositive();

        tcpdumpA.destroy();
        tcpdumpB.destroy();
        tcpdumpA.waitFor();
        tcpdumpB.waitFor();
        // The same echo requests and replies, byte for byte, on both sides of l2fwd.
        List<String> a = frames(capA), b = frames(capB);
        assertThat(a).hasSizeGreaterThanOrEqualTo(400); // 2 x 100 requests and 100 replies
        assertThat(b).containsExactlyInAnyOrderElementsOf(a);

        String out = l2fwd.stop();
        assertThat(out).contains("promiscuous on").contains("all packet buffers returned to their pools");
    }

    @Test
    void interruptModeAnswersTheFirstPingAfterSilenceAndIdlesCheaply(@TempDir Path dir) throws Exception {
        bridge("--idle", "interrupt");
        Host.check(60, "ip", "netns", "exec", NS_A, "ping", "-n", "-c", "3", "-W", "5", "10.99.0.2"); // ARP/ND settled
        Thread.sleep(2000); // silence: l2fwd goes to sleep on the rx interrupts
        String first = Host.check(60, "ip", "netns", "exec", NS_A, "ping", "-n", "-c", "1", "-W", "5", "10.99.0.2");
        assertThat(first).contains("1 packets transmitted, 1 received");
        // idle again: the per-second reports show the thread's CPU. Two more reports, counted rather than slept
        // for (3 s was a guess), so that the last one covers a time after the ping however late l2fwd prints
        int reports = count(l2fwd.output(), "== port statistics");
        l2fwd.awaitOutput("two more per-second reports", o -> count(o, "== port statistics") >= reports + 2);
        String out = l2fwd.stop();
        assertThat(out).containsPattern("sleeps [1-9]");
        List<Double> cpu = out.lines().filter(l -> l.contains("cpu ")).map(l -> Double.parseDouble(l.replaceFirst(".*cpu ([0-9.]+) %.*", "$1"))).toList();
        assertThat(cpu).as(out).isNotEmpty();
        assertThat(cpu.getLast()).as("an idle second costs a small fraction of a core").isLessThan(10.0);
    }

    @Test
    void pcapInL2fwdPcapOutChangesOnlyTheMacs(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in.pcap"), out = dir.resolve("out.pcap");
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            byte[] f = new byte[60 + i % 1000];
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(f);
            b.put(new byte[] {2, 0, 0, 0, 0x55, 0}).put(new byte[] {2, 0, 0, 0, 0x66, 1}).putShort((short) 0x88B5); // local experimental
            for (int k = 14; k < f.length; k++) {
                f[k] = (byte) (i * 31 + k);
            }
            sent.add(f);
        }
        PcapFile.write(in, sent);
        String result = L2fwdRunner.run("--dev", "emu:wire=pcap,in=" + in + ",mac=02:00:00:00:55:00",
                "--dev", "emu:wire=pcap,out=" + out + ",mac=02:00:00:00:55:01", "--duration", "3", "-T", "0");
        assertThat(result).contains("all packet buffers returned to their pools");
        List<byte[]> got = PcapFile.read(out);
        assertThat(got).hasSize(sent.size());
        for (int i = 0; i < got.size(); i++) {
            byte[] g = got.get(i), s = sent.get(i);
            assertThat(java.util.Arrays.copyOfRange(g, 0, 12)).as("frame " + i + ": MAC updating, destination 02:00:00:00:00:01, source port 1")
                    .containsExactly(2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0x55, 1);
            assertThat(java.util.Arrays.copyOfRange(g, 12, g.length)).as("frame " + i + " after the MACs").containsExactly(
                    java.util.Arrays.copyOfRange(s, 12, s.length));
        }
        // tshark agrees that the output is a well-formed capture of the same number of frames
        // (stderr is merged into the output: tshark warns about running as root, so count only the frame numbers)
        assertThat(Host.check(60, "tshark", "-r", out.toString(), "-T", "fields", "-e", "frame.number").lines()
                .filter(l -> l.matches("[0-9]+")).count()).isEqualTo(sent.size());
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length())) {
            n++;
        }
        return n;
    }

    /** Every captured frame as hex (tcpdump -w writes classic pcap). */
    private static List<String> frames(Path pcap) throws java.io.IOException {
        return PcapFile.read(pcap).stream().map(java.util.HexFormat.of()::formatHex).toList();
    }
}
