/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.vdev.tap;

import dev.wirespeed.core.dma.AnonymousDmaDomain;
import dev.wirespeed.core.idle.InterruptIdleConfig;
import dev.wirespeed.core.idle.InterruptIdleStrategy;
import dev.wirespeed.core.packet.PacketBatch;
import dev.wirespeed.core.packet.PacketPool;
import dev.wirespeed.core.port.Port;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.core.port.PortStats;
import dev.wirespeed.core.port.Ports;
import dev.wirespeed.vdev.Sh;
import dev.wirespeed.vdev.VethPair;
import dev.wirespeed.vdev.afpacket.AfPacketPortTest;
import dev.wirespeed.vdev.afpacket.NoPrivileges;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A tap: port against the kernel side of its own TAP, watched through an af_packet port on the same
 * interface: what the tap port transmits the kernel receives on the TAP, what the kernel sends on the TAP
 * the tap port receives. Needs root; skipped otherwise.
 */
class TapPortTest {
    private final String tap = "wst" + ProcessHandle.current().pid() % 100_000 + "q";
    private AnonymousDmaDomain dma;
    private PacketPool pool;
    private final List<Port> ports = new ArrayList<>();

    @BeforeEach
    void setUp() {
        Assumptions.assumeTrue(Sh.isRoot() && new java.io.File("/dev/net/tun").exists(), "needs root and /dev/net/tun");
        dma = new AnonymousDmaDomain("tap");
        pool = PacketPool.create("tap", dma, 4096);
    }

    @AfterEach
    void tearDown() {
        for (Port p : ports.reversed()) {
            p.close();
        }
        Sh.run("ip link del " + tap);
        if (pool != null) {
            assertThat(pool.isFull()).as("every buffer back in the pool").isTrue();
            pool.close();
            dma.close();
        }
    }

    private Port open(String device) {
        Port p = Ports.open(device, PortConfig.builder().rxPool(pool).rxRingSize(1024).build());
        ports.add(p);
        return p;
    }

    private static void send(Port port, PacketBatch batch) {
        while (!batch.isEmpty()) {
            port.tx(0, batch);
        }
    }

    @Test
    void framesGoBothWaysBetweenThePortAndTheKernel() throws Exception {
        Port t = open("tap:" + tap + ",up=on");
        Sh.ok("sysctl -qw net.ipv6.conf." + tap + ".disable_ipv6=1");
        Port watcher = open("af_packet:" + tap); // the kernel's side of the TAP
        t.start();
        watcher.start();
        assertThat(t.linkStatus().up()).isTrue();
        assertThat(Sh.ok("ip link show dev " + tap)).contains("UP");

        List<byte[]> sent = new ArrayList<>();
        PacketBatch batch = new PacketBatch(32);
        for (int i = 0; i < 100; i++) {
            int h = AfPacketPortTest.frame(pool, i, 60 + i * 13);
            sent.add(AfPacketPortTest.bytes(pool, h));
            batch.add(h);
            if (batch.size() == 32 || i == 99) {
                send(t, batch);
            }
        }
        List<byte[]> atKernel = AfPacketPortTest.receive(watcher, 0, 100, pool);
        assertThat(atKernel.size()).as("frames the kernel received on the TAP").isEqualTo(100);
        for (int i = 0; i < 100; i++) {
            assertThat(Arrays.equals(atKernel.get(i), sent.get(i))).as("frame %d as sent", i).isTrue();
        }

        sent.clear();
        for (int i = 0; i < 100; i++) {
            int h = AfPacketPortTest.frame(pool, i, 1514 - i);
            sent.add(AfPacketPortTest.bytes(pool, h));
            batch.add(h);
            if (batch.size() == 32 || i == 99) {
                while (!batch.isEmpty()) {
                    watcher.tx(0, batch);
                }
            }
        }
        List<byte[]> atPort = AfPacketPortTest.receive(t, 0, 100, pool);
        assertThat(atPort.size()).as("frames the kernel sent on the TAP").isEqualTo(100);
        for (int i = 0; i < 100; i++) {
            assertThat(Arrays.equals(atPort.get(i), sent.get(i))).as("frame %d as sent", i).isTrue();
        }
        PortStats s = t.stats(new PortStats());
        assertThat(s.opackets).isEqualTo(100);
        assertThat(s.ipackets).isGreaterThanOrEqualTo(100);
    }

    /**
     * A TAP that is down refuses writes (EIO) while poll calls it "not writable", as it would a full queue: the
     * frames are taken and counted as errors, not left in the batch for ever (#18: errno is learnt from a
     * capturing retry of the failed write, not guessed from poll).
     */
    @Test
    void framesForATapThatIsDownAreCountedAsErrorsNotKept() {
        Port t = open("tap:" + tap);
        t.start();
        PacketBatch batch = new PacketBatch(8);
        for (int i = 0; i < 8; i++) {
            batch.add(AfPacketPortTest.frame(pool, i, 64));
        }
        assertThat(t.tx(0, batch)).as("frames taken").isEqualTo(8);
        assertThat(batch.isEmpty()).isTrue();
        PortStats s = t.stats(new PortStats());
        assertThat(s.oerrors).as("transmit errors").isEqualTo(8);
        assertThat(s.opackets).isZero();
    }

    @Test
    void anInterruptIdleThreadSleepsOnTheTapAndWakesOnAFrame() throws Exception {
        Port t = open("tap:" + tap + ",up=on");
        Sh.ok("sysctl -qw net.ipv6.conf." + tap + ".disable_ipv6=1");
        Port watcher = open("af_packet:" + tap);
        t.start();
        watcher.start();
        AfPacketPortTest.receive(t, 0, Integer.MAX_VALUE, pool); // drain (5 s)
        InterruptIdleConfig config = InterruptIdleConfig.builder().spinCount(0).yieldCount(0).epollTimeoutMillis(10_000).build();
        try (InterruptIdleStrategy idle = new InterruptIdleStrategy(List.of(t.rxWakeSource(0)), config)) {
            Thread sender = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(300);
                    Sh.ok("ping -c 1 -W 1 -I " + tap + " 10.255.255.1 || true"); // the kernel sends an ARP request on the TAP
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Sh.ok("ip addr add 10.255.255.2/24 dev " + tap);
            idle.idle(0);
            sender.join();
            assertThat(idle.wakeUpsByEvent()).as("woken by a frame, not the 10 s timeout").isEqualTo(1);
        }
        AfPacketPortTest.receive(t, 0, 1, pool);
    }

    @Test
    void aNameTakenByAnotherKindOfInterfaceIsRefusedClearly() {
        try (VethPair veth = new VethPair("t")) {
            assertThatThrownBy(() -> open("tap:" + veth.a))
                    .hasMessageContaining("EINVAL")
                    .hasMessageContaining("interface " + veth.a + " exists and is not a TAP");
        }
    }

    @Test
    void withoutCapNetAdminTheMessageSaysWhichCapability() {
        Sh.Result r = NoPrivileges.open("tap:" + tap);
        assertThat(r.output()).as(r.output()).contains("EPERM").contains("CAP_NET_ADMIN");
    }
}
