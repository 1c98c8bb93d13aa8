/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.jmh;

import dev.wirespeed.core.idle.InterruptIdleStrategy;
import dev.wirespeed.core.os.SleepPathWarmUp;
import org.HdrHistogram.Histogram;
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
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Wake-up latency: from an event on one thread to its handler on another, for
 * <ul>
 *   <li>{@code eventfd-floor}: a raw eventfd write to the return of {@code epoll_wait} (kernel and scheduler only);</li>
 *   <li>{@code interrupt}: a packet sent on a {@code ring:} port to an lcore that sleeps with the
 *       {@link InterruptIdleStrategy} (default config, as l2fwd's {@code --idle interrupt}) until the packet is
 *       received and handled by the application's agent;</li>
 *   <li>{@code busy-spin}: the same lcore busy-spinning instead, for comparison;</li>
 *   <li>{@code emu-interrupt}, {@code emu-busy-spin}: a frame stamped with {@code System.nanoTime()} put on the
 *       wire of an idle emulated 82599 VF, to an lcore polling it through the real VF driver with the interrupt
 *       idle strategy (rx interrupts on) or busy-spinning; the emulator's device thread, which delivers the
 *       frame, is part of the path (see {@link EmulatedPortWakeUp});</li>
 *   <li>{@code emu-interrupt-napping}: as {@code emu-interrupt}, but each frame is sent only once the emulator's
 *       device thread has gone from spinning to napping (20 µs parks), so its wake-up from a nap is in every sample.</li>
 * </ul>
 * The consumer is asleep before every event in the two sleeping cases: the sender waits until the consumer
 * armed its interrupt (or announced its {@code epoll_wait}) and then {@link #settleMicros} more.
 *
 * <h2>How the numbers are reported</h2>
 * One operation is one event, paced as above, so the primary score (µs/op) is the pacing period, not the
 * latency. The latency comes from an HdrHistogram the consumer records into. Its percentiles reach JMH as
 * secondary metrics through {@link AuxCounters} ({@code p50Micros}, {@code p99Micros}, {@code p999Micros},
 * {@code maxMicros}, {@code samples}). JMH sums {@code EVENTS} counters over a fork's iterations, so every
 * measurement iteration but the last reports 0 and the last reports the percentiles over all measurement
 * iterations of the fork: a fork's sum is its whole-trial percentile. Read them per fork (the JSON's
 * {@code rawData}; {@code run-suite} does); JMH's console score for these lines may combine forks.
 * Warm-up iterations report their own percentiles, for information. At the end of each trial the forked JVM
 * also prints the percentiles and, if the system property {@code wirespeed.results.dir} is set, writes the
 * histogram's percentile distribution (µs) to {@code wakeup-<path>-<pid>.hgrm} there.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class WakeUpLatencyBenchmark {

    @Param({"eventfd-floor", "interrupt", "busy-spin", "emu-interrupt", "emu-interrupt-napping", "emu-busy-spin"})
    public String path;

    /** Pause after the consumer is known to be going to sleep, so it really sleeps in the kernel. */
    @Param({"20"})
    public long settleMicros;

    private WakeUpScenario scenario;
    private LatencyProbe probe;
    private long expected;
    private Percentiles percentiles;
    private int measuredIterations;
    private ThreadAllocation allocation;
    private long eventsAtStart;
    private final BooleanSupplier handled = this::handled;
    private final Histogram trial = new Histogram(LatencyProbe.HIGHEST_NANOS, 3);

    /** Percentiles of the latencies recorded during one iteration, in µs, as JMH secondary metrics. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Percentiles {
        public double p50Micros;
        public double p99Micros;
        public double p999Micros;
        public double maxMicros;
        public long samples;
        /** Heap bytes the sending / handling thread allocated per event (ThreadMXBean), unlike -prof gc's whole JVM. */
        public double senderBytesPerEvent;
        public double consumerBytesPerEvent;

        @Setup(Level.Iteration)
        public void clear() {
            p50Micros = p99Micros = p999Micros = maxMicros = 0;
            samples = 0;
            senderBytesPerEvent = consumerBytesPerEvent = 0;
        }

        void set(Histogram h) {
            p50Micros = h.getValueAtPercentile(50) / 1000.0;
            p99Micros = h.getValueAtPercentile(99) / 1000.0;
            p999Micros = h.getValueAtPercentile(99.9) / 1000.0;
            maxMicros = h.getMaxValue() / 1000.0;
            samples = h.getTotalCount();
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        long settle = TimeUnit.MICROSECONDS.toNanos(settleMicros);
        SleepPathWarmUp.ensure(); // as an application would in its warm-up: the sleep path's downcalls compiled
        scenario = switch (path) {
            case "eventfd-floor" -> new EventFdFloor(settle);
            case "interrupt" -> new RingPortWakeUp(true, settle);
            case "busy-spin" -> new RingPortWakeUp(false, settle);
            case "emu-interrupt" -> new EmulatedPortWakeUp(true, false, settle);
            case "emu-interrupt-napping" -> new EmulatedPortWakeUp(true, true, settle);
            case "emu-busy-spin" -> new EmulatedPortWakeUp(false, false, settle);
            default -> throw new IllegalArgumentException("path must be eventfd-floor, interrupt, busy-spin, emu-interrupt,"
                    + " emu-interrupt-napping or emu-busy-spin, got '" + path + "'");
        };
        probe = scenario.probe();
        expected = probe.handled();
    }

    @Setup(Level.Iteration)
    public void startIteration(IterationParams iteration) {
        probe.takeInterval(); // drop anything from between iterations
        if (iteration.getType() == IterationType.MEASUREMENT && allocation == null) {
            allocation = new ThreadAllocation(Thread.currentThread(), scenario.consumerThread());
            eventsAtStart = probe.handled();
        }
    }

    /** One event: wait until the consumer is idle, send, wait until it was handled. */
    @Benchmark
    public long wakeUp(Percentiles percentiles) {
        this.percentiles = percentiles; // for endIteration: JMH rejects an aux-counter state injected twice
        scenario.awaitConsumerIdle();
        expected++;
        scenario.send();
        Spin.until(handled, "the consumer to handle the event");
        return expected;
    }

    private boolean handled() {
        return probe.handled() >= expected;
    }

    @TearDown(Level.Iteration)
    public void endIteration(IterationParams iteration) {
        Histogram h = probe.takeInterval();
        if (percentiles == null) {
            return;
        }
        if (iteration.getType() == IterationType.MEASUREMENT) {
            trial.add(h);
            if (++measuredIterations == iteration.getCount()) {
                percentiles.set(trial); // earlier measurement iterations keep the 0s of clear()
                long events = Math.max(1, probe.handled() - eventsAtStart);
                percentiles.senderBytesPerEvent = (double) allocation.bytesSinceStart(0) / events;
                percentiles.consumerBytesPerEvent = (double) allocation.bytesSinceStart(1) / events;
            }
        } else {
            percentiles.set(h);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown(BenchmarkParams params) throws IOException {
        scenario.close();
        String extra = scenario.idleStrategy() instanceof InterruptIdleStrategy s ? ", idle " + s.counters() : "";
        System.out.printf("%nwake-up latency %s over all measurement iterations: n=%d p50=%.1f us p99=%.1f us"
                        + " p99.9=%.1f us max=%.1f us%s%n", path, trial.getTotalCount(),
                trial.getValueAtPercentile(50) / 1000.0, trial.getValueAtPercentile(99) / 1000.0,
                trial.getValueAtPercentile(99.9) / 1000.0, trial.getMaxValue() / 1000.0, extra);
        if (percentiles != null) {
            System.out.printf("allocated per event: sender thread %.2f B, consumer thread %.2f B%n",
                    percentiles.senderBytesPerEvent, percentiles.consumerBytesPerEvent);
        }
        String dir = System.getProperty("wirespeed.results.dir");
        if (dir != null && !dir.isBlank()) {
            Path file = Path.of(dir, "wakeup-" + path + "-" + ProcessHandle.current().pid() + ".hgrm");
            Files.createDirectories(file.getParent());
            try (PrintStream out = new PrintStream(Files.newOutputStream(file))) {
                trial.outputPercentileDistribution(out, 1000.0); // in µs
            }
        }
    }
}
