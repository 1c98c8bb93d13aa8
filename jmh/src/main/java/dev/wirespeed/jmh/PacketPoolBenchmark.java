/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.jmh;

import dev.wirespeed.core.dma.AnonymousDmaDomain;
import dev.wirespeed.core.packet.PacketPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/** Bulk allocation and free of a burst of 32 buffers from the owner thread; one operation = one buffer. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class PacketPoolBenchmark {
    private AnonymousDmaDomain dma;
    private PacketPool pool;
    private final int[] handles = new int[32];

    @Setup(Level.Trial)
    public void setUp() {
        dma = new AnonymousDmaDomain("bench");
        pool = PacketPool.create("bench", dma, 4096);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
        dma.close();
    }

    @Benchmark
    @OperationsPerInvocation(32)
    public int allocFreeBurst() {
        int n = pool.allocBulk(handles, 0, 32);
        PacketPool.freeAll(handles, 0, n);
        return n;
    }
}
