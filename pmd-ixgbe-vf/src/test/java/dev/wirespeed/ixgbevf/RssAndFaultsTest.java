/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

import dev.wirespeed.core.packet.MacAddress;
import dev.wirespeed.core.packet.PacketBatch;
import dev.wirespeed.core.packet.PacketFlags;
import dev.wirespeed.core.packet.PacketPool;
import dev.wirespeed.core.port.PortStats;
import dev.wirespeed.emulator.Flavour;
import dev.wirespeed.emulator.dma.VfDmaEngine;
import dev.wirespeed.emulator.pf.PfConfig;
import dev.wirespeed.emulator.wire.WireEnd;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Several rx queues fed by RSS, and the emulator's device-side faults (delayed write-back, stalled tx, no descriptors). */
class RssAndFaultsTest {

    /**
     * Flow {@code i} comes from 10.a.b.c: 24 address bits that a multiplicative hash of {@code i} spreads.
     * Both the driver (X550) and the PF model (82599) pick a random RSS key, and the Toeplitz hash is linear
     * in its input: flows that differ in only 8 bits would leave a given hash bit constant for one key in 256,
     * and two queues empty. Over 24 independent bits that chance is one in 2^24.
     */
    private static byte[] flow(MacAddress mac, int i) {
        byte[] f = OffloadTest.ipv4(mac, 17);
        int bits = i * 0x9E3779B1;
        f[26 + 1] = (byte) (bits >>> 24);
        f[26 + 2] = (byte) (bits >>> 16);
        f[26 + 3] = (byte) (bits >>> 8);
        OffloadTest.put16(f, 24, 0);
        OffloadTest.put16(f, 24, OffloadTest.checksum(f, 14, 20, 0));
        int l4Len = f.length - 34;
        OffloadTest.put16(f, 34 + 6, 0);
        OffloadTest.put16(f, 34 + 6, OffloadTest.checksum(f, 34, l4Len, OffloadTest.pseudo(f, 17, l4Len)));
        return f;
    }

    @ParameterizedTest
    @EnumSource(value = Flavour.class, names = {"X82599", "X550"})
    void rssSpreadsFlowsOverFourQueuesAndEveryFrameArrivesOnce(Flavour flavour) {
        try (EmulatorRig rig = new EmulatorRig(new PfConfig().flavour(flavour))) {
            IxgbeVfPort port = rig.open(b -> b.rxQueues(4).txQueues(1));
            port.start();
            VfDmaEngine engine = new VfDmaEngine(rig.pf, 0, WireEnd.loopback(1024));
            PacketBatch out = new PacketBatch(32);
            PacketBatch in = new PacketBatch(64);
            int[] perQueue = new int[4];
            int flows = 256;
            for (int i = 0; i < flows; i++) {
                out.add(Frames.fromBytes(rig.pool, flow(port.macAddress(), i)));
                if (out.size() == out.capacity() || i == flows - 1) {
                    int queued = out.size();
                    assertThat(port.tx(0, out)).isEqualTo(queued);
                    while (engine.doWork() > 0) {
                        // move everything onto the rx rings
                    }
                    for (int q = 0; q < 4; q++) {
                        int n = port.rx(q, in);
                        for (int k = 0; k < n; k++) {
                            assertThat(rig.pool.flags(in.get(k)) & PacketFlags.RX_RSS_HASH).isNotZero();
                        }
                        perQueue[q] += n;
                        in.freeAll();
                    }
                }
            }
            out.freeAll();
            assertThat(perQueue[0] + perQueue[1] + perQueue[2] + perQueue[3]).isEqualTo(flows);
            assertThat(perQueue).as("every queue gets some of 256 flows").doesNotContain(0);
            port.stop();
            assertThat(rig.pool.isFull()).isTrue();
        }
    }

    /** The RSS verification key and its IPv4/TCP example (Microsoft's published RSS test vectors). */
    private static final byte[] VERIFICATION_KEY = java.util.HexFormat.of().parseHex(
            "6d5a56da255b0ec24167253d43a38fb0d0ca2bcbae7b30b477cb2da38030f20c6a42b73bbeac01fa");

    @Test
    void anX550VfHashesWithTheKeyTheApplicationChose() {
        try (EmulatorRig rig = new EmulatorRig(new PfConfig().flavour(Flavour.X550))) {
            IxgbeVfPort port = rig.open(b -> b.rxQueues(4).rssKey(VERIFICATION_KEY));
            port.start();
            VfDmaEngine engine = new VfDmaEngine(rig.pf, 0, WireEnd.loopback(64));
            byte[] f = OffloadTest.ipv4(port.macAddress(), 6); // TCP, 66.9.149.187:2794 -> 161.142.100.80:1766
            System.arraycopy(new byte[] {66, 9, (byte) 149, (byte) 187, (byte) 161, (byte) 142, 100, 80}, 0, f, 26, 8);
            OffloadTest.put16(f, 34, 2794);
            OffloadTest.put16(f, 36, 1766);
            OffloadTest.put16(f, 24, 0);
            OffloadTest.put16(f, 24, OffloadTest.checksum(f, 14, 20, 0));
            PacketBatch out = new PacketBatch(1);
            out.add(Frames.fromBytes(rig.pool, f));
            assertThat(port.tx(0, out)).isEqualTo(1);
            while (engine.doWork() > 0) {
                // onto the rx ring RSS picks
            }
            int hash = 0x51ccc178; // the published hash of that flow with that key
            int queue = (hash & 63) % 4; // the driver's redirection table: entry i -> queue i % 4
            PacketBatch in = new PacketBatch(4);
            for (int q = 0; q < 4; q++) {
                assertThat(port.rx(q, in)).as("queue " + q).isEqualTo(q == queue ? 1 : 0);
            }
            assertThat(rig.pool.rssHash(in.get(0))).isEqualTo(hash);
            in.freeAll();
            port.stop();
            assertThat(rig.pool.isFull()).isTrue();
        }
    }

    @Test
    void an82599VfRefusesAnRssKeyOfItsOwnAndAKeyOfTheWrongLength() {
        try (EmulatorRig rig = new EmulatorRig(new PfConfig())) {
            assertThatThrownBy(() -> rig.open(b -> b.rssKey(VERIFICATION_KEY)))
                    .hasMessageContaining("VF cannot choose its RSS key: its PF hashes with one key for all its VFs");
        }
        try (EmulatorRig rig = new EmulatorRig(new PfConfig().flavour(Flavour.X550))) {
            assertThatThrownBy(() -> rig.open(b -> b.rssKey(new byte[52])))
                    .hasMessageContaining("the RSS key is 52 bytes; an X550 VF's is 40");
        }
    }

    @Test
    void anRxQueueWithAPoolOfItsOwnFillsItsRingFromItAndGetsEveryBufferBack() {
        try (EmulatorRig rig = new EmulatorRig(new PfConfig());
             PacketPool own = PacketPool.create("queue1", rig.vf.dma(), 512)) {
            IxgbeVfPort port = rig.open(b -> b.rxQueues(2).rxPool(1, own));
            port.start();
            assertThat(own.available()).as("queue 1's ring was filled from its own pool").isLessThan(512);
            VfDmaEngine engine = new VfDmaEngine(rig.pf, 0, WireEnd.loopback(1024));
            PacketBatch out = new PacketBatch(64);
            for (int i = 0; i < 64; i++) {
                out.add(Frames.fromBytes(rig.pool, flow(port.macAddress(), i)));
            }
            assertThat(port.tx(0, out)).isEqualTo(64);
            while (engine.doWork() > 0) {
                // onto the rx rings
            }
            PacketBatch in = new PacketBatch(64);
            int[] perQueue = new int[2];
            for (int q = 0; q < 2; q++) {
                perQueue[q] = port.rx(q, in);
                for (int k = 0; k < perQueue[q]; k++) {
                    assertThat(PacketPool.of(in.get(k))).as("queue " + q + "'s buffers").isSameAs(q == 1 ? own : rig.pool);
                }
                in.freeAll();
            }
            assertThat(perQueue[0] + perQueue[1]).isEqualTo(64);
            assertThat(perQueue[1]).isPositive();
            port.stop();
            assertThat(rig.pool.isFull()).isTrue();
            assertThat(own.isFull()).isTrue();
        }
    }

    @Test
    void delayedWriteBackLosesAndCorruptsNothing() {
        try (EmulatorRig rig = new EmulatorRig(new PfConfig())) {
            rig.open().start();
            VfDmaEngine engine = new VfDmaEngine(rig.pf, 0, WireEnd.loopback(256));
            engine.delayRxWriteBack(3);
            TrafficTest.loop(rig, engine, 5_000, 60, 1514, 11);
            rig.port.stop();
            assertThat(rig.pool.isFull()).isTrue();
        }
    }

    @Test
    void aTxQueueStalledInTheDeviceIsDetectedAndReset() {
        try (EmulatorRig rig = new EmulatorRig(new PfConfig())) {
            IxgbeVfPort port = rig.open();
            port.start();
            VfDmaEngine engine = new VfDmaEngine(rig.pf, 0, WireEnd.loopback(256));
            TrafficTest.loop(rig, engine, 1_000, 60, 1514, 12);
            port.checkHealth();
            port.checkHealth();
            port.checkHealth();
            assertThat(port.extendedStats()).as("a queue the application stopped cleaning is not hung")
                    .containsEntry("tx_hangs_detected", 0L);
            engine.stallTx(0, true);
            PacketBatch out = new PacketBatch(40);
            for (int i = 0; i < 40; i++) {
                out.add(Frames.build(rig.pool, port.macAddress(), i, 100));
            }
            port.tx(0, out);
            engine.doWork();
            port.checkHealth();
            engine.doWork();
            port.checkHealth();
            engine.doWork();
            port.checkHealth();
            assertThat(port.extendedStats()).containsEntry("tx_hangs_detected", 1L).containsEntry("tx_dropped_on_reset", 40L);
            engine.stallTx(0, false);
            TrafficTest.loop(rig, engine, 1_000, 60, 1514, 13);
            port.stop();
            assertThat(rig.pool.isFull()).isTrue();
        }
    }

    @Test
    void underOverloadTheRingFillsAndTheDeviceDropsTheRestWhileTheVfCountsOnlyWhatItDelivered() {
        try (EmulatorRig rig = new EmulatorRig(new PfConfig())) {
            IxgbeVfPort port = rig.open(b -> b.rxRingSize(128).txRingSize(512));
            port.start();
            VfDmaEngine engine = new VfDmaEngine(rig.pf, 0, WireEnd.loopback(1024));
            PacketBatch out = new PacketBatch(500);
            for (int i = 0; i < 500; i++) {
                out.add(Frames.build(rig.pool, port.macAddress(), i, 60));
            }
            assertThat(port.tx(0, out)).isEqualTo(500);
            while (engine.doWork() > 0) {
                // the application does not poll: the rx ring fills
            }
            PacketBatch in = new PacketBatch(32);
            int got = 0;
            for (int n; (n = port.rx(0, in)) > 0; got += n) {
                in.freeAll();
            }
            assertThat(got).as("the 127 descriptors the ring offers").isEqualTo(127);
            assertThat(engine.counters().rxNoDescriptor()).as("the rest dropped by the device (DROP_EN)").isEqualTo(500 - 127);
            PortStats s = port.stats(new PortStats());
            assertThat(s.ipackets).isEqualTo(127);
            assertThat(s.opackets).isEqualTo(500);
            TrafficTest.loop(rig, engine, 1_000, 60, 1514, 15);
            port.stop();
            assertThat(rig.pool.isFull()).isTrue();
        }
    }

    @Test
    void whenTheDeviceHasNoDescriptorsFramesAreDroppedAndTrafficResumes() {
        try (EmulatorRig rig = new EmulatorRig(new PfConfig())) {
            IxgbeVfPort port = rig.open();
            port.start();
            VfDmaEngine engine = new VfDmaEngine(rig.pf, 0, WireEnd.loopback(256));
            engine.exhaustRx(true);
            PacketBatch out = new PacketBatch(32);
            for (int i = 0; i < 32; i++) {
                out.add(Frames.build(rig.pool, port.macAddress(), i, 100));
            }
            port.tx(0, out);
            engine.doWork();
            PacketBatch in = new PacketBatch(32);
            assertThat(port.rx(0, in)).isZero();
            assertThat(engine.counters().rxNoDescriptor()).isEqualTo(32);
            PortStats s = port.stats(new PortStats());
            assertThat(s.ipackets).as("dropped frames are not counted as received").isZero();
            assertThat(s.opackets).isEqualTo(32);
            engine.exhaustRx(false);
            TrafficTest.loop(rig, engine, 1_000, 60, 1514, 14);
            port.stop();
            assertThat(rig.pool.isFull()).isTrue();
        }
    }
}
