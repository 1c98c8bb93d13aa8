/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

import dev.wirespeed.core.packet.MacAddress;
import dev.wirespeed.core.packet.PacketBatch;
import dev.wirespeed.core.packet.PacketPool;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.core.port.PortStats;
import dev.wirespeed.emulator.dma.DeviceThread;
import dev.wirespeed.emulator.dma.VfDmaEngine;
import dev.wirespeed.emulator.pf.EmulatedPf;
import dev.wirespeed.emulator.pf.PfConfig;
import dev.wirespeed.emulator.wire.WireEnd;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two VFs on two PFs joined by a pair wire, each driven by its own thread while the emulator's DMA
 * runs on a third: the concurrency the deterministic tests do not have. Frames carry sequence
 * numbers and patterned payloads; the receiver checks every byte and the order.
 */
class PairWireTest {
    /** 100 000 by default; a soak run sets more, e.g. {@code -Dixgbevf.pairFrames=5000000}. */
    private static final long FRAMES = Long.getLong("ixgbevf.pairFrames", 100_000);
    private static final int WINDOW = 200; // below the wire depth and the rx ring: never overloaded

    @Test
    void framesCrossThePairIntactWhileDeviceAndDriversRunOnTheirOwnThreads() throws Exception {
        try (EmulatedPf pfA = new EmulatedPf(new PfConfig());
             EmulatedPf pfB = new EmulatedPf(new PfConfig())) {
            PacketPool poolA = PacketPool.create("A", pfA.vf(0).dma(), 2048);
            PacketPool poolB = PacketPool.create("B", pfB.vf(0).dma(), 2048, PacketPool.DEFAULT_HEADROOM, 1024);
            PortConfig.Builder cfg = PortConfig.builder().rxRingSize(512).txRingSize(512);
            IxgbeVfPort a = IxgbeVfPort.open(pfA.vf(0), 0, cfg.rxPool(poolA).build(), EmulatorRig.OPTIONS);
            IxgbeVfPort b = IxgbeVfPort.open(pfB.vf(0), 1, cfg.rxPool(poolB).build(), EmulatorRig.OPTIONS);
            a.start();
            b.start();
            WireEnd[] wire = WireEnd.pair("t", 512);
            AtomicLong received = new AtomicLong();
            MacAddress macA = a.macAddress();
            MacAddress macB = b.macAddress();
            CompletableFuture<Void> rxDone = new CompletableFuture<>();
            CompletableFuture<Void> txDone = new CompletableFuture<>();
            try (DeviceThread device = new DeviceThread("emu", List.of(new VfDmaEngine(pfA, 0, wire[0]), new VfDmaEngine(pfB, 0, wire[1]))).start()) {
                Thread receiver = Thread.ofPlatform().name("rx-B").start(() -> {
                    try {
                        poolB.adopt();
                        PacketBatch in = new PacketBatch(32);
                        long expected = 0;
                        while (expected < FRAMES && !txDone.isCompletedExceptionally()) {
                            if (b.rx(0, in) == 0) {
                                Thread.onSpinWait();
                                continue;
                            }
                            for (int i = 0; i < in.size(); i++) {
                                byte[] f = Frames.bytes(poolB, in.get(i));
                                long seq = Frames.check(f, macB, macA);
                                if (seq != expected) {
                                    throw new AssertionError("expected frame " + expected + ", got " + seq);
                                }
                                expected++;
                            }
                            in.freeAll();
                            received.set(expected);
                        }
                        rxDone.complete(null);
                    } catch (Throwable t) {
                        rxDone.completeExceptionally(t);
                    }
                });
                Thread sender = Thread.ofPlatform().name("tx-A").start(() -> {
                    try {
                        poolA.adopt();
                        PacketBatch out = new PacketBatch(32);
                        SplittableRandom random = new SplittableRandom(99);
                        long sent = 0;
                        while (sent < FRAMES && !rxDone.isDone()) {
                            while (sent < FRAMES && out.size() < out.capacity() && sent - received.get() < WINDOW) {
                                int h = Frames.build(poolA, macB, macA, sent, random.nextInt(60, 1515));
                                if (h == PacketPool.NO_PACKET) {
                                    break;
                                }
                                out.add(h);
                                sent++;
                            }
                            a.tx(0, out);
                            Thread.onSpinWait();
                        }
                        while (!out.isEmpty() && !rxDone.isDone()) {
                            a.tx(0, out);
                        }
                        out.freeAll();
                        txDone.complete(null);
                    } catch (Throwable t) {
                        txDone.completeExceptionally(t);
                    }
                });
                long guard = 120 + FRAMES / 5_000; // a hang guard, not a speed requirement
                rxDone.get(guard, TimeUnit.SECONDS);
                txDone.get(guard, TimeUnit.SECONDS);
                sender.join();
                receiver.join();
            }
            assertThat(received.get()).isEqualTo(FRAMES);
            PortStats sa = a.stats(new PortStats());
            PortStats sb = b.stats(new PortStats());
            assertThat(sa.opackets).isEqualTo(FRAMES);
            assertThat(sb.ipackets).isEqualTo(FRAMES);
            assertThat(sb.obytes).isZero();
            poolA.adopt();
            poolB.adopt();
            a.close();
            b.close();
            assertThat(poolA.isFull()).isTrue();
            assertThat(poolB.isFull()).isTrue();
            poolA.close();
            poolB.close();
        }
    }
}
