/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

import dev.wirespeed.core.packet.MacAddress;
import dev.wirespeed.core.packet.PacketBatch;
import dev.wirespeed.core.packet.PacketPool;
import dev.wirespeed.core.port.Offload;
import dev.wirespeed.core.port.PortStats;
import dev.wirespeed.emulator.Flavour;
import dev.wirespeed.emulator.dma.VfDmaEngine;
import dev.wirespeed.emulator.pf.PfConfig;
import dev.wirespeed.emulator.wire.WireEnd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Frames through the emulator's DMA engine on a loopback wire, stepped from the test thread so nothing
 * depends on timing: the driver transmits, the engine moves frames tx ring → wire → rx ring, the
 * driver receives and checks every byte.
 */
class TrafficTest {

    static void loop(EmulatorRig rig, VfDmaEngine engine, long count, int minSize, int maxSize, long seed) {
        loop(rig, engine, count, minSize, maxSize, seed, 128);
    }

    /**
     * Sends {@code count} frames of random sizes in {@code [minSize, maxSize]}, receives and checks them
     * all, in order. At most {@code window} frames are outstanding, so neither the wire nor the rx ring
     * overflows: "not overloaded", where nothing may be lost.
     */
    static void loop(EmulatorRig rig, VfDmaEngine engine, long count, int minSize, int maxSize, long seed, int window) {
        IxgbeVfPort port = rig.port;
        MacAddress mac = port.macAddress();
        PacketBatch out = new PacketBatch(32);
        PacketBatch in = new PacketBatch(32);
        SplittableRandom random = new SplittableRandom(seed);
        long sent = 0;
        long expected = 0;
        int idle = 0;
        while (expected < count) {
            while (sent < count && out.size() < out.capacity() && sent - expected < window) {
                int h = Frames.build(rig.pool, mac, sent, random.nextInt(minSize, maxSize + 1));
                if (h == PacketPool.NO_PACKET) {
                    break;
                }
                out.add(h);
                sent++;
            }
            port.tx(0, out);
            int work = engine.doWork();
            int got = port.rx(0, in);
            for (int i = 0; i < in.size(); i++) {
                long seq = Frames.check(Frames.bytes(rig.pool, in.get(i)), mac);
                assertThat(seq).as("frames arrive once each, in order").isEqualTo(expected);
                expected++;
            }
            in.freeAll();
            idle = work + got == 0 && out.isEmpty() ? idle + 1 : 0;
            assertThat(idle).as("traffic stalled after " + expected + " frames").isLessThan(1000);
        }
        out.freeAll();
    }

    @ParameterizedTest
    @EnumSource(Flavour.class)
    void mixedSizesArriveIntactOnEveryFlavour(Flavour flavour) {
        try (EmulatorRig rig = new EmulatorRig(new PfConfig().flavour(flavour))) {
            IxgbeVfPort port = rig.open();
            port.start();
            VfDmaEngine engine = new VfDmaEngine(rig.pf, 0, WireEnd.loopback(512));
            loop(rig, engine, 20_000, 60, 1514, flavour.ordinal());
            PortStats s = port.stats(new PortStats());
            assertThat(s.ipackets).isEqualTo(20_000);
            assertThat(s.opackets).isEqualTo(20_000);
            assertThat(engine.counters().dmaFaults()).isZero();
            port.stop();
            assertThat(rig.pool.isFull()).as("every buffer back after stop").isTrue();
        }
    }

    @Test
    void jumboFramesTravelAsChainsBothWays() {
        // 82599 with a jumbo PF and API 1.1+: the VF may use jumbo frames (facts §8.2)
        try (EmulatorRig rig = new EmulatorRig(new PfConfig().pfMtu(9000))) {
            IxgbeVfPort port = rig.open(b -> b.mtu(9000).offload(Offload.TX_MULTI_SEGMENT));
            port.start();
            VfDmaEngine engine = new VfDmaEngine(rig.pf, 0, WireEnd.loopback(512));
            loop(rig, engine, 3_000, 60, 9014, 42);
            assertThat(rig.pf.vfState(0).maxFrame()).isEqualTo(9018);
            port.stop();
            assertThat(rig.pool.isFull()).isTrue();
        }
    }

    @Test
    void manyFramesSmallRings() {
        // wraps every ring many times over; the tx ring is small so the driver must clean it often
        try (EmulatorRig rig = new EmulatorRig(new PfConfig())) {
            IxgbeVfPort port = rig.open(b -> b.rxRingSize(64).txRingSize(64));
            port.start();
            VfDmaEngine engine = new VfDmaEngine(rig.pf, 0, WireEnd.loopback(64));
            loop(rig, engine, 200_000, 60, 200, 7, 48);
            port.stop();
            assertThat(rig.pool.isFull()).isTrue();
        }
    }

    /**
     * Issue 12: the chip's switch returns a VF's own broadcast and multicast frames to it (facts §8.6; the
     * loopback wire does the same here). Linux's VF drops them (ixgbevf_clean_rx_irq); so does this driver
     * unless told not to, and group frames from anyone else still arrive.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void ownBroadcastEchoesAreDroppedUnlessPruningIsOff(boolean prune) {
        try (EmulatorRig rig = new EmulatorRig(new PfConfig())) {
            rig.pf.setVfSpoofCheck(0, false); // so the test may send as someone else
            IxgbeVfPort port = rig.open(b -> b, EmulatorRig.OPTIONS.withPruneOwnEchoes(prune));
            port.start();
            VfDmaEngine engine = new VfDmaEngine(rig.pf, 0, WireEnd.loopback(256));
            var broadcast = dev.wirespeed.core.packet.MacAddress.parse("ff:ff:ff:ff:ff:ff");
            var other = dev.wirespeed.core.packet.MacAddress.parse("02:00:00:00:00:99");
            PacketBatch b = new PacketBatch(8);
            b.add(Frames.build(rig.pool, broadcast, port.macAddress(), 1, 60)); // ours: comes back as an echo
            b.add(Frames.build(rig.pool, broadcast, other, 2, 60));             // someone else's (anti-spoofing off)
            assertThat(port.tx(0, b)).isEqualTo(2);
            PacketBatch in = new PacketBatch(8);
            for (int i = 0; i < 20 && in.size() < (prune ? 1 : 2); i++) {
                engine.doWork();
                port.rx(0, in);
            }
            assertThat(in.size()).isEqualTo(prune ? 1 : 2);
            assertThat(port.extendedStats()).containsEntry("rx_q0_own_echoes_dropped", prune ? 1L : 0L);
            in.freeAll();
            port.stop();
            assertThat(rig.pool.isFull()).isTrue();
        }
    }

    /**
     * Issue 12: the PF's max frame is the largest any function asked for, so a port with MTU 1500 can be sent
     * longer frames. X540/X550 VFs drop them with RXDCTL.RLPML (as Linux sets it on all but the 82599); the
     * 82599 has no working RLPML and delivers them chained.
     */
    @ParameterizedTest
    @EnumSource(value = Flavour.class, names = {"X82599", "X540"})
    void framesLongerThanTheMtuAreDroppedWhereTheChipHasRlpml(Flavour flavour) {
        try (EmulatorRig rig = new EmulatorRig(new PfConfig().flavour(flavour).pfMtu(9000))) {
            IxgbeVfPort port = rig.open(b -> b.mtu(1500));
            port.start();
            var fromWire = new dev.wirespeed.emulator.wire.FrameQueue(16);
            VfDmaEngine engine = new VfDmaEngine(rig.pf, 0, new WireEnd("test", fromWire, new dev.wirespeed.emulator.wire.FrameQueue(16)));
            byte[] mac = port.macAddress().toBytes();
            for (int len : new int[] {1514, 3000, 60}) {
                byte[] f = new byte[len];
                System.arraycopy(mac, 0, f, 0, 6);
                f[6] = 2; // a unicast source
                f[12] = (byte) 0x88;
                f[13] = (byte) 0xB5;
                assertThat(fromWire.offer(f)).isTrue();
            }
            PacketBatch in = new PacketBatch(8);
            for (int i = 0; i < 10; i++) {
                engine.doWork();
                port.rx(0, in);
            }
            java.util.List<Integer> lengths = new java.util.ArrayList<>();
            for (int i = 0; i < in.size(); i++) {
                lengths.add(rig.pool.packetLength(in.get(i)));
            }
            if (flavour == Flavour.X82599) {
                assertThat(lengths).containsExactly(1514, 3000, 60);
            } else {
                assertThat(lengths).containsExactly(1514, 60);
            }
            in.freeAll();
            port.stop();
            assertThat(rig.pool.isFull()).isTrue();
        }
    }
}
