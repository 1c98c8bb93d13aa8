/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.lcore;

import dev.wirespeed.core.idle.InterruptIdleConfig;
import dev.wirespeed.core.idle.InterruptIdleStrategy;
import dev.wirespeed.core.idle.SimulatedRxQueue;
import dev.wirespeed.core.os.CpuAffinity;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

class LcoreTest {
    private static final long HANG_GUARD_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** Records where it runs, from inside the lcore thread. */
    private static final class WhereAmIAgent implements Agent {
        final AtomicReference<BitSet> affinityInOnStart = new AtomicReference<>();
        final AtomicReference<BitSet> affinityInDoWork = new AtomicReference<>();
        final AtomicReference<String> threadName = new AtomicReference<>();
        final AtomicBoolean closed = new AtomicBoolean();

        @Override
        public void onStart() {
            affinityInOnStart.set(CpuAffinity.currentThreadAffinity());
            threadName.set(Thread.currentThread().getName());
        }

        @Override
        public int doWork() {
            if (affinityInDoWork.get() == null) {
                affinityInDoWork.set(CpuAffinity.currentThreadAffinity());
            }
            return 0;
        }

        @Override
        public void onClose() {
            closed.set(true);
        }

        @Override
        public String roleName() {
            return "where-am-i";
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void pinsTheThreadToTheRequestedCpu(int cpu) {
        assumeThat(CpuAffinity.currentThreadAffinity().get(cpu)).as("CPU " + cpu + " available").isTrue();
        WhereAmIAgent agent = new WhereAmIAgent();
        BitSet only = new BitSet();
        only.set(cpu);

        try (Lcore lcore = Lcore.builder("lcore-" + cpu, agent).cpu(cpu)
                .idleStrategy(new BackoffIdleStrategy()).start()) {
            // start() returns after onStart, so these are already recorded.
            assertThat(agent.affinityInOnStart.get()).isEqualTo(only);
            assertThat(lcore.affinityAtStart()).isEqualTo(only);
            assertThat(lcore.cpuAtStart()).isEqualTo(cpu);
            assertThat(lcore.requestedCpu()).hasValue(cpu);
            assertThat(agent.threadName.get()).isEqualTo("lcore-" + cpu);
            assertThat(lcore.thread().getName()).isEqualTo("lcore-" + cpu);
            awaitTrue(() -> agent.affinityInDoWork.get() != null);
            assertThat(agent.affinityInDoWork.get()).isEqualTo(only);
        }
        assertThat(agent.closed).isTrue();
        assertThat(CpuAffinity.currentThreadAffinity().cardinality()).as("test thread itself untouched")
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void anUnpinnedLcoreKeepsTheProcessAffinity() {
        WhereAmIAgent agent = new WhereAmIAgent();
        BitSet mine = CpuAffinity.currentThreadAffinity();
        try (Lcore lcore = Lcore.builder("floating", agent).start()) {
            assertThat(lcore.requestedCpu()).isEmpty();
            assertThat(agent.affinityInOnStart.get()).isEqualTo(mine);
            assertThat(mine.get(lcore.cpuAtStart())).isTrue();
        }
    }

    @Test
    void pinningToACpuThatIsNotAvailableFailsTheStartWithTheCpusToChooseFrom() {
        BitSet allowed = CpuAffinity.currentThreadAffinity();
        assumeThat(allowed.get(CpuList.MAX_CPU)).isFalse();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        WhereAmIAgent agent = new WhereAmIAgent();

        assertThatThrownBy(() -> Lcore.builder("unlucky", agent).cpu(CpuList.MAX_CPU)
                .errorOutput(new PrintStream(printed, true, StandardCharsets.UTF_8)).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("lcore 'unlucky' failed to start")
                .hasMessageContaining("cannot pin lcore 'unlucky' to CPU " + CpuList.MAX_CPU)
                .hasMessageContaining("run on CPUs " + CpuList.format(allowed));
        assertThat(agent.affinityInOnStart.get()).as("the agent never started").isNull();
        assertThat(agent.closed).as("so it is not closed either").isFalse();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("lcore 'unlucky': first error");
    }

    @Test
    void anAgentWhoseOnStartThrowsFailsTheStart() {
        Agent agent = new Agent() {
            @Override
            public void onStart() {
                throw new IllegalArgumentException("no port 0000:01:10.0");
            }

            @Override
            public int doWork() {
                return 0;
            }

            @Override
            public String roleName() {
                return "x";
            }
        };
        assertThatThrownBy(() -> Lcore.builder("broken", agent).errorOutput(nullStream()).start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no port 0000:01:10.0")
                .hasCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keepsAndPrintsOnlyTheFirstErrorButCountsThemAll() {
        AtomicInteger calls = new AtomicInteger();
        Agent agent = new Agent() {
            @Override
            public int doWork() {
                int n = calls.incrementAndGet();
                if (n <= 3) {
                    throw new IllegalStateException("failure number " + n);
                }
                return 0;
            }

            @Override
            public String roleName() {
                return "flaky";
            }
        };
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (Lcore lcore = Lcore.builder("flaky", agent).idleStrategy(new BackoffIdleStrategy())
                .errorOutput(new PrintStream(printed, true, StandardCharsets.UTF_8)).start()) {
            awaitTrue(() -> calls.get() > 3);
            assertThat(lcore.errorCount()).isEqualTo(3);
            assertThat(lcore.firstError()).get().extracting(Throwable::getMessage).isEqualTo("failure number 1");
        }
        String out = printed.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("failure number 1").doesNotContain("failure number 2");
    }

    @Test
    void anLcoreIdlingOnInterruptsUsesLittleCpuAndStopsWithoutWaitingForTheTimeout() throws Exception {
        try (SimulatedRxQueue queue = new SimulatedRxQueue(64)) {
            InterruptIdleStrategy idle = new InterruptIdleStrategy(List.of(queue), InterruptIdleConfig.defaults());
            Lcore lcore = Lcore.builder("rx-idle", new PollingAgent(queue)).idleStrategy(idle).start();
            try {
                awaitTrue(() -> idle.sleeps() > 3);
                CpuSample before = lcore.cpuSample();
                Thread.sleep(300);
                CpuSample after = lcore.cpuSample();
                double utilization = after.utilizationSince(before);
                System.out.printf("idle lcore: %.1f %% of a CPU over %d ms, %s%n", utilization * 100,
                        (after.wallNanos() - before.wallNanos()) / 1_000_000, idle.counters());
                assertThat(utilization).as("thread CPU time / wall time while idle").isLessThan(0.30);
                assertThat(idle.wakeUpsByTimeout()).as("it slept through the quiet period").isGreaterThan(0);

                // A packet still gets through promptly, by interrupt. The lcore arms only while it sleeps (100 ms,
                // then it disarms and spins a while): a post that lands just after a timeout raises nothing and is
                // simply polled, so post until one found the queue armed and raised the interrupt.
                long events = idle.wakeUpsByEvent();
                long posted = 0;
                while (queue.interruptsRaised() == 0) {
                    awaitTrue(queue::isArmed);
                    queue.post();
                    posted++;
                    long p = posted;
                    awaitTrue(() -> queue.consumed() >= p);
                }
                assertThat(queue.consumed()).as("every packet polled, none twice").isEqualTo(posted);
                // the interrupt ended that sleep, or (raised just as the sleep timed out) stays latched in the
                // eventfd and ends the next one: a wake-up by event either way
                awaitTrue(() -> idle.wakeUpsByEvent() > events);
            } finally {
                lcore.close();
            }
            assertThat(lcore.cpuTimeNanos()).as("final CPU time stays readable after the thread ended")
                    .isGreaterThan(0);
        }
    }

    @Test
    void closeDoesNotWaitForAnEpollTimeout() {
        try (SimulatedRxQueue queue = new SimulatedRxQueue(64)) {
            InterruptIdleStrategy idle = new InterruptIdleStrategy(List.of(queue),
                    InterruptIdleConfig.builder().spinCount(0).yieldCount(0).epollTimeoutMillis(600_000).build());
            Lcore lcore = Lcore.builder("sleeper", new PollingAgent(queue)).idleStrategy(idle).start();
            awaitTrue(() -> idle.sleeps() == 0 && queue.isArmed()); // inside its first, ten-minute sleep

            long start = System.nanoTime();
            lcore.close();
            long took = System.nanoTime() - start;

            assertThat(lcore.thread().isAlive()).isFalse();
            assertThat(took).as("close() ended the sleep instead of waiting 10 minutes").isLessThan(HANG_GUARD_NANOS);
            assertThat(idle.wakeUpsByRequest()).isEqualTo(1);
            assertThat(idle.wakeUpsByTimeout()).isZero();
            lcore.close(); // idempotent
        }
    }

    @Test
    void aBusyLcoreAccumulatesCpuTime() {
        Agent spinner = new Agent() {
            @Override
            public int doWork() {
                return 1;
            }

            @Override
            public String roleName() {
                return "spinner";
            }
        };
        try (Lcore lcore = Lcore.builder("busy", spinner).start()) {
            long first = lcore.cpuTimeNanos();
            assertThat(first).isGreaterThanOrEqualTo(0);
            awaitTrue(() -> lcore.cpuTimeNanos() > first + TimeUnit.MILLISECONDS.toNanos(20));
            assertThat(lcore.toString()).contains("busy", "unpinned");
        }
    }

    @Test
    void cpuSampleUtilization() {
        CpuSample a = new CpuSample(1_000, 0);
        CpuSample b = new CpuSample(11_000, 2_500);
        assertThat(b.utilizationSince(a)).isEqualTo(0.25);
        assertThatThrownBy(() -> a.utilizationSince(b)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not earlier");
    }

    @Test
    void builderRejectsBadSettings() {
        WhereAmIAgent agent = new WhereAmIAgent();
        assertThatThrownBy(() -> Lcore.builder(" ", agent)).hasMessageContaining("needs a name");
        assertThatThrownBy(() -> Lcore.builder("a", agent).cpu(-1)).hasMessageContaining("CPU -1 is outside 0..1023");
        assertThatThrownBy(() -> Lcore.builder("a", agent).cpu(1024)).hasMessageContaining("outside");
        assertThatThrownBy(() -> Lcore.builder("a", agent).startTimeout(Duration.ZERO)).hasMessageContaining("positive");
    }

    /** The smallest rx loop: poll the queue, report how much it found. */
    private record PollingAgent(SimulatedRxQueue queue) implements Agent {
        @Override
        public int doWork() {
            return queue.poll();
        }

        @Override
        public String roleName() {
            return "rx";
        }
    }

    private static PrintStream nullStream() {
        return new PrintStream(OutputStream.nullOutputStream());
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + HANG_GUARD_NANOS;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("hang guard").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }
}
