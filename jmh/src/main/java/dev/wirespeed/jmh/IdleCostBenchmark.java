/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.jmh;

import dev.wirespeed.core.dma.AnonymousDmaDomain;
import dev.wirespeed.core.idle.InterruptIdleConfig;
import dev.wirespeed.core.idle.InterruptIdleStrategy;
import dev.wirespeed.core.lcore.CpuSample;
import dev.wirespeed.core.lcore.Lcore;
import dev.wirespeed.core.os.SleepPathWarmUp;
import dev.wirespeed.core.packet.PacketBatch;
import dev.wirespeed.core.packet.PacketPool;
import dev.wirespeed.core.port.Port;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.core.port.Ports;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
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
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Idle cost: CPU time per second of wall time that an lcore polling an idle port burns, with the
 * interrupt idle strategy (default config, as l2fwd's {@code --idle interrupt}), Agrona's backoff (l2fwd's
 * {@code --idle backoff}: 10 spins, 5 yields, park 1 µs doubling to 1 ms) and busy-spin. The port is one end
 * of a {@code ring:} pair with rx interrupts on; nothing is ever sent.
 *
 * <h2>How the numbers are reported</h2>
 * The benchmark thread only sleeps in 10 ms steps while the lcore idles, so the primary score is meaningless.
 * The results are secondary metrics through {@link AuxCounters}: {@code cpuPercent}, the lcore thread's CPU
 * time (ThreadMXBean, via {@link Lcore#cpuSample()}) over the measurement iterations as a percentage of one
 * core, {@code pollsPerSec} (empty polls a second) and {@code sleepsPerSec} (epoll sleeps a second,
 * interrupt strategy only). As in {@link WakeUpLatencyBenchmark}, JMH sums {@code EVENTS} counters over
 * iterations, so only the last measurement iteration reports, with the whole fork's figures.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class IdleCostBenchmark {

    @Param({"interrupt", "backoff", "busy-spin"})
    public String idle;

    private AnonymousDmaDomain dma;
    private PacketPool pool;
    private Port sender;
    private Port receiver;
    private PollCounter agent;
    private Lcore lcore;
    private IdleCost cost;
    private CpuSample trialStart;
    private long pollsAtStart;
    private long sleepsAtStart;
    private int measuredIterations;

    /** Idle cost over the measurement iterations of a fork, reported by the last one only (see class comment). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class IdleCost {
        public double cpuPercent;
        public double pollsPerSec;
        public double sleepsPerSec;

        @Setup(Level.Iteration)
        public void clear() {
            cpuPercent = pollsPerSec = sleepsPerSec = 0;
        }
    }

    /** Polls the port and counts the polls; receives nothing, since nothing is sent. */
    static final class PollCounter implements Agent {
        private final Port port;
        private final PacketBatch batch = new PacketBatch(32);
        private volatile long polls;

        PollCounter(Port port) {
            this.port = port;
        }

        @Override
        public int doWork() {
            polls = polls + 1; // one writer
            int n = port.rx(0, batch);
            if (n > 0) {
                batch.freeAll();
            }
            return n;
        }

        @Override
        public String roleName() {
            return "idle-cost";
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        SleepPathWarmUp.ensure(); // as an application would in its warm-up
        dma = new AnonymousDmaDomain("idle-cost");
        pool = PacketPool.create("idle-cost", dma, 64);
        String link = "ring:idle-cost-" + System.nanoTime();
        PortConfig cfg = PortConfig.builder().rxPool(pool).rxInterrupts(true).build();
        sender = Ports.open(link, cfg.toBuilder().portId(0).build());
        receiver = Ports.open(link, cfg.toBuilder().portId(1).build());
        sender.start();
        receiver.start();
        IdleStrategy strategy = switch (idle) {
            case "interrupt" -> new InterruptIdleStrategy(List.of(receiver.rxWakeSource(0)), InterruptIdleConfig.defaults());
            case "backoff" -> new BackoffIdleStrategy(10, 5, 1_000, 1_000_000);
            case "busy-spin" -> new BusySpinIdleStrategy();
            default -> throw new IllegalArgumentException("idle must be interrupt, backoff or busy-spin, got '" + idle + "'");
        };
        agent = new PollCounter(receiver);
        lcore = Lcore.builder("idle-cost-" + idle, agent).idleStrategy(strategy).start();
    }

    /** Keeps the benchmark thread asleep (not on a CPU) while the lcore idles. */
    @Benchmark
    public void idle(IdleCost cost) throws InterruptedException {
        this.cost = cost; // for endIteration: JMH rejects an aux-counter state injected twice
        Thread.sleep(10);
    }

    @Setup(Level.Iteration)
    public void startIteration(IterationParams iteration) {
        if (iteration.getType() == IterationType.MEASUREMENT && trialStart == null) {
            trialStart = lcore.cpuSample();
            pollsAtStart = agent.polls;
            sleepsAtStart = sleeps();
        }
    }

    @TearDown(Level.Iteration)
    public void endIteration(IterationParams iteration) {
        if (iteration.getType() != IterationType.MEASUREMENT || ++measuredIterations != iteration.getCount()) {
            return;
        }
        CpuSample now = lcore.cpuSample();
        double seconds = (now.wallNanos() - trialStart.wallNanos()) / 1e9;
        cost.cpuPercent = 100 * now.utilizationSince(trialStart);
        cost.pollsPerSec = (agent.polls - pollsAtStart) / seconds;
        cost.sleepsPerSec = (sleeps() - sleepsAtStart) / seconds;
        System.out.printf("%nidle cost %s: %.3f %% of a core, %.0f polls/s, %.1f sleeps/s%n", idle, cost.cpuPercent,
                cost.pollsPerSec, cost.sleepsPerSec);
    }

    private long sleeps() {
        return lcore.idleStrategy() instanceof InterruptIdleStrategy s ? s.sleeps() : 0;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        lcore.close();
        sender.close();
        receiver.close();
        pool.close();
        dma.close();
    }
}
