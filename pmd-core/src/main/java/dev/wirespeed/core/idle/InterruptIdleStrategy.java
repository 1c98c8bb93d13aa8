/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.idle;

import dev.wirespeed.core.os.Epoll;
import dev.wirespeed.core.os.EventFd;
import org.agrona.concurrent.IdleStrategy;

import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Objects;

/**
 * An Agrona {@link IdleStrategy} that spins while traffic is likely, then sleeps until an rx interrupt
 * (DPDK "interrupt mode", as in l3fwd-power).
 *
 * <p>On an empty poll it first busy-spins and optionally yields (see {@link InterruptIdleConfig}). Then
 * it sleeps:
 * <ol>
 *   <li>arm every {@link WakeSource} (unmask its queue interrupt);</li>
 *   <li>ask every source {@link WakeSource#hasWork()} once more. Work that arrived after the last empty
 *       poll but before the arm raised no interrupt, because the interrupt was masked; without this check
 *       it would wait for the epoll timeout. If any source has work: disarm all and return at once;</li>
 *   <li>{@code epoll_wait} on all eventfds (plus an internal one for {@link #wakeUp()}), at most the
 *       configured timeout;</li>
 *   <li>drain the eventfds that fired, disarm all, and start the spin phase afresh.</li>
 * </ol>
 * The check in step 2 is correct only because the arm (step 1) is ordered before the re-check by a full
 * fence, and the device publishes work before it looks at the arm state: of "device posts, then checks
 * armed" and "we arm, then check for work", at least one side sees the other (a Dekker pair).
 *
 * <p>Single-threaded: one poll thread calls {@link #idle} and {@link #reset}. Only {@link #wakeUp()},
 * {@link #stopSleeping()} and {@link #counters()} may be called from other threads. {@code idle} allocates
 * nothing once its system calls are compiled: call {@link dev.wirespeed.core.os.SleepPathWarmUp#ensure()}
 * in the application's warm-up, or it makes a little garbage per sleep for its first some 15,000. The strategy owns its epoll instance and internal eventfd ({@link #close()} releases them) but
 * not the wake sources.
 */
public final class InterruptIdleStrategy implements IdleStrategy, AutoCloseable {
    /** Epoll token of the internal wake-up eventfd; sources use their index as token. */
    private static final long WAKE_UP_TOKEN = -1;

    private final WakeSource[] sources;
    private final InterruptIdleConfig config;
    private final Epoll epoll;
    private final EventFd wakeUpFd;
    /** Package-private switch so a test can show that without the re-check wake-ups really get lost. */
    private final boolean recheckAfterArm;

    // Spin-phase state, owned by the poll thread.
    private long emptyPolls;
    private long firstEmptyPollNanos;
    private int yields;

    /** Set once by {@link #stopSleeping()}; from then on the strategy never blocks. */
    private volatile boolean sleepingStopped;
    private boolean closed;

    // Written by the poll thread only (so ++ is safe); volatile so monitoring threads see fresh values.
    // They change only on the sleep path, which costs a syscall anyway.
    private volatile long sleeps;
    private volatile long wakeUpsByEvent;
    private volatile long wakeUpsByTimeout;
    private volatile long wakeUpsByRequest;
    private volatile long nanosAsleep;
    private volatile long skippedSleeps;

    public InterruptIdleStrategy(List<? extends WakeSource> sources, InterruptIdleConfig config) {
        this(sources, config, true);
    }

    InterruptIdleStrategy(List<? extends WakeSource> sources, InterruptIdleConfig config, boolean recheckAfterArm) {
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("an interrupt idle strategy needs at least one wake source (an rx queue"
                    + " with an interrupt); with none it could only ever wake by timeout - use a BackoffIdleStrategy");
        }
        for (int i = 0; i < sources.size(); i++) {
            if (sources.get(i) == null) {
                throw new IllegalArgumentException("wake source " + i + " is null");
            }
            for (int j = 0; j < i; j++) {
                if (sources.get(j).pollFd() == sources.get(i).pollFd()) {
                    throw new IllegalArgumentException("wake sources " + j + " and " + i + " share eventfd "
                            + sources.get(i).pollFd() + "; epoll watches a descriptor once, so list the shared"
                            + " vector's queues behind one WakeSource");
                }
            }
        }
        this.sources = sources.toArray(new WakeSource[0]);
        this.config = Objects.requireNonNull(config, "config");
        this.recheckAfterArm = recheckAfterArm;
        EventFd wake = EventFd.create();
        Epoll ep = null;
        try {
            ep = new Epoll(this.sources.length + 1);
            ep.add(wake.fd(), WAKE_UP_TOKEN);
            for (int i = 0; i < this.sources.length; i++) {
                ep.add(this.sources[i].pollFd(), i);
            }
        } catch (RuntimeException e) {
            if (ep != null) {
                ep.close();
            }
            wake.close();
            throw e;
        }
        this.epoll = ep;
        this.wakeUpFd = wake;
    }

    /** Work found: start over with spinning. Otherwise advance the back-off, possibly sleeping. */
    @Override
    public void idle(int workCount) {
        if (workCount > 0) {
            reset();
        } else {
            idle();
        }
    }

    @Override
    public void idle() {
        if (emptyPolls++ == 0 && config.spinsForDuration()) {
            firstEmptyPollNanos = System.nanoTime();
        }
        if (stillSpinning()) {
            Thread.onSpinWait();
            return;
        }
        if (yields < config.yieldCount()) {
            yields++;
            Thread.yield();
            return;
        }
        sleepUntilWork();
        reset();
    }

    private boolean stillSpinning() {
        return config.spinsForDuration()
                ? System.nanoTime() - firstEmptyPollNanos < config.spinNanos()
                : emptyPolls <= config.spinCount();
    }

    private void sleepUntilWork() {
        if (sleepingStopped) {
            Thread.yield();
            return;
        }
        for (WakeSource source : sources) {
            source.arm();
        }
        // The arm is a store and hasWork() a load: without a full fence the CPU may do the load first
        // (store-load reordering), which reopens exactly the window the re-check closes. Only on the sleep path.
        VarHandle.fullFence();
        if (recheckAfterArm && anySourceHasWork()) {
            // An interrupt raised between arm and re-check stays latched in its eventfd; it is not drained here
            // (that would cost a read per source on every skip) and just ends the next sleep early, harmlessly.
            disarmAll();
            skippedSleeps++;
            return;
        }
        long start = System.nanoTime();
        int ready = epoll.await(config.epollTimeoutMillis());
        nanosAsleep += System.nanoTime() - start;
        sleeps++;
        boolean bySource = false;
        boolean byRequest = false;
        for (int i = 0; i < ready; i++) {
            long token = epoll.token(i);
            if (token == WAKE_UP_TOKEN) {
                wakeUpFd.drain();
                byRequest = true;
            } else {
                sources[(int) token].acknowledge();
                bySource = true;
            }
        }
        disarmAll();
        if (bySource) {
            wakeUpsByEvent++;
        } else if (byRequest) {
            wakeUpsByRequest++;
        } else {
            // 0 ready: the timeout expired (or a signal interrupted the wait, which LibC reports the same way).
            wakeUpsByTimeout++;
        }
    }

    private boolean anySourceHasWork() {
        for (WakeSource source : sources) {
            if (source.hasWork()) {
                return true;
            }
        }
        return false;
    }

    private void disarmAll() {
        for (WakeSource source : sources) {
            source.disarm();
        }
    }

    /** Forgets the empty polls so far: the next empty poll starts the spin phase again. */
    @Override
    public void reset() {
        emptyPolls = 0;
        yields = 0;
    }

    @Override
    public String alias() {
        return "interrupt";
    }

    /**
     * Ends the current sleep, or the next one if the poll thread is not asleep right now. Safe from any
     * thread. A one-shot: later sleeps block as usual.
     */
    public void wakeUp() {
        wakeUpFd.signal();
    }

    /**
     * Ends the current sleep and keeps the strategy from ever sleeping again (it yields instead). For
     * shutdown: the poll loop then notices its stop flag (e.g. {@code AgentRunner.close()}) at once instead
     * of after an epoll timeout, however the stop flag and the wake-up interleave. Safe from any thread.
     */
    public void stopSleeping() {
        sleepingStopped = true;
        wakeUpFd.signal();
    }

    /** A consistent-enough snapshot for monitoring: each field is exact, the set is not atomic. */
    public IdleCounters counters() {
        return new IdleCounters(sleeps, wakeUpsByEvent, wakeUpsByTimeout, wakeUpsByRequest, nanosAsleep, skippedSleeps);
    }

    public long sleeps() {
        return sleeps;
    }

    public long wakeUpsByEvent() {
        return wakeUpsByEvent;
    }

    public long wakeUpsByTimeout() {
        return wakeUpsByTimeout;
    }

    public long wakeUpsByRequest() {
        return wakeUpsByRequest;
    }

    public long nanosAsleep() {
        return nanosAsleep;
    }

    public long skippedSleeps() {
        return skippedSleeps;
    }

    public InterruptIdleConfig config() {
        return config;
    }

    /**
     * Releases the epoll instance and the wake-up eventfd (not the sources). Call only after the poll
     * thread stopped idling; the strategy is unusable afterwards.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            epoll.close();
            wakeUpFd.close();
        }
    }

    @Override
    public String toString() {
        return "InterruptIdleStrategy[" + sources.length + " sources, " + config + ", " + counters() + "]";
    }
}
