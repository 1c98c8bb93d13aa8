/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.samples.pktgen;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 16 point 16: after a stall the pacer catches up a burst at a time instead of forgetting what fell due. */
class PacerTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void afterAStallItCatchesUpOneBurstPerCall() {
        Pacer p = new Pacer(1000, 0);
        assertThat(p.allowed(0, 32)).isEqualTo(1);
        p.sent(1);
        // one second without a call: 1,000 more frames fell due; they are sent a burst per call, at twice the rate
        assertThat(p.allowed(SECOND, 32)).isEqualTo(32);
        p.sent(32);
        assertThat(p.allowed(SECOND, 32)).as("the next catch-up burst waits 16 ms (32 frames at 2 x 1,000/s)").isZero();
        long now = SECOND, caughtUp = 32;
        while (now < 3 * SECOND) {
            now += 100_000; // a poll every 100 µs
            int n = p.allowed(now, 32);
            assertThat(n).isBetween(0, 32);
            p.sent(n);
            caughtUp += n;
        }
        long due = 1000 + 2000; // the second missed plus the two after it
        assertThat(caughtUp).as("the backlog is caught up: the run averages the asked rate").isEqualTo(due);
    }

    @Test
    void withRandomStallsTheRunAveragesTheAskedRate() {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 20; round++) {
            long rate = 1_000 + random.nextLong(1_000_000);
            int burst = 8 + random.nextInt(57);
            Pacer p = new Pacer(rate, 0);
            long now = 0, sent = 0;
            while (now < 2 * SECOND) {
                int n = p.allowed(now, burst);
                assertThat(n).as("seed %d round %d", seed, round).isBetween(0, burst);
                p.sent(n);
                sent += n;
                // mostly short polls, now and then a stall of up to 50 ms
                now += random.nextInt(10) == 0 ? random.nextLong(50_000_000) : random.nextLong(20_000);
            }
            // then polls every microsecond without stalls: the backlog (at most 2 s of frames) is caught up
            // at twice the rate, within 2 s more
            for (long end = now + 3 * SECOND; now < end; now += 1_000) {
                int n = p.allowed(now, burst);
                p.sent(n);
                sent += n;
            }
            long due = (long) ((now - 1_000) * (rate / 1e9)) + 1;
            assertThat(sent).as("seed %d round %d: rate %d, burst %d", seed, round, rate, burst).isEqualTo(due);
        }
    }

    @Test
    void rateZeroIsUnpaced() {
        assertThat(new Pacer(0, 0).allowed(0, 32)).isEqualTo(32);
    }
}
