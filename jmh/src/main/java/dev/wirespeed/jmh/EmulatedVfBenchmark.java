/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.jmh;

import dev.wirespeed.core.packet.Ethernet;
import dev.wirespeed.core.packet.PacketBatch;
import dev.wirespeed.core.packet.PacketPool;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.emulator.dma.DeviceThread;
import dev.wirespeed.emulator.port.EmulatedDevice;
import dev.wirespeed.emulator.wire.TrafficSink;
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

import java.util.concurrent.TimeUnit;

/**
 * The ixgbe VF driver's rx + tx burst cost against the emulator: one emulated VF on a
 * {@code gen+sink} wire (the emulator's generator feeds rx, its sink verifies every transmitted frame),
 * the benchmark thread receives a burst, rewrites the MAC addresses (the PF's anti-spoofing wants the
 * VF's own source address) and transmits it, while the emulator runs on its own device thread.
 *
 * <p>Reported per second: {@code packets} (forwarded: Mpps = packets / 1e6, ns per packet on the driver
 * core = 1e9 / packets), {@code emptyPolls} (rx bursts that found nothing) and {@code emulatorBusyNs}
 * (nanoseconds per second the emulator's thread spent in passes that moved frames: 1e9 means the
 * emulator never waited for the driver, so it was the limit; well below 1e9 and few empty polls mean
 * the driver was). Run with {@code -prof gc}: 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class EmulatedVfBenchmark {
    private static final int BURST = 32;
    static final long PEER = 0x02_00_00_00_09_09L;

    private EmulatedDevice device;
    private PacketPool pool;
    private IxgbeVfPort port;
    private long mac;
    private final PacketBatch batch = new PacketBatch(BURST);

    /** Per-iteration counters JMH reports as rates. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        public long packets;
        public long emptyPolls;
        public long emulatorBusyNs;
        private DeviceThread thread;
        private long busyAtStart;

        @Setup(Level.Iteration)
        public void clear(EmulatedVfBenchmark b) {
            packets = 0;
            emptyPolls = 0;
            emulatorBusyNs = 0;
            thread = b.device.deviceThread();
            busyAtStart = thread.busyNanos();
        }

        @TearDown(Level.Iteration)
        public void emulatorShare() {
            emulatorBusyNs = thread.busyNanos() - busyAtStart;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        device = EmulatedDevice.open("emu:wire=gen+sink,size=64,mac=02:00:00:00:01:00");
        pool = PacketPool.create("bench", device.vf().dma(), 8192);
        port = IxgbeVfPort.open(device.vf(), 0, PortConfig.builder().rxPool(pool).rxRingSize(1024).txRingSize(1024).build(),
                IxgbeVfOptions.defaults());
        port.start();
        mac = port.macAddress().value();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            batch.freeAll();
            port.stop();
            port.close();
            TrafficSink sink = device.sink();
            if (sink.corrupted() + sink.duplicated() + sink.foreign() != 0) {
                throw new IllegalStateException("the sink saw damaged frames: " + sink);
            }
        } finally {
            device.close();
            pool.close(); // throws if a buffer leaked
        }
    }

    /**
     * One burst: receive into the batch, address the frames, send the batch. What the tx ring refuses
     * stays in the batch for the next call (rx then only tops it up), so nothing is dropped to flatter
     * the rate.
     */
    @Benchmark
    public int forward(Counters c) {
        PacketBatch b = batch;
        int before = b.size();
        int n = port.rx(0, b);
        if (n == 0) {
            c.emptyPolls++;
        }
        for (int i = before, end = b.size(); i < end; i++) {
            Ethernet.setAddresses(pool, b.get(i), PEER, mac);
        }
        int sent = port.tx(0, b);
        c.packets += sent;
        return sent;
    }
}
