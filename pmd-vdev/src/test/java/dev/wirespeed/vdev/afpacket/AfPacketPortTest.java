/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.vdev.afpacket;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * af_packet ports on the two ends of a veth pair: what one transmits the other receives, byte for byte.
 * Needs root (veth pairs, CAP_NET_RAW); skipped otherwise.
 */
public class AfPacketPortTest {
    /** IEEE 802 local experimental EtherType: nothing else on the link sends it. */
    static final int TEST_TYPE = 0x88B5;

    private AnonymousDmaDomain dma;
    private PacketPool pool;
    private VethPair veth;
    private final List<Port> ports = new ArrayList<>();

    @BeforeEach
    void setUp() {
        Assumptions.assumeTrue(Sh.isRoot(), "needs root: veth pairs and packet sockets");
        dma = new AnonymousDmaDomain("afp");
        pool = PacketPool.create("afp", dma, 4096);
        veth = new VethPair("p");
    }

    @AfterEach
    void tearDown() {
        for (Port p : ports) {
            p.close();
        }
        if (veth != null) {
            veth.close();
        }
        if (pool != null) {
            assertThat(pool.isFull()).as("every buffer back in the pool").isTrue();
            pool.close();
            dma.close();
        }
    }

    private Port open(String device, int queues) {
        Port p = Ports.open(device, PortConfig.builder().rxPool(pool).rxQueues(queues).txQueues(queues).rxRingSize(1024).txRingSize(256).build());
        ports.add(p);
        return p;
    }

    /** Ports on both ends of the veth, started: {@code [a, b]}, b with {@code bQueues} queues. */
    private Port[] started(int bQueues) {
        Port[] ab = {open("af_packet:" + veth.a, 1), open("af_packet:" + veth.b, bQueues)};
        for (Port p : ab) {
            p.start();
        }
        return ab;
    }

    /** A test frame: broadcast, source 02:00:00:00:00:seq, the test EtherType, then bytes counting from seq. */
    public static int frame(PacketPool pool, int seq, int length) {
        int h = pool.alloc();
        MemorySegment m = pool.memory();
        long at = pool.dataOffset(h);
        for (int i = 0; i < 6; i++) {
            m.set(JAVA_BYTE, at + i, (byte) 0xFF);
        }
        m.set(JAVA_BYTE, at + 6, (byte) 2);
        for (int i = 7; i < 12; i++) {
            m.set(JAVA_BYTE, at + i, (byte) 0);
        }
        m.set(JAVA_BYTE, at + 11, (byte) seq);
        m.set(JAVA_BYTE, at + 12, (byte) (TEST_TYPE >>> 8));
        m.set(JAVA_BYTE, at + 13, (byte) TEST_TYPE);
        for (int i = 14; i < length; i++) {
            m.set(JAVA_BYTE, at + i, (byte) (seq + i));
        }
        pool.setLength(h, length);
        return h;
    }

    /** An IPv4/UDP frame from 10.0.0.1:(1000 + flow) to 10.0.0.2:2000, 64 bytes. */
    static int udpFrame(PacketPool pool, int flow) {
        int h = frame(pool, flow, 64);
        MemorySegment m = pool.memory();
        long at = pool.dataOffset(h);
        byte[] ip = {0x45, 0, 0, 50, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2};
        MemorySegment.copy(ip, 0, m, JAVA_BYTE, at + 14, ip.length);
        m.set(JAVA_BYTE, at + 12, (byte) 0x08);
        m.set(JAVA_BYTE, at + 13, (byte) 0x00);
        int sport = 1000 + flow;
        byte[] udp = {(byte) (sport >>> 8), (byte) sport, 0x07, (byte) 0xD0, 0, 30, 0, 0};
        MemorySegment.copy(udp, 0, m, JAVA_BYTE, at + 34, udp.length);
        return h;
    }

    public static byte[] bytes(PacketPool pool, int h) {
        byte[] b = new byte[pool.packetLength(h)];
        MemorySegment.copy(pool.memory(), JAVA_BYTE, pool.dataOffset(h), b, 0, b.length);
        return b;
    }

    /** Receives until {@code n} test frames came or 5 s passed; other frames are freed. */
    public static List<byte[]> receive(Port port, int queue, int n, PacketPool pool) throws InterruptedException {
        return receive(port, queue, n, pool, TEST_TYPE);
    }

    /** Receives until {@code n} frames of EtherType {@code type} came or 5 s passed; other frames are freed. */
    public static List<byte[]> receive(Port port, int queue, int n, PacketPool pool, int type) throws InterruptedException {
        List<byte[]> got = new ArrayList<>();
        PacketBatch batch = new PacketBatch(32);
        long end = System.nanoTime() + 5_000_000_000L;
        while (got.size() < n && System.nanoTime() < end) {
            if (port.rx(queue, batch) == 0) {
                Thread.sleep(1);
            }
            for (int i = 0; i < batch.size(); i++) {
                byte[] b = bytes(pool, batch.get(i));
                if (b.length >= 14 && ((b[12] & 0xFF) << 8 | b[13] & 0xFF) == type) {
                    got.add(b);
                }
            }
            batch.freeAll();
        }
        return got;
    }

    private static void send(Port port, int queue, PacketBatch batch) throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        while (!batch.isEmpty()) {
            port.tx(queue, batch);
            assertThat(System.nanoTime()).as("tx ring never freed up").isLessThan(end);
            if (!batch.isEmpty()) {
                Thread.sleep(1);
            }
        }
    }

    @Test
    void framesCrossTheVethByteForByteAndThePortDoesNotHearItself() throws Exception {
        Port a = open("af_packet:" + veth.a, 1);
        Port b = open("af_packet:" + veth.b + ",promisc=on", 1);
        assertThat(b.isPromiscuous()).isTrue();
        a.start();
        b.start();
        assertThat(a.linkStatus().up()).isTrue();
        assertThat(a.mtu()).isEqualTo(1500);
        List<byte[]> sent = new ArrayList<>();
        PacketBatch batch = new PacketBatch(32);
        for (int i = 0; i < 300; i++) {
            int h = frame(pool, i, 60 + i * 97 % 1455); // 60..1514 bytes
            sent.add(bytes(pool, h));
            batch.add(h);
            if (batch.size() == 32 || i == 299) {
                send(a, 0, batch);
            }
        }
        List<byte[]> got = receive(b, 0, 300, pool);
        assertThat(got.size()).isEqualTo(300);
        for (int i = 0; i < 300; i++) {
            assertThat(Arrays.equals(got.get(i), sent.get(i))).as("frame %d arrived as sent", i).isTrue();
        }
        assertThat(receive(a, 0, 1, pool)).as("a port does not receive its own transmissions").isEmpty();
        PortStats s = b.stats(new PortStats());
        assertThat(s.ipackets).isGreaterThanOrEqualTo(300);
        assertThat(a.stats(new PortStats()).opackets).isEqualTo(300);
        a.stop();
        b.stop();
    }

    @Test
    void aVlanTagTheKernelTookOutIsPutBack() throws Exception {
        Port[] ab = started(1);
        Port a = ab[0], b = ab[1];
        int h = frame(pool, 7, 100);
        // insert an 802.1Q tag (VLAN 42, priority 3) before the EtherType
        MemorySegment m = pool.memory();
        long at = pool.dataOffset(h);
        MemorySegment.copy(m, at + 12, m, at + 16, 84);
        m.set(JAVA_BYTE, at + 12, (byte) 0x81);
        m.set(JAVA_BYTE, at + 13, (byte) 0x00);
        m.set(JAVA_BYTE, at + 14, (byte) 0x60);
        m.set(JAVA_BYTE, at + 15, (byte) 42);
        byte[] sent = bytes(pool, h);
        PacketBatch batch = new PacketBatch(4);
        batch.add(h);
        send(a, 0, batch);
        PacketBatch in = new PacketBatch(32);
        byte[] got = null;
        long end = System.nanoTime() + 5_000_000_000L;
        while (got == null && System.nanoTime() < end) {
            b.rx(0, in);
            for (int i = 0; i < in.size(); i++) {
                byte[] f = bytes(pool, in.get(i));
                if ((f[12] & 0xFF) == 0x81) {
                    got = f;
                }
            }
            in.freeAll();
        }
        assertThat(got).as("the tagged frame arrived").isNotNull();
        assertThat(Arrays.equals(got, sent)).as("the tagged frame, tag included, as sent").isTrue();
    }

    @Test
    void severalQueuesShareTheTrafficByFlow() throws Exception {
        Port[] ab = started(2);
        Port a = ab[0], b = ab[1];
        PacketBatch batch = new PacketBatch(32);
        for (int i = 0; i < 256; i++) {
            batch.add(udpFrame(pool, i)); // 256 UDP flows (source ports) for the kernel's flow hash
            if (batch.size() == 32) {
                send(a, 0, batch);
            }
        }
        Thread.sleep(200);
        int q0 = receive(b, 0, 256, pool, 0x0800).size();
        int q1 = receive(b, 1, 256, pool, 0x0800).size();
        assertThat(q0 + q1).isEqualTo(256);
        assertThat(q0).as("queue 0 got some flows").isPositive();
        assertThat(q1).as("queue 1 got some flows").isPositive();
    }

    @Test
    void anInterruptIdleThreadSleepsOnTheSocketAndWakesOnAFrame() throws Exception {
        Port[] ab = started(1);
        Port a = ab[0], b = ab[1];
        receive(b, 0, Integer.MAX_VALUE, pool); // nothing pending (5 s of whatever the kernel sent)
        InterruptIdleConfig config = InterruptIdleConfig.builder().spinCount(0).yieldCount(0).epollTimeoutMillis(10_000).build();
        try (InterruptIdleStrategy idle = new InterruptIdleStrategy(List.of(b.rxWakeSource(0)), config)) {
            Thread sender = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(300);
                    PacketBatch batch = new PacketBatch(1);
                    PacketPool own = PacketPool.create("sender", dma, 4);
                    batch.add(frame(own, 1, 64));
                    send(a, 0, batch);
                    own.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            long start = System.nanoTime();
            idle.idle(0);
            long sleptMillis = (System.nanoTime() - start) / 1_000_000;
            sender.join();
            assertThat(idle.wakeUpsByEvent()).as("woken by the frame, not the 10 s timeout").isEqualTo(1);
            assertThat(sleptMillis).isBetween(200L, 5_000L);
            assertThat(b.rxWakeSource(0).hasWork()).isTrue();
            assertThat(receive(b, 0, 1, pool)).hasSize(1);
        }
    }

    @Test
    void aMissingInterfaceIsNamed() {
        assertThatThrownBy(() -> open("af_packet:nosuch0", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("there is no interface 'nosuch0' in this network namespace");
        assertThatThrownBy(() -> open("af_packet:" + "x".repeat(16), 1)).hasMessageContaining("is not a Linux interface name");
        assertThatThrownBy(() -> open("af_packet:" + veth.a + ",queues=2", 1)).hasMessageContaining("unknown option 'queues'");
    }

    @Test
    void aDownInterfaceIsRefusedAtStartWithTheFix() {
        Sh.ok("ip link set dev " + veth.a + " down");
        Port a = open("af_packet:" + veth.a, 1);
        assertThat(a.linkStatus().up()).isFalse();
        assertThatThrownBy(a::start).hasMessageContaining("interface " + veth.a + " is down")
                .hasMessageContaining("ip link set dev " + veth.a + " up");
    }

    @Test
    void withoutCapNetRawTheMessageSaysWhichCapability() {
        Sh.Result r = NoPrivileges.open("af_packet:" + veth.a);
        assertThat(r.output()).as(r.output()).contains("EPERM").contains("CAP_NET_RAW").contains("setcap");
    }
}
