/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.idle;

import dev.wirespeed.core.os.EventFd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InterruptIdleStrategyTest {
    /** Long enough that a test which wrongly waits for it fails the hang guard instead of passing slowly. */
    private static final int FOREVER_MILLIS = 60_000;
    private static final long HANG_GUARD_MILLIS = 10_000;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

    private SimulatedRxQueue queue() {
        SimulatedRxQueue q = new SimulatedRxQueue(64);
        toClose.add(q);
        return q;
    }

    private InterruptIdleStrategy strategy(List<SimulatedRxQueue> sources, InterruptIdleConfig config) {
        InterruptIdleStrategy s = new InterruptIdleStrategy(sources, config);
        toClose.add(s);
        return s;
    }

    private static InterruptIdleConfig countConfig(long spins, int yields, int timeoutMillis) {
        return InterruptIdleConfig.builder().spinCount(spins).yieldCount(yields).epollTimeoutMillis(timeoutMillis).build();
    }

    @Test
    void spinsThenYieldsThenSleepsUntilTheTimeoutWhenNothingArrives() {
        SimulatedRxQueue q = queue();
        InterruptIdleStrategy s = strategy(List.of(q), countConfig(3, 2, 20));

        for (int i = 0; i < 5; i++) {
            s.idle(0);
        }
        assertThat(q.arms()).as("3 spins + 2 yields never arm").isZero();
        assertThat(s.sleeps()).isZero();

        s.idle(0);
        assertThat(q.arms()).isEqualTo(1);
        assertThat(q.isArmed()).as("disarmed again after the sleep").isFalse();
        IdleCounters c = s.counters();
        assertThat(c.sleeps()).isEqualTo(1);
        assertThat(c.wakeUpsByTimeout()).isEqualTo(1);
        assertThat(c.wakeUpsByEvent()).isZero();
        assertThat(c.wakeUpsByRequest()).isZero();
        assertThat(c.skippedSleeps()).isZero();
        // epoll_wait never returns before its timeout; half of it leaves room for clock granularity.
        assertThat(c.nanosAsleep()).isGreaterThanOrEqualTo(Duration.ofMillis(10).toNanos());

        // After a sleep the back-off starts over: 5 more quiet polls before the next sleep.
        for (int i = 0; i < 5; i++) {
            s.idle();
        }
        assertThat(s.sleeps()).isEqualTo(1);
        s.idle();
        assertThat(s.sleeps()).isEqualTo(2);
        assertThat(s.wakeUpsByTimeout()).isEqualTo(2);
    }

    @Test
    void workResetsTheBackOff() {
        SimulatedRxQueue q = queue();
        InterruptIdleStrategy s = strategy(List.of(q), countConfig(3, 0, 20));

        s.idle(0);
        s.idle(0);
        s.idle(0);
        s.idle(1);
        s.idle(0);
        s.idle(0);
        s.idle(0);
        assertThat(q.arms()).isZero();
        s.reset();
        s.idle(0);
        s.idle(0);
        s.idle(0);
        assertThat(q.arms()).isZero();
        s.idle(0);
        assertThat(q.arms()).isEqualTo(1);
        assertThat(s.sleeps()).isEqualTo(1);
    }

    @Test
    void durationModeSpinsAtLeastTheConfiguredTimeBeforeSleeping() {
        SimulatedRxQueue q = queue();
        InterruptIdleConfig config = InterruptIdleConfig.builder()
                .spinDuration(Duration.ofMillis(30)).yieldCount(0).epollTimeoutMillis(1).build();
        InterruptIdleStrategy s = strategy(List.of(q), config);

        long start = System.nanoTime();
        long polls = 0;
        while (s.sleeps() == 0) {
            s.idle(0);
            polls++;
            assertThat(System.nanoTime() - start).as("hang guard").isLessThan(HANG_GUARD_MILLIS * 1_000_000);
        }
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(30).toNanos());
        assertThat(polls).isGreaterThan(1);
    }

    @Test
    void workThatArrivedWhileDisarmedIsFoundAfterArmingAndTheSleepIsSkipped() {
        SimulatedRxQueue q = queue();
        InterruptIdleStrategy s = strategy(List.of(q), countConfig(0, 0, FOREVER_MILLIS));

        // The packet lands after the poll loop's last empty poll but before the arm: no interrupt.
        q.post();
        assertThat(q.interruptsRaised()).isZero();

        long start = System.nanoTime();
        s.idle(0);
        assertThat(System.nanoTime() - start).as("returned without waiting for the timeout")
                .isLessThan(HANG_GUARD_MILLIS * 1_000_000);
        assertThat(s.skippedSleeps()).isEqualTo(1);
        assertThat(s.sleeps()).isZero();
        assertThat(q.arms()).isEqualTo(1);
        assertThat(q.isArmed()).isFalse();
        assertThat(q.poll()).isEqualTo(1);
    }

    @Test
    void withoutTheRecheckThatSamePacketWaitsForTheTimeout() {
        // The package-private switch exists to prove the re-check matters: this is the lost wake-up.
        SimulatedRxQueue q = queue();
        InterruptIdleStrategy s = new InterruptIdleStrategy(List.of(q), countConfig(0, 0, 20), false);
        toClose.add(s);

        q.post();
        s.idle(0);

        assertThat(s.skippedSleeps()).isZero();
        assertThat(s.sleeps()).isEqualTo(1);
        assertThat(s.wakeUpsByTimeout()).as("the packet was there all along, yet nothing woke us").isEqualTo(1);
        assertThat(q.hasWork()).isTrue();
    }

    @Test
    void anInterruptEndsTheSleepAndItsEventFdIsDrained() throws Exception {
        SimulatedRxQueue quiet = queue();
        SimulatedRxQueue busy = queue();
        InterruptIdleStrategy s = strategy(List.of(quiet, busy), countConfig(0, 0, FOREVER_MILLIS));

        TestThread poller = startThread("poller", () -> s.idle(0));
        awaitArmed(busy, poller);
        // Post only after the re-check found nothing, so the poller is committed to sleeping (a post between
        // arm and re-check would, correctly, skip the sleep instead).
        // busy is the last source re-checked.
        awaitTrue(() -> busy.hasWorkChecks() > 0, poller);
        busy.post();
        joinOrFail(poller);

        assertThat(busy.interruptsRaised()).isEqualTo(1);
        IdleCounters c = s.counters();
        assertThat(c.sleeps()).isEqualTo(1);
        assertThat(c.wakeUpsByEvent()).isEqualTo(1);
        assertThat(c.wakeUpsByTimeout()).isZero();
        assertThat(busy.eventFd().drain()).as("strategy drained the eventfd that fired").isZero();
        assertThat(quiet.isArmed()).isFalse();
        assertThat(busy.isArmed()).isFalse();
        assertThat(busy.poll()).isEqualTo(1);
    }

    @Test
    void aSpuriousInterruptCountsAsAnEventAndIsDrained() {
        SimulatedRxQueue q = queue();
        InterruptIdleStrategy s = strategy(List.of(q), countConfig(0, 0, FOREVER_MILLIS));

        q.eventFd().signal(); // interrupt without a packet: the strategy must not spin on a readable eventfd
        s.idle(0);

        assertThat(s.wakeUpsByEvent()).isEqualTo(1);
        assertThat(q.eventFd().drain()).isZero();
    }

    @Test
    void wakeUpFromAnotherThreadEndsASleepPromptly() throws Exception {
        SimulatedRxQueue q = queue();
        InterruptIdleStrategy s = strategy(List.of(q), countConfig(0, 0, FOREVER_MILLIS));

        TestThread poller = startThread("poller", () -> s.idle(0));
        awaitArmed(q, poller);
        s.wakeUp();
        joinOrFail(poller);

        assertThat(s.wakeUpsByRequest()).isEqualTo(1);
        assertThat(s.wakeUpsByTimeout()).isZero();
        assertThat(s.wakeUpsByEvent()).isZero();
    }

    @Test
    void wakeUpBeforeTheSleepEndsTheNextSleepOnlyOnce() {
        SimulatedRxQueue q = queue();
        InterruptIdleStrategy s = strategy(List.of(q), countConfig(0, 0, 20));

        s.wakeUp();
        s.idle(0);
        assertThat(s.wakeUpsByRequest()).isEqualTo(1);

        s.idle(0);
        assertThat(s.wakeUpsByTimeout()).as("a wake-up is one-shot").isEqualTo(1);
        assertThat(s.sleeps()).isEqualTo(2);
    }

    @Test
    void stopSleepingEndsTheCurrentSleepAndPreventsAnyFurtherOne() throws Exception {
        SimulatedRxQueue q = queue();
        InterruptIdleStrategy s = strategy(List.of(q), countConfig(0, 0, FOREVER_MILLIS));

        TestThread poller = startThread("poller", () -> s.idle(0));
        awaitArmed(q, poller);
        s.stopSleeping();
        joinOrFail(poller);
        long armsBefore = q.arms();

        for (int i = 0; i < 1000; i++) {
            s.idle(0);
        }
        assertThat(s.sleeps()).isEqualTo(1);
        assertThat(q.arms()).isEqualTo(armsBefore);
    }

    @Test
    void everySleepEndsInExactlyOneWayAndTheCountersAddUp() {
        SimulatedRxQueue q = queue();
        InterruptIdleStrategy s = strategy(List.of(q), countConfig(0, 0, 5));

        s.idle(0);           // timeout
        q.eventFd().signal();
        s.idle(0);           // event
        s.wakeUp();
        s.idle(0);           // request
        q.eventFd().signal();
        s.wakeUp();
        s.idle(0);           // both ready: the interrupt wins, the wake-up is drained too
        q.post();
        s.idle(0);           // skipped
        q.poll();

        IdleCounters c = s.counters();
        assertThat(c).isEqualTo(new IdleCounters(4, 2, 1, 1, c.nanosAsleep(), 1));
        assertThat(c.sleeps()).isEqualTo(c.wakeUpsByEvent() + c.wakeUpsByTimeout() + c.wakeUpsByRequest());
        assertThat(c.toString()).contains("sleeps=4", "timeout 1", "skippedSleeps=1");
        s.idle(0);           // and nothing stayed readable: this one times out again
        assertThat(s.wakeUpsByTimeout()).isEqualTo(2);
    }

    @Test
    void agronaContract() {
        SimulatedRxQueue q = queue();
        InterruptIdleStrategy s = strategy(List.of(q), InterruptIdleConfig.defaults());
        assertThat(s.alias()).isEqualTo("interrupt");
        assertThat(s.config()).isEqualTo(InterruptIdleConfig.defaults());
        assertThat(s.toString()).contains("1 sources", "sleeps=0");
    }

    @Test
    void closeReleasesOnlyWhatTheStrategyOwnsAndIsIdempotent() {
        SimulatedRxQueue q = queue();
        InterruptIdleStrategy s = new InterruptIdleStrategy(List.of(q), InterruptIdleConfig.defaults());
        s.close();
        s.close();
        assertThat(q.eventFd().isClosed()).as("the source's eventfd belongs to the port").isFalse();
    }

    @Test
    void rejectsSourceListsItCannotSleepOn() {
        assertThatThrownBy(() -> new InterruptIdleStrategy(List.of(), InterruptIdleConfig.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one wake source");
        SimulatedRxQueue q = queue();
        WakeSource sameFd = new WakeSource() {
            @Override
            public EventFd eventFd() {
                return q.eventFd();
            }

            @Override
            public void arm() {
            }

            @Override
            public void disarm() {
            }

            @Override
            public boolean hasWork() {
                return false;
            }
        };
        assertThatThrownBy(() -> new InterruptIdleStrategy(List.of(q, sameFd), InterruptIdleConfig.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("wake sources 0 and 1 share eventfd");
    }

    // ------------------------------------------------------------------ helpers

    static TestThread startThread(String name, Runnable body) {
        TestThread t = new TestThread(name, body);
        t.start();
        return t;
    }

    /** A daemon thread that remembers what it threw, so the test fails on it instead of just logging it. */
    static final class TestThread extends Thread {
        private final Runnable body;
        private volatile Throwable failure;

        TestThread(String name, Runnable body) {
            super(name);
            this.body = body;
            setDaemon(true);
        }

        @Override
        public void run() {
            try {
                body.run();
            } catch (Throwable e) {
                failure = e;
            }
        }
    }

    /**
     * A source that is a level-triggered descriptor (an af_packet socket, a TAP fd): epoll watches its
     * {@code pollFd()}, and a wake-up calls {@code acknowledge()}, never reading it through an eventfd.
     * Here a level-triggered stand-in: an eventfd that stays readable because acknowledge() leaves it alone.
     */
    @Test
    void aSourceWithItsOwnPollFdIsWatchedAndAcknowledgedNotDrained() {
        EventFd readable = EventFd.create();
        toClose.add(readable);
        int[] acknowledged = new int[1];
        SimulatedRxQueue ring = queue(); // arming and the work check as a queue's; the descriptor is the socket's
        WakeSource socketLike = new WakeSource() {
            @Override
            public EventFd eventFd() {
                throw new UnsupportedOperationException("a socket has no eventfd");
            }

            @Override
            public int pollFd() {
                return readable.fd();
            }

            @Override
            public void acknowledge() {
                acknowledged[0]++;
            }

            @Override
            public void arm() {
                ring.arm();
            }

            @Override
            public void disarm() {
                ring.disarm();
            }

            @Override
            public boolean hasWork() {
                return ring.hasWork();
            }
        };
        InterruptIdleStrategy s = new InterruptIdleStrategy(List.of(socketLike), countConfig(0, 0, FOREVER_MILLIS));
        toClose.add(s);
        readable.signal();
        s.idle(0);
        assertThat(s.wakeUpsByEvent()).isEqualTo(1);
        assertThat(acknowledged[0]).isEqualTo(1);
        assertThat(readable.drain()).as("the strategy did not read the descriptor").isEqualTo(1);
    }

    /** Waits until the poll thread armed {@code q}, i.e. it is about to sleep or asleep. */
    static void awaitArmed(SimulatedRxQueue q, Thread poller) {
        long deadline = System.nanoTime() + HANG_GUARD_MILLIS * 1_000_000;
        while (!q.isArmed()) {
            assertThat(poller.isAlive()).as("poller still running").isTrue();
            assertThat(System.nanoTime()).as("hang guard: poller never armed").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    static void awaitTrue(java.util.function.BooleanSupplier condition, Thread poller) {
        long deadline = System.nanoTime() + HANG_GUARD_MILLIS * 1_000_000;
        while (!condition.getAsBoolean()) {
            assertThat(poller.isAlive()).as("poller still running").isTrue();
            assertThat(System.nanoTime()).as("hang guard").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    static void joinOrFail(TestThread t) throws InterruptedException {
        t.join(HANG_GUARD_MILLIS);
        assertThat(t.isAlive()).as("hang guard: " + t.getName() + " still blocked").isFalse();
        assertThat(t.failure).as(t.getName() + " failed").isNull();
    }
}
