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

import java.util.concurrent.TimeUnit;

/**
 * Two null ports forwarded into each other by one thread in bursts of 32, as DPDK's testpmd does with
 * two {@code net_null} vdevs: {@code io} (no data touched), {@code mac} (both MACs rewritten) and
 * {@code macswap}. One operation is one packet forwarded, so the score is ns per packet; the rate in
 * Mpps is 1000 / score. Run with {@code -prof gc}: allocation per operation must be 0.
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
    public int forward() {
        return forward(port0, port1, mac1) + forward(port1, port0, mac0);
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
            } else {
                Ethernet.swapAddresses(p, h);
            }
        }
    }
}
