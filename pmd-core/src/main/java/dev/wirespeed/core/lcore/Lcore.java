/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.lcore;

import dev.wirespeed.core.idle.InterruptIdleStrategy;
import dev.wirespeed.core.os.CpuAffinity;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.BitSet;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A logical core in the DPDK sense: one thread running one Agrona {@link Agent} in a poll loop, optionally
 * pinned to one CPU.
 *
 * <p>The pinning happens on the lcore's own thread, before the agent's {@code onStart}, so everything the
 * agent allocates and touches starts out on that CPU. {@link #start} returns only after that, and fails if
 * the thread could not be pinned or the agent's {@code onStart} threw.
 *
 * <p>The lcore owns its idle strategy: {@link #close()} closes it if it is {@link AutoCloseable}, and wakes
 * an {@link InterruptIdleStrategy} first so that stopping never waits for an epoll timeout.
 */
public final class Lcore implements AutoCloseable {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final String name;
    private final OptionalInt requestedCpu;
    private final IdleStrategy idleStrategy;
    private final StartingAgent agent;
    private final FirstErrorHandler errors;
    private final AgentRunner runner;
    private final Thread thread;
    private boolean closed;

    private Lcore(Builder b) {
        this.name = b.name;
        this.requestedCpu = b.cpu;
        this.idleStrategy = b.idleStrategy;
        this.errors = new FirstErrorHandler(name, b.errorOut);
        this.agent = new StartingAgent(name, b.cpu, b.agent);
        this.runner = new AgentRunner(idleStrategy, errors, null, agent);
        this.thread = AgentRunner.startOnThread(runner);
    }

    public static Builder builder(String name, Agent agent) {
        return new Builder(name, agent);
    }

    private void awaitStarted(Duration timeout) {
        boolean started;
        try {
            started = agent.started.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while waiting for lcore '" + name + "' to start", e);
        }
        if (!started) {
            close();
            throw new IllegalStateException("lcore '" + name + "' did not finish starting within " + timeout
                    + " (is the agent's onStart blocked?)");
        }
        if (agent.startFailure != null) {
            close();
            throw new IllegalStateException("lcore '" + name + "' failed to start: " + agent.startFailure.getMessage(),
                    agent.startFailure);
        }
    }

    public String name() {
        return name;
    }

    /** The CPU this lcore was asked to run on; empty if it floats. */
    public OptionalInt requestedCpu() {
        return requestedCpu;
    }

    /** The CPU the thread was running on right after pinning (for reports; unpinned threads may move). */
    public int cpuAtStart() {
        return agent.cpuAtStart;
    }

    /** The CPUs the thread was allowed to run on right after pinning, as the kernel reported them. */
    public BitSet affinityAtStart() {
        return (BitSet) agent.affinityAtStart.clone();
    }

    public Thread thread() {
        return thread;
    }

    public IdleStrategy idleStrategy() {
        return idleStrategy;
    }

    /**
     * CPU time (user + system) the lcore thread has consumed so far; after the thread ended, the total it
     * consumed up to its agent's {@code onClose}.
     */
    public long cpuTimeNanos() {
        long live = THREADS.getThreadCpuTime(thread.threadId());
        if (live >= 0) {
            return live;
        }
        long atClose = agent.cpuNanosAtClose;
        if (atClose >= 0) {
            return atClose;
        }
        throw new UnsupportedOperationException("this JVM does not measure thread CPU time"
                + " (ThreadMXBean.isThreadCpuTimeSupported/Enabled is false)");
    }

    /** Wall clock and thread CPU time now; compare two samples with {@link CpuSample#utilizationSince}. */
    public CpuSample cpuSample() {
        long cpu = cpuTimeNanos();
        return new CpuSample(System.nanoTime(), cpu);
    }

    /** The first exception the agent threw (in onStart, doWork or onClose), if any. */
    public Optional<Throwable> firstError() {
        return Optional.ofNullable(errors.first());
    }

    /** How many exceptions the agent threw; each was passed to the error handler and the loop went on. */
    public long errorCount() {
        return errors.count();
    }

    /** Stops the poll loop, waits for the thread to run the agent's onClose and end, then closes the idle strategy. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (idleStrategy instanceof InterruptIdleStrategy interrupt) {
            interrupt.stopSleeping();
        }
        runner.close();
        if (idleStrategy instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("lcore '" + name + "': closing idle strategy " + idleStrategy + " failed", e);
            }
        }
    }

    @Override
    public String toString() {
        return "Lcore[" + name + (requestedCpu.isPresent() ? ", cpu " + requestedCpu.getAsInt() : ", unpinned")
                + ", idle " + idleStrategy.alias() + "]";
    }

    /** Wraps the user's agent: pins and records where it runs before delegating, and signals start-up. */
    private static final class StartingAgent implements Agent {
        private final String name;
        private final OptionalInt cpu;
        private final Agent delegate;
        final CountDownLatch started = new CountDownLatch(1);
        volatile RuntimeException startFailure;
        volatile int cpuAtStart = -1;
        volatile BitSet affinityAtStart = new BitSet();
        volatile long cpuNanosAtClose = -1;
        private boolean delegateStarted;

        StartingAgent(String name, OptionalInt cpu, Agent delegate) {
            this.name = name;
            this.cpu = cpu;
            this.delegate = delegate;
        }

        @Override
        public void onStart() {
            try {
                if (cpu.isPresent()) {
                    pin(cpu.getAsInt());
                }
                affinityAtStart = CpuAffinity.currentThreadAffinity();
                cpuAtStart = CpuAffinity.currentCpu();
                delegateStarted = true;
                delegate.onStart();
            } catch (RuntimeException | Error e) {
                startFailure = e instanceof RuntimeException re ? re : new IllegalStateException(e);
                throw e;
            } finally {
                started.countDown();
            }
        }

        private void pin(int target) {
            BitSet allowed = CpuAffinity.currentThreadAffinity();
            try {
                CpuAffinity.pinCurrentThread(target);
            } catch (RuntimeException e) {
                throw new IllegalStateException("cannot pin lcore '" + name + "' to CPU " + target + "; this process may"
                        + " run on CPUs " + CpuList.format(allowed) + " - pick one of those", e);
            }
        }

        @Override
        public int doWork() throws Exception {
            return delegate.doWork();
        }

        @Override
        public void onClose() {
            try {
                if (delegateStarted) {
                    delegate.onClose();
                }
            } finally {
                cpuNanosAtClose = THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
            }
        }

        @Override
        public String roleName() {
            return name;
        }
    }

    /** Configures and starts an {@link Lcore}. */
    public static final class Builder {
        private final String name;
        private final Agent agent;
        private OptionalInt cpu = OptionalInt.empty();
        private IdleStrategy idleStrategy = new BusySpinIdleStrategy();
        private Duration startTimeout = Duration.ofSeconds(10);
        private PrintStream errorOut = System.err;

        private Builder(String name, Agent agent) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("an lcore needs a name (it names the thread and appears in errors)");
            }
            this.name = name;
            this.agent = Objects.requireNonNull(agent, "agent");
        }

        /** Pin the thread to {@code cpu} (0.. {@link CpuList#MAX_CPU}); by default it floats. */
        public Builder cpu(int cpu) {
            if (cpu < 0 || cpu > CpuList.MAX_CPU) {
                throw new IllegalArgumentException("lcore '" + name + "': CPU " + cpu + " is outside 0.." + CpuList.MAX_CPU);
            }
            this.cpu = OptionalInt.of(cpu);
            return this;
        }

        /** How the loop waits when the agent found no work; busy-spinning by default. The lcore takes ownership. */
        public Builder idleStrategy(IdleStrategy idleStrategy) {
            this.idleStrategy = Objects.requireNonNull(idleStrategy, "idleStrategy");
            return this;
        }

        /** How long {@link #start()} waits for pinning and the agent's onStart before giving up (default 10 s). */
        public Builder startTimeout(Duration startTimeout) {
            if (startTimeout.isNegative() || startTimeout.isZero()) {
                throw new IllegalArgumentException("start timeout must be positive: " + startTimeout);
            }
            this.startTimeout = startTimeout;
            return this;
        }

        /** Where the first error is printed (default {@code System.err}). */
        public Builder errorOutput(PrintStream errorOut) {
            this.errorOut = Objects.requireNonNull(errorOut, "errorOut");
            return this;
        }

        /** Starts the thread and returns once it is pinned and the agent's onStart completed. */
        public Lcore start() {
            Lcore lcore = new Lcore(this);
            lcore.awaitStarted(startTimeout);
            return lcore;
        }
    }
}
