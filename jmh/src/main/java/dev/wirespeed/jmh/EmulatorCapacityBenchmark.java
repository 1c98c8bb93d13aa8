/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.jmh;

import dev.wirespeed.core.packet.PacketPool;
import dev.wirespeed.core.port.PortConfig;
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
 * What the emulator sustains on one core: the benchmark thread steps an emulated VF's device work
 * (DMA engine and wire) itself, with 64-byte frames and 1024-descriptor rings, in one direction:
 * {@code rx} = generator → rx ring, {@code tx} = tx ring → verifying sink. Ring upkeep is done by
 * {@link Queue0Keeper} (a few stores per descriptor), not by the VF driver, so nearly all the time
 * measured is the model's. The {@code frames} counter per second is the emulator's capacity in that
 * direction (Mpps = frames / 1e6; ns per frame = 1e9 / frames). Run with {@code -prof gc}: 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class EmulatorCapacityBenchmark {
    private static final String MAC = "02:00:00:00:01:00";

    @Param({"rx", "tx"})
    public String direction;

    private EmulatedDevice device;
    private PacketPool pool;
    private IxgbeVfPort port;
    private Queue0Keeper keeper;
    private boolean rx;

    /** Frames the emulator moved, per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        public long frames;
        /** Nanoseconds spent in the emulator's device pass (ring upkeep excluded), per second. */
        public long emulatorNs;

        @Setup(Level.Iteration)
        public void clear() {
            frames = 0;
            emulatorNs = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        rx = switch (direction) {
            case "rx" -> true;
            case "tx" -> false;
            default -> throw new IllegalArgumentException("direction must be rx or tx: " + direction);
        };
        device = EmulatedDevice.openStepped("emu:wire=" + (rx ? "gen,size=64" : "sink") + ",mac=" + MAC);
        pool = PacketPool.create("capacity", device.vf().dma(), 4096);
        port = IxgbeVfPort.open(device.vf(), 0, PortConfig.builder().rxPool(pool).rxRingSize(1024).txRingSize(1024).build(),
                IxgbeVfOptions.defaults());
        port.start();
        long mac = port.macAddress().value();
        keeper = new Queue0Keeper(device.vf(), 0x02_00_00_00_09_09L, mac);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            if (!rx) {
                keeper.drainTx(device::doWork);
                TrafficSink sink = device.sink();
                if (sink.corrupted() + sink.duplicated() + sink.foreign() + sink.lost() != 0) {
                    throw new IllegalStateException("the sink saw damaged frames: " + sink);
                }
            }
            keeper.close();
            port.stop();
            port.close();
        } finally {
            device.close();
            pool.close(); // throws if a buffer leaked
        }
    }

    /**
     * One device pass, then the ring upkeep that lets the next pass find work. The descriptors re-posted
     * are the frames the pass moved (one descriptor per 64-byte frame).
     */
    @Benchmark
    public int step(Counters c) {
        long start = System.nanoTime();
        int work = device.doWork();
        c.emulatorNs += System.nanoTime() - start;
        c.frames += rx ? keeper.refillRx() : keeper.refillTx();
        return work;
    }
}
