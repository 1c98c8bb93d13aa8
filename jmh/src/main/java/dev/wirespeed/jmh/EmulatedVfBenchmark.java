/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.jmh;

import dev.wirespeed.core.packet.Ethernet;
import dev.wirespeed.core.packet.PacketBatch;
import dev.wirespeed.core.packet.PacketPool;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.emulator.dma.DeviceThread;
import dev.wirespeed.emulator.dma.VfDmaEngine;
import dev.wirespeed.emulator.pf.EmulatedPf;
import dev.wirespeed.emulator.pf.PfConfig;
import dev.wirespeed.emulator.wire.WireEnd;
import dev.wirespeed.ixgbevf.IxgbeVfOptions;
import dev.wirespeed.ixgbevf.IxgbeVfPort;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The ixgbe VF driver's rx + tx burst cost against the emulator: one port on a loopback wire, the
 * benchmark thread forwards every received burst back out (l2fwd on one port), the emulator's DMA
 * engine runs on its own thread. 512 frames circulate, so the rx ring is rarely empty.
 *
 * <p>Reported per second: {@code packets} (forwarded, so Mpps = packets / 1e6; ns per packet on the
 * driver core = 1e9 / packets) and {@code emptyPolls} (rx bursts that found nothing: when they are a
 * small share of bursts, the emulator was not the limit). Run with {@code -prof gc}: 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class EmulatedVfBenchmark {
    private static final int BURST = 32;
    private static final int IN_FLIGHT = 512; // half the rx ring: the refill lag never starves the device

    private EmulatedPf pf;
    private PacketPool pool;
    private IxgbeVfPort port;
    private DeviceThread device;
    private final PacketBatch batch = new PacketBatch(BURST);

    /** Per-iteration counters JMH reports as rates. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        public long packets;
        public long emptyPolls;

        @Setup(Level.Iteration)
        public void clear() {
            packets = 0;
            emptyPolls = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        pf = new EmulatedPf(new PfConfig());
        pool = PacketPool.create("bench", pf.vf(0).dma(), 8192);
        port = IxgbeVfPort.open(pf.vf(0), 0, PortConfig.builder().rxPool(pool).rxRingSize(1024).txRingSize(1024).build(),
                IxgbeVfOptions.defaults());
        device = new DeviceThread("emulator", List.of(new VfDmaEngine(pf, 0, WireEnd.loopback(2048)))).start();
        port.start();
        PacketBatch prime = new PacketBatch(BURST);
        for (int sent = 0; sent < IN_FLIGHT; ) {
            while (prime.size() < BURST) {
                int h = pool.alloc();
                pool.setLength(h, 60);
                Frames64.write(pool, h, port.macAddress().value());
                prime.add(h);
            }
            sent += port.tx(0, prime);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        batch.freeAll();
        device.close();
        port.close();
        pf.close();
        pool.close(); // throws if a buffer leaked
    }

    /**
     * One burst: receive into the batch, send the batch. What the tx ring refuses stays in the batch for
     * the next call (rx then only tops it up), so the number of frames in flight stays constant; freeing
     * them instead would let the population drain away and measure latency, not throughput.
     */
    @Benchmark
    public int forward(Counters c) {
        PacketBatch b = batch;
        int n = port.rx(0, b);
        if (n == 0) {
            c.emptyPolls++;
        }
        int sent = port.tx(0, b);
        c.packets += sent;
        return sent;
    }

    /**
     * A minimal 60-byte frame from the port to itself: the PF's anti-spoofing wants our own source MAC,
     * and the unicast filter our own destination.
     */
    static final class Frames64 {
        private static final ValueLayout.OfShort SHORT_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

        private Frames64() {
        }

        static void write(PacketPool pool, int h, long mac) {
            Ethernet.setAddresses(pool, h, mac, mac);
            pool.memory().set(SHORT_BE, pool.dataOffset(h) + 12, (short) 0x88B5); // local experimental EtherType
        }
    }
}
