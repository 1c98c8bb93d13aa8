/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.uio;

import dev.wirespeed.core.idle.IdleCounters;
import dev.wirespeed.core.idle.InterruptIdleConfig;
import dev.wirespeed.core.idle.InterruptIdleStrategy;
import dev.wirespeed.core.os.LibC;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Lets a poll thread fall asleep in an {@link InterruptIdleStrategy} over one {@link E1000eCauseWakeSource}
 * and has the device end that sleep: the thread idles once (no spinning, no yielding, straight to
 * {@code epoll_wait} with a long timeout); once the kernel shows it blocked in {@code epoll_wait}
 * ({@link EpollSleepProbe}), so it is past its arm and re-check, this thread posts work. The caller judges
 * the {@link Outcome}: a wake by the device shows up as one wake-up by event and none by timeout.
 *
 * <p>Waiting for that state rather than a fixed time matters under a loaded TCG guest: a poll thread
 * descheduled between its arm and its re-check for longer than the delay would find the work in the
 * re-check and skip the sleep, and the check would fail without anything being wrong.
 */
public final class IdleWakeCheck {
    /**
     * @param counters         the strategy's counters after its one sleep
     * @param workSeen         whether the poll thread found the posted work after waking
     * @param wakeLatencyNanos from the post to the poll thread being back from {@code idle}
     */
    public record Outcome(IdleCounters counters, boolean workSeen, long wakeLatencyNanos) {
    }

    private final E1000eCauseWakeSource source;
    private final int epollTimeoutMillis;

    /**
     * @param epollTimeoutMillis the poll thread's epoll timeout; also how long this waits for it to fall
     *                           asleep. Generous: a wake by the device ends the sleep long before it.
     */
    public IdleWakeCheck(E1000eCauseWakeSource source, int epollTimeoutMillis) {
        this.source = source;
        this.epollTimeoutMillis = epollTimeoutMillis;
    }

    public Outcome run() throws InterruptedException {
        InterruptIdleConfig config = InterruptIdleConfig.builder()
                .spinCount(0).yieldCount(0).epollTimeoutMillis(epollTimeoutMillis).build();
        try (InterruptIdleStrategy strategy = new InterruptIdleStrategy(List.of(source), config)) {
            Poller poller = new Poller(strategy, source);
            Thread thread = Thread.ofPlatform().name("idle-wake-poller").start(poller);

            int tid = poller.awaitTid(epollTimeoutMillis);
            if (tid == 0 || !EpollSleepProbe.awaitAsleepInEpoll(tid, thread, epollTimeoutMillis)) {
                strategy.stopSleeping();
                thread.join();
                poller.rethrowFailure();
                throw new AssertionError("the poll thread was not seen asleep in epoll_wait within " + epollTimeoutMillis
                        + " ms (arms: " + source.arms() + ", " + strategy + ")");
            }
            long postedAt = System.nanoTime();
            source.post();

            // A wake by timeout still returns after epollTimeoutMillis; twice that means the thread is stuck.
            thread.join(2L * epollTimeoutMillis);
            if (thread.isAlive()) {
                strategy.stopSleeping();
                thread.join();
                throw new AssertionError("the poll thread was still in idle() " + 2 * epollTimeoutMillis
                        + " ms after the device posted work: " + strategy);
            }
            poller.rethrowFailure();
            return new Outcome(strategy.counters(), poller.workSeen, poller.wokeAt - postedAt);
        }
    }

    /** The poll thread: one empty poll, then looks for the work that should have woken it. */
    private static final class Poller implements Runnable {
        private final InterruptIdleStrategy strategy;
        private final E1000eCauseWakeSource source;
        // Written before the thread ends, read after join(), which orders them.
        private boolean workSeen;
        private long wokeAt;
        private Throwable failure;
        /** The poll thread's Linux thread id, 0 until it has started; guarded by this. */
        private int tid;

        Poller(InterruptIdleStrategy strategy, E1000eCauseWakeSource source) {
            this.strategy = strategy;
            this.source = source;
        }

        @Override
        public void run() {
            synchronized (this) {
                tid = LibC.gettid();
                notifyAll();
            }
            try {
                strategy.idle(0);
                wokeAt = System.nanoTime();
                workSeen = source.takeWork();
            } catch (Throwable t) {
                failure = t;
            }
        }

        /** The poll thread's Linux thread id once it has started, 0 if it has not within the timeout. */
        synchronized int awaitTid(long timeoutMillis) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            for (long left = timeoutMillis; tid == 0 && left > 0;
                    left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) {
                wait(left);
            }
            return tid;
        }

        void rethrowFailure() {
            if (failure != null) {
                throw new AssertionError("the poll thread failed: " + failure, failure);
            }
        }
    }
}
