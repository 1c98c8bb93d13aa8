/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.dma;

import dev.wirespeed.emulator.HostTools;
import dev.wirespeed.core.packet.MacAddress;
import dev.wirespeed.emulator.port.EmulatedDevice;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static dev.wirespeed.emulator.Facts.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real frames from a Linux network namespace, through a TAP wire, into an emulated port and back: the
 * namespace pings the port; the test (standing in for a driver, working the rings through BAR0) finds
 * the echo request in its rx ring and transmits the echo reply; ping must succeed, and tcpdump in the
 * namespace must have seen both. Needs root (namespaces, TAP); skipped with a message otherwise.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class TapWireTest {
    private static final MacAddress PORT_MAC = MacAddress.parse("02:00:00:00:00:0a");
    private static final String NS_IP = "10.99.0.1", PORT_IP = "10.99.0.2";

    @TempDir
    Path dir;

    @Test
    void aPingFromANamespaceIsAnsweredThroughTheEmulatedPort() throws Exception {
        Assumptions.assumeTrue(HostTools.isRoot(), "needs root: creates a network namespace and a TAP interface (CI runs as root)");
        Assumptions.assumeTrue(HostTools.ensure("ip", "iproute2"), "needs iproute2 (ip), which apt-get could not install");
        Assumptions.assumeTrue(HostTools.ensure("tcpdump", "tcpdump"), "tcpdump is missing and apt-get could not install it");
        Assumptions.assumeTrue(HostTools.ensure("ping", "iputils-ping"), "ping is missing and apt-get could not install it");
        String suffix = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xFFFFF));
        String ns = "ws-test-" + suffix, tap = "wst" + suffix;
        Path capture = dir.resolve("tap.pcap");
        Process tcpdump = null;
        EmulatedDevice device = null;
        try {
            device = EmulatedDevice.open("emu:wire=tap:" + tap + ",mac=" + PORT_MAC);
            assertThat(device.tap().name()).isEqualTo(tap);
            HostTools.check(30, "ip", "netns", "add", ns);
            HostTools.check(30, "ip", "link", "set", "dev", tap, "netns", ns);
            HostTools.check(30, "ip", "-n", ns, "addr", "add", NS_IP + "/24", "dev", tap);
            HostTools.check(30, "ip", "-n", ns, "link", "set", "dev", tap, "up");
            // a static neighbour: the namespace sends the echo request straight to the port's MAC, no ARP needed
            HostTools.check(30, "ip", "-n", ns, "neigh", "replace", PORT_IP, "lladdr", PORT_MAC.toString(), "dev", tap, "nud", "permanent");
            tcpdump = startTcpdump(ns, tap, capture);

            VfRings r = new VfRings(device.vf());
            assertThat(r.hello()).isEqualTo(PORT_MAC);
            r.setupRx(2, false, false, VfRings.RING - 1);
            r.setupTx();

            Process ping = new ProcessBuilder("ip", "netns", "exec", ns, "ping", "-n", "-c", "1", "-W", "30", PORT_IP)
                    .redirectErrorStream(true).start();
            byte[] request = null;
            int i = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (request == null) {
                if ((r.rxStatus(i) & 1) == 0) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("no echo request arrived in the rx ring; ping said: "
                                + new String(ping.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                    }
                    Thread.sleep(1);
                    continue;
                }
                byte[] f = r.rxData(i++);
                if (isEchoRequestToPort(f)) {
                    request = f;
                }
            }
            r.txPacket(echoReply(request), 1, 0, VfRings.CC);
            r.bumpTx();
            assertThat(ping.waitFor(60, TimeUnit.SECONDS)).as("ping finished").isTrue();
            String pingOut = new String(ping.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(ping.exitValue()).as("ping got its reply:\n%s", pingOut).isZero();
            assertThat(pingOut).contains("1 received");
            assertThat(device.tap().received()).isGreaterThanOrEqualTo(1);
            // ping can print its reply before the device thread has counted the frame it wrote.
            var tapWire = device.tap();
            var bar = r.bar;
            EmulatedDeviceTest.await("the tap to count the reply it sent", () -> tapWire.sent() >= 1);
            EmulatedDeviceTest.await("GPTC to count the reply", () -> bar.read32(VFGPTC) >= 1);
            assertThat(tapWire.sent()).as("frames the TAP sent").isEqualTo(1);
            assertThat(bar.read32(VFGPTC)).as("VFGPTC").isEqualTo(1);

            // tcpdump writes each packet as it sees it (-U, --immediate-mode): wait until both are in the file
            String seen = "";
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!seen.contains("echo reply") && System.nanoTime() < until) {
                Thread.sleep(10);
                seen = HostTools.run(60, "tcpdump", "-r", capture.toString(), "-n", "-e", "icmp").output();
            }
            stop(tcpdump);
            tcpdump = null;
            assertThat(seen).contains(PORT_MAC + " > ").contains("> " + PORT_MAC);
            assertThat(seen).contains(NS_IP + " > " + PORT_IP + ": ICMP echo request");
            assertThat(seen).contains(PORT_IP + " > " + NS_IP + ": ICMP echo reply");
        } finally {
            if (tcpdump != null) {
                stop(tcpdump);
            }
            try {
                if (device != null) {
                    device.close(); // the TAP goes with its descriptor
                }
            } finally {
                HostTools.run(30, "ip", "netns", "del", ns);
            }
        }
        assertThat(HostTools.run(30, "ip", "netns", "list").output()).doesNotContain(ns);
        assertThat(HostTools.run(30, "ip", "link", "show", "dev", tap).exit()).as("TAP removed").isNotZero();
    }

    private static Process startTcpdump(String ns, String tap, Path capture) throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "exec", ns, "tcpdump", "-i", tap, "-n", "-U", "--immediate-mode", "-Z", "root", "-w", capture.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        CountDownLatch listening = new CountDownLatch(1);
        StringBuilder err = new StringBuilder();
        Thread.ofPlatform().daemon(true).start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    synchronized (err) {
                        err.append(line).append('\n');
                    }
                    if (line.contains("listening on")) {
                        listening.countDown();
                    }
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        if (!listening.await(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            synchronized (err) {
                throw new AssertionError("tcpdump did not start: " + err);
            }
        }
        return p;
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy(); // SIGTERM: tcpdump flushes the capture and exits
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static boolean isEchoRequestToPort(byte[] f) {
        ByteBuffer b = ByteBuffer.wrap(f);
        return f.length >= 42 && b.getShort(12) == 0x0800 && f[23] == 1 && f[34] == 8
                && HexFormat.of().formatHex(f, 30, 34).equals("0a630002");
    }

    /** The echo reply as the port's host would send it (ICMP type 0, addresses swapped, checksum redone). */
    private static byte[] echoReply(byte[] request) {
        ByteBuffer in = ByteBuffer.wrap(request);
        int ipLength = in.getShort(16) & 0xFFFF;
        byte[] reply = java.util.Arrays.copyOf(request, 14 + ipLength);
        System.arraycopy(request, 6, reply, 0, 6);
        System.arraycopy(PORT_MAC.toBytes(), 0, reply, 6, 6);
        System.arraycopy(request, 30, reply, 26, 4);
        System.arraycopy(request, 26, reply, 30, 4); // swapping the addresses keeps the IP checksum
        reply[34] = 0;
        reply[36] = 0;
        reply[37] = 0;
        int sum = 0;
        for (int k = 34; k < reply.length; k += 2) {
            sum += (reply[k] & 0xFF) << 8 | (k + 1 < reply.length ? reply[k + 1] & 0xFF : 0);
        }
        while (sum >>> 16 != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        reply[36] = (byte) (~sum >>> 8);
        reply[37] = (byte) ~sum;
        return reply;
    }
}
