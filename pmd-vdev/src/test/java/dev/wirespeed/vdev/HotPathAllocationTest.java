/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.vdev;

import dev.wirespeed.core.dma.AnonymousDmaDomain;
import dev.wirespeed.core.packet.PacketBatch;
import dev.wirespeed.core.packet.PacketPool;
import dev.wirespeed.core.port.Port;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.core.port.Ports;
import dev.wirespeed.vdev.afpacket.AfPacketPortTest;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * tx and rx bursts of af_packet and tap ports allocate nothing, measured in a JVM that only interprets
 * ({@code -Xint}): nothing depends on C2 inlining a downcall and escape analysis removing what it allocated
 * (#18: the errno-capturing sendto kick and TAP read/write allocated 40 bytes a call wherever C2 did not
 * inline them). Needs root; skipped otherwise.
 */
class HotPathAllocationTest {
    private static final int WARM_UP = 300, BURSTS = 3_000, FRAMES = 8;

    @Test
    void afPacketBurstsBetweenTheEndsOfAVethAllocateNothing() throws Exception {
        Assumptions.assumeTrue(Sh.isRoot(), "needs root: veth pairs and packet sockets");
        try (VethPair veth = new VethPair("m")) {
            long bytes = measure("af_packet:" + veth.a, "af_packet:" + veth.b);
            assertThat(bytes).as("bytes %d af_packet bursts of %d frames allocated", BURSTS, FRAMES).isLessThan(1_000);
        }
    }

    @Test
    void tapBurstsAllocateNothingEvenWhenThereIsNothingToRead() throws Exception {
        Assumptions.assumeTrue(Sh.isRoot() && new java.io.File("/dev/net/tun").exists(), "needs root and /dev/net/tun");
        String tap = "wst" + ProcessHandle.current().pid() % 100_000 + "m";
        long bytes = measure("tap:" + tap + ",up=on", "tap:" + tap + ",up=on");
        assertThat(bytes).as("bytes %d tap bursts of %d frames allocated", BURSTS, FRAMES).isLessThan(1_000);
    }

    /**
     * Runs {@link Bursts} in an -Xint JVM; returns the bytes its measured bursts allocated. Measured: 0 (the
     * capturing calls: 120,000 for af_packet, 1,080,000 for tap). The bound leaves room for a one-time event
     * of the JVM (160 bytes seen in pmd-core's HotCallsTest); an allocating call costs 40 bytes a burst.
     */
    private static long measure(String txDevice, String rxDevice) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(java, "-Xint", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Bursts.class.getName(), txDevice, rxDevice)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        System.out.println(txDevice + " -> " + rxDevice + " in an -Xint JVM: " + out);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).as("what the -Xint JVM printed").containsPattern("frames sent [1-9]");
        if (!txDevice.equals(rxDevice)) {
            assertThat(out).as("what the -Xint JVM printed").containsPattern("frames received [1-9]");
        }
        return Long.parseLong(out.replaceAll("(?s).*allocated (\\d+) bytes.*", "$1"));
    }

    /** The -Xint JVM's program: bursts from port 1 to port 2 (the same device for a tap), warm-up then measured. */
    public static final class Bursts {
        public static void main(String[] args) {
            var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            try (AnonymousDmaDomain dma = new AnonymousDmaDomain("alloc")) {
                PacketPool pool = PacketPool.create("alloc", dma, 4096);
                PortConfig config = PortConfig.builder().rxPool(pool).rxRingSize(1024).txRingSize(256).build();
                Port tx = Ports.open(args[0], config);
                Port rx = args[1].equals(args[0]) ? tx : Ports.open(args[1], config);
                tx.start();
                if (rx != tx) {
                    rx.start();
                }
                PacketBatch out = new PacketBatch(FRAMES), in = new PacketBatch(64);
                long[] sentReceived = new long[2];
                bursts(pool, tx, rx, out, in, WARM_UP, sentReceived);
                threads.getCurrentThreadAllocatedBytes(); // its own first call allocates
                long before = threads.getCurrentThreadAllocatedBytes();
                bursts(pool, tx, rx, out, in, BURSTS, sentReceived);
                long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                // On a tap what the port sends goes to the kernel, which sends nothing back here: every receive
                // call finds nothing to read (EAGAIN), the case that must not allocate either.
                System.out.println("frames sent " + sentReceived[0] + ", frames received " + sentReceived[1]
                        + ", allocated " + allocated + " bytes");
                if (rx != tx) {
                    rx.close();
                }
                tx.close();
                pool.close();
            }
        }

        private static void bursts(PacketPool pool, Port tx, Port rx, PacketBatch out, PacketBatch in, int n, long[] sentReceived) {
            for (int burst = 0; burst < n; burst++) {
                for (int i = 0; i < FRAMES; i++) {
                    out.add(AfPacketPortTest.frame(pool, i, 64));
                }
                sentReceived[0] += tx.tx(0, out);
                out.freeAll(); // what the ring could not take
                sentReceived[1] += rx.rx(0, in);
                in.freeAll();
            }
        }
    }
}
