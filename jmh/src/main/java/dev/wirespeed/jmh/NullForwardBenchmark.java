/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.jmh;

import dev.wirespeed.core.dma.AnonymousDmaDomain;
import dev.wirespeed.core.packet.Ethernet;
import dev.wirespeed.core.packet.PacketBatch;
import dev.wirespeed.core.packet.PacketPool;
import dev.wirespeed.core.port.Port;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.core.port.Ports;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;

/**
 * Two null ports forwarded into each other by one thread in bursts of 32, as DPDK's testpmd does with
 * two {@code net_null} vdevs: {@code io} (no data touched), {@code mac} and {@code macswap}. One
 * operation is one packet forwarded, so the score is ns per packet; the rate in Mpps is 1000 / score.
 * Run with {@code -prof gc}: allocation per operation must be 0.
 *
 * <h2>The same work as testpmd</h2>
 * {@code mac} does what testpmd's mac engine does per packet (app/test-pmd/macfwd.c): both MAC addresses
 * written, and the offload flags, the L2 and L3 header lengths and the VLAN TCI set in the metadata.
 * {@code macswap} does what testpmd's macswap engine does (macswap.h, macswap_common.h): the addresses
 * swapped, flags and header lengths set. testpmd also prefetches the next packet's data and writes an
 * outer VLAN TCI (wirespeed's metadata has none); {@code jmh/dpdk-anchor} has variants without them.
 *
 * <h2>Per CPU-second</h2>
 * On a shared machine the wall-clock score says how much CPU the thread got as much as how fast it is.
 * The secondary metrics {@code cpuMpps} (packets per second of the benchmark thread's CPU time, from
 * {@link ThreadMXBean#getCurrentThreadCpuTime()}, the clock DPDK's side is measured with too),
 * {@code wallMpps} and {@code cpuShare} (CPU time / wall time) cover a fork's measurement iterations;
 * JMH sums {@code EVENTS} counters over iterations, so only the last measurement iteration reports them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class NullForwardBenchmark {
    private static final int BURST = 32;

    @Param({"io", "mac", "macswap"})
    public String mode;

    /** {@code copy=1} makes the null ports write and read frame data, like net_null's copy option. */
    @Param({"0"})
    public int copy;

    private AnonymousDmaDomain dma;
    private PacketPool pool;
    private Port port0;
    private Port port1;
    private final PacketBatch batch = new PacketBatch(BURST);
    private long mac0;
    private long mac1;
    private int modeId;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private long packets;
    private long packetsAtStart;
    private long cpuAtStart;
    private long wallAtStart;
    private int measuredIterations;
    private CpuRate rate;

    /** The forwarding thread's rates over a fork's measurement iterations (see the class comment). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class CpuRate {
        public double cpuMpps;
        public double wallMpps;
        public double cpuShare;

        @Setup(Level.Iteration)
        public void clear() {
            cpuMpps = wallMpps = cpuShare = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        dma = new AnonymousDmaDomain("bench");
        pool = PacketPool.create("bench", dma, 4096);
        PortConfig cfg = PortConfig.builder().rxPool(pool).build();
        port0 = Ports.open("null:size=64,copy=" + copy, cfg.toBuilder().portId(0).build());
        port1 = Ports.open("null:size=64,copy=" + copy, cfg.toBuilder().portId(1).build());
        port0.start();
        port1.start();
        mac0 = port0.macAddress().value();
        mac1 = port1.macAddress().value();
        modeId = switch (mode) {
            case "io" -> 0;
            case "mac" -> 1;
            case "macswap" -> 2;
            default -> throw new IllegalArgumentException("mode must be io, mac or macswap: " + mode);
        };
    }

    /** Runs on the benchmark thread, so its CPU clock is the forwarding thread's. */
    @Setup(Level.Iteration)
    public void startIteration(IterationParams iteration) {
        if (iteration.getType() == IterationType.MEASUREMENT && measuredIterations == 0) {
            packetsAtStart = packets;
            wallAtStart = System.nanoTime();
            cpuAtStart = threads.getCurrentThreadCpuTime();
        }
    }

    @TearDown(Level.Iteration)
    public void endIteration(IterationParams iteration) {
        if (iteration.getType() != IterationType.MEASUREMENT || ++measuredIterations != iteration.getCount()) {
            return;
        }
        long cpu = threads.getCurrentThreadCpuTime() - cpuAtStart;
        long wall = System.nanoTime() - wallAtStart;
        long n = packets - packetsAtStart;
        rate.cpuMpps = n * 1e3 / cpu;
        rate.wallMpps = n * 1e3 / wall;
        rate.cpuShare = (double) cpu / wall;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        port0.close();
        port1.close();
        pool.close(); // throws if any buffer leaked
        dma.close();
    }

    /** Port 0 → port 1 and port 1 → port 0, one burst each: 64 packets. */
    @Benchmark
    @OperationsPerInvocation(2 * BURST)
    public int forward(CpuRate rate) {
        this.rate = rate; // for endIteration: JMH rejects an aux-counter state injected twice
        int n = forward(port0, port1, mac1) + forward(port1, port0, mac0);
        packets += n;
        return n;
    }

    private int forward(Port rx, Port tx, long txMac) {
        PacketBatch b = batch;
        int n = rx.rx(0, b);
        if (modeId != 0) {
            rewrite(b, txMac);
        }
        tx.tx(0, b);
        if (!b.isEmpty()) {
            b.freeAll();
        }
        return n;
    }

    private void rewrite(PacketBatch b, long txMac) {
        PacketPool p = pool;
        int[] handles = b.handles();
        for (int i = 0, n = b.size(); i < n; i++) {
            int h = handles[i];
            if (modeId == 1) {
                Ethernet.setAddresses(p, h, 0x0200_0000_0000L | 1, txMac);
                p.setVlanTci(h, 0);
            } else {
                Ethernet.swapAddresses(p, h);
            }
            // testpmd's per-packet metadata writes (no tx offloads configured: flags 0), see the class comment
            p.setFlags(h, 0);
            p.setHeaderLengths(h, Ethernet.HEADER_LENGTH, 20);
        }
    }
}
