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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The ixgbe VF driver's rx + tx burst cost against the emulator: one emulated VF on a
 * {@code gen+sink} wire (the emulator's generator feeds rx, its sink verifies every transmitted frame);
 * the benchmark thread receives a burst, rewrites the MAC addresses (the PF's anti-spoofing wants the
 * VF's own source address) and transmits it. Two modes ({@code mode}):
 *
 * <ul>
 * <li>{@code threads}: the emulator runs on its own device thread, as in an application. Reported per
 *     second: {@code packets} (Mpps = packets / 1e6), {@code emptyPolls}, {@code txFull} (bursts the tx
 *     ring could not take whole) and {@code emulatorBusyNs} (ns per second the device thread spent in
 *     passes that moved frames: near 1e9 means the emulator was the limit). On a 2-CPU machine every
 *     descriptor and buffer crosses between the two cores' caches, which costs more than the work.</li>
 * <li>{@code split}: as {@code threads}, with the emulator's transmit on a second device thread
 *     ({@code txthread=}), so each direction of the port has a thread of its own; {@code emulatorTxBusyNs}
 *     is that thread's busy time. Needs a core per thread (three) to mean anything.</li>
 * <li>{@code stepped}: the benchmark thread runs one emulator pass, then the driver's burst, and times
 *     each part ({@code driverNs}, {@code emulatorNs} per second). The rx ring is full whenever the
 *     driver polls, so the emulator is never the limit, and {@code driverNs / packets} is the driver's own
 *     rx + tx cost per packet (MAC rewrite included; one {@code System.nanoTime()} per burst, ≈ 1 ns per
 *     packet, included too).</li>
 * </ul>
 * Run with {@code -prof gc}: 0 B/op.
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

    /**
     * The device thread of the running trial, for the counters (a counters set-up method taking the
     * benchmark as a parameter would get a second benchmark instance from JMH, with a device of its own).
     */
    private static volatile DeviceThread deviceThread, transmitThread;

    @Param({"stepped", "threads", "split"})
    public String mode;
    private boolean stepped;

    /**
     * {@code mac}: rewrite both MAC addresses of every received frame, as l2fwd does (the PF's
     * anti-spoofing wants the VF's own source address). {@code io}: send frames as received, as testpmd's
     * io mode (the port runs with {@code spoofchk=off} so the generator's source address may leave).
     * Only {@code mac} touches packet data on the driver's core.
     */
    @Param({"mac", "io"})
    public String fwd;
    private boolean rewrite;

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
        public long txFull;
        public long emulatorBusyNs;
        public long emulatorTxBusyNs;
        public long driverNs;
        public long emulatorNs;
        private DeviceThread thread, txThread;
        private long busyAtStart, txBusyAtStart;
        private int untilSample;

        @Setup(Level.Iteration)
        public void clear() {
            packets = 0;
            emptyPolls = 0;
            txFull = 0;
            emulatorBusyNs = 0;
            emulatorTxBusyNs = 0;
            driverNs = 0;
            emulatorNs = 0;
            thread = deviceThread;
            busyAtStart = thread == null ? 0 : thread.busyNanos();
            txThread = transmitThread != thread ? transmitThread : null; // only a thread of its own (split)
            txBusyAtStart = txThread == null ? 0 : txThread.busyNanos();
            untilSample = 0;
        }

        /**
         * The emulator's busy time since the iteration began, read every 1024 operations (the read misses
         * the cache: the device thread writes it every pass). JMH reads counters before an iteration's
         * tear-down, so the benchmark method keeps it current.
         */
        void sampleEmulator() {
            if (thread != null && --untilSample <= 0) {
                untilSample = 1024;
                emulatorBusyNs = thread.busyNanos() - busyAtStart;
                if (txThread != null) {
                    emulatorTxBusyNs = txThread.busyNanos() - txBusyAtStart;
                }
            }
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        stepped = switch (mode) {
            case "stepped" -> true;
            case "threads", "split" -> false;
            default -> throw new IllegalArgumentException("mode must be stepped, threads or split: " + mode);
        };
        rewrite = switch (fwd) {
            case "mac" -> true;
            case "io" -> false;
            default -> throw new IllegalArgumentException("fwd must be mac or io: " + fwd);
        };
        String wire = "emu:wire=gen+sink,size=64,mac=02:00:00:00:01:00" + (rewrite ? "" : ",spoofchk=off")
                + (mode.equals("split") ? ",txthread=vfbench-tx" : "");
        device = stepped ? EmulatedDevice.openStepped(wire) : EmulatedDevice.open(wire);
        deviceThread = device.deviceThread();
        transmitThread = device.transmitThread();
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
        if (!stepped) {
            int sent = burst(c);
            c.sampleEmulator();
            return sent;
        }
        long t0 = System.nanoTime();
        device.doWork();
        long t1 = System.nanoTime();
        int sent = burst(c);
        c.driverNs += System.nanoTime() - t1;
        c.emulatorNs += t1 - t0;
        return sent;
    }

    private int burst(Counters c) {
        PacketBatch b = batch;
        int before = b.size();
        int n = port.rx(0, b);
        if (n == 0) {
            c.emptyPolls++;
        }
        if (rewrite) {
            for (int i = before, end = b.size(); i < end; i++) {
                Ethernet.setAddresses(pool, b.get(i), PEER, mac);
            }
        }
        int sent = port.tx(0, b);
        c.packets += sent;
        if (b.size() > 0) {
            c.txFull++;
        }
        return sent;
    }
}
