/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.uio;

import dev.wirespeed.core.idle.IdleCounters;
import dev.wirespeed.core.idle.InterruptIdleConfig;
import dev.wirespeed.core.idle.InterruptIdleStrategy;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Lets a poll thread fall asleep in an {@link InterruptIdleStrategy} over one {@link E1000eCauseWakeSource}
 * and has the device end that sleep: the thread idles once (no spinning, no yielding, straight to
 * {@code epoll_wait} with a long timeout); once it has armed the interrupt, this thread waits a little
 * more, so the poll thread is asleep rather than still re-checking, and posts work. The caller judges
 * the {@link Outcome}: a wake by the device shows up as one wake-up by event and none by timeout.
 */
final class IdleWakeCheck {
    /**
     * @param counters         the strategy's counters after its one sleep
     * @param workSeen         whether the poll thread found the posted work after waking
     * @param wakeLatencyNanos from the post to the poll thread being back from {@code idle}
     */
    record Outcome(IdleCounters counters, boolean workSeen, long wakeLatencyNanos) {
    }

    private final E1000eCauseWakeSource source;
    private final int epollTimeoutMillis;
    private final long postDelayMillis;

    IdleWakeCheck(E1000eCauseWakeSource source, int epollTimeoutMillis, long postDelayMillis) {
        this.source = source;
        this.epollTimeoutMillis = epollTimeoutMillis;
        this.postDelayMillis = postDelayMillis;
    }

    Outcome run() throws InterruptedException {
        InterruptIdleConfig config = InterruptIdleConfig.builder()
                .spinCount(0).yieldCount(0).epollTimeoutMillis(epollTimeoutMillis).build();
        try (InterruptIdleStrategy strategy = new InterruptIdleStrategy(List.of(source), config)) {
            Poller poller = new Poller(strategy, source);
            Thread thread = Thread.ofPlatform().name("idle-wake-poller").start(poller);

            long armDeadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(epollTimeoutMillis);
            while (source.arms() == 0 && thread.isAlive() && System.nanoTime() < armDeadline) {
                Thread.sleep(1);
            }
            if (source.arms() == 0) {
                strategy.stopSleeping();
                thread.join();
                poller.rethrowFailure();
                throw new AssertionError("the poll thread never armed the interrupt within " + epollTimeoutMillis + " ms");
            }
            Thread.sleep(postDelayMillis);
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

        Poller(InterruptIdleStrategy strategy, E1000eCauseWakeSource source) {
            this.strategy = strategy;
            this.source = source;
        }

        @Override
        public void run() {
            try {
                strategy.idle(0);
                wokeAt = System.nanoTime();
                workSeen = source.takeWork();
            } catch (Throwable t) {
                failure = t;
            }
        }

        void rethrowFailure() {
            if (failure != null) {
                throw new AssertionError("the poll thread failed: " + failure, failure);
            }
        }
    }
}
