/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.uio;

import dev.wirespeed.core.idle.IdleCounters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static dev.wirespeed.core.uio.E1000eRegisters.CAUSE_RXQ0;
import static dev.wirespeed.core.uio.E1000eRegisters.ICR;
import static dev.wirespeed.core.uio.E1000eRegisters.ICS;
import static dev.wirespeed.core.uio.E1000eRegisters.IMC;
import static dev.wirespeed.core.uio.E1000eRegisters.IMS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The e1000e wake source the guest self-test sleeps on, and {@link IdleWakeCheck} over a fake 82574L
 * interrupt block: the same code path as in the QEMU guest, minus the kernel.
 */
class E1000eCauseWakeSourceTest {
    /** So long that a wake-up that wrongly waits for it trips the test's timeout instead. */
    private static final int FOREVER_MILLIS = 60_000;

    private final Fake82574InterruptBar bar = new Fake82574InterruptBar();
    private final E1000eCauseWakeSource source = new E1000eCauseWakeSource(bar, CAUSE_RXQ0);

    @AfterEach
    void close() {
        source.close();
    }

    @Test
    void armAndDisarmUnmaskAndMaskOnlyItsCause() {
        source.arm();
        assertThat(bar.ims()).isEqualTo(CAUSE_RXQ0);
        source.disarm();
        assertThat(bar.ims()).isZero();
        assertThat(bar.writes()).extracting(Fake82574InterruptBar.Write::offset, Fake82574InterruptBar.Write::value)
                .containsExactly(tuple(IMS, CAUSE_RXQ0), tuple(IMC, CAUSE_RXQ0));
        assertThat(source.arms()).isEqualTo(1);
    }

    @Test
    void postPublishesTheWorkBeforeRaisingTheCause() {
        bar.probe(source::hasWork);
        assertThat(source.hasWork()).isFalse();
        source.post();
        assertThat(source.hasWork()).isTrue();
        Fake82574InterruptBar.Write ics = bar.writes().getLast();
        assertThat(ics.offset()).isEqualTo(ICS);
        assertThat(ics.value()).isEqualTo(CAUSE_RXQ0);
        assertThat(ics.probe()).as("work visible when the cause is raised").isTrue();
    }

    @Test
    void takeWorkConsumesOnceAndAcknowledgesTheCause() {
        assertThat(source.takeWork()).isFalse();
        source.post();
        assertThat(bar.icr()).isEqualTo(CAUSE_RXQ0);
        assertThat(source.takeWork()).isTrue();
        assertThat(source.hasWork()).isFalse();
        assertThat(bar.icr()).as("a stale cause would fire at the next arm").isZero();
        assertThat(bar.writes().getLast().offset()).isEqualTo(ICR);
        assertThat(source.takeWork()).isFalse();
    }

    @Test
    void whileArmedPostedWorkSignalsTheEventFdAndWhileDisarmedItDoesNot() {
        bar.bindVector(source.eventFd());
        source.post();
        assertThat(source.eventFd().drain()).isZero();
        source.takeWork();
        source.arm();
        source.post();
        assertThat(source.eventFd().drain()).isEqualTo(1);
    }

    @Test
    void refusesACauseThatIsNotOneBit() {
        assertThatThrownBy(() -> new E1000eCauseWakeSource(bar, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one ICR bit, got 0x00000000");
        assertThatThrownBy(() -> new E1000eCauseWakeSource(bar, 0x00300000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 << 20");
    }

    @Test
    @Timeout(30)
    void theDeviceWakesTheIdleStrategyByEventAndItEndsDisarmed() throws InterruptedException {
        bar.bindVector(source.eventFd());
        IdleWakeCheck.Outcome outcome = new IdleWakeCheck(source, FOREVER_MILLIS).run();

        IdleCounters c = outcome.counters();
        assertThat(c.sleeps()).isEqualTo(1);
        assertThat(c.wakeUpsByEvent()).isEqualTo(1);
        assertThat(c.wakeUpsByTimeout()).isZero();
        assertThat(c.skippedSleeps()).as("the post came after the re-check, while asleep").isZero();
        assertThat(outcome.workSeen()).isTrue();
        assertThat(outcome.wakeLatencyNanos()).isPositive();
        assertThat(bar.ims()).as("disarmed after the sleep").isZero();
        assertThat(bar.icr()).as("cause acknowledged by takeWork").isZero();
    }

    @Test
    @Timeout(30)
    void aDeviceWhoseInterruptGoesNowhereShowsUpAsAWakeByTimeout() throws InterruptedException {
        // Vector not bound: the check must report the timeout, not a wake-up by event.
        IdleWakeCheck.Outcome outcome = new IdleWakeCheck(source, 300).run();

        IdleCounters c = outcome.counters();
        assertThat(c.wakeUpsByTimeout()).isEqualTo(1);
        assertThat(c.wakeUpsByEvent()).isZero();
        assertThat(outcome.workSeen()).as("the work is there, only the interrupt was lost").isTrue();
    }

    /**
     * A poll thread held up between its arm and its re-check (here by a slow IMS write, as by a loaded
     * TCG guest descheduling it) for longer than any fixed delay a check could choose: the check must
     * still post only once the thread sleeps in epoll_wait. Posting after a fixed delay, the re-check
     * would find the work and skip the sleep, and the check would fail with nothing wrong.
     */
    @Test
    @Timeout(30)
    void thePostWaitsUntilASlowPollThreadReallySleeps() throws InterruptedException {
        bar.bindVector(source.eventFd());
        bar.slowWrites(IMS, 1_000);
        IdleWakeCheck.Outcome outcome = new IdleWakeCheck(source, FOREVER_MILLIS).run();

        IdleCounters c = outcome.counters();
        assertThat(c.skippedSleeps()).as("posted before the re-check").isZero();
        assertThat(c.sleeps()).isEqualTo(1);
        assertThat(c.wakeUpsByEvent()).isEqualTo(1);
        assertThat(outcome.workSeen()).isTrue();
    }
}
