/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.idle;

import java.time.Duration;

/**
 * How {@link InterruptIdleStrategy} backs off before it sleeps.
 *
 * <p>After the first empty poll the strategy busy-spins ({@code Thread.onSpinWait}) for either
 * {@code spinCount} empty polls or {@code spinNanos} of wall time, never both; then it yields the CPU
 * for {@code yieldCount} more empty polls; then it arms the interrupts and sleeps in {@code epoll_wait}
 * for at most {@code epollTimeoutMillis}. The timeout is only a safety net against an interrupt that
 * never comes. DPDK's l3fwd-power uses 10 ms because it does not re-check the ring after arming and
 * relies on the timeout for that race; this strategy re-checks, so the default is 100 ms: each timeout
 * wake-up costs a spin phase, and 100 wake-ups a second kept an idle thread near 3 % of a core.
 *
 * @param spinCount          empty polls to busy-spin before yielding/sleeping (count mode), or 0
 * @param spinNanos          wall time to busy-spin after the first empty poll (duration mode), or 0
 * @param yieldCount         empty polls, after spinning, that call {@code Thread.yield()} before sleeping
 * @param epollTimeoutMillis the longest one sleep lasts without an interrupt, at least 1 ms
 */
public record InterruptIdleConfig(long spinCount, long spinNanos, int yieldCount, int epollTimeoutMillis) {

    /** Ten safety-net wake-ups a second (DPDK's l3fwd-power uses 10 ms; see the class comment). */
    public static final int DEFAULT_EPOLL_TIMEOUT_MILLIS = 100;
    /** About one rx burst interval at low rates: long enough that a steady trickle never sleeps. */
    public static final long DEFAULT_SPIN_NANOS = 100_000;
    public static final int DEFAULT_YIELD_COUNT = 10;

    public InterruptIdleConfig {
        if (spinCount < 0) {
            throw new IllegalArgumentException("spinCount must be >= 0 empty polls, got " + spinCount);
        }
        if (spinNanos < 0) {
            throw new IllegalArgumentException("spinNanos must be >= 0 ns, got " + spinNanos);
        }
        if (spinCount > 0 && spinNanos > 0) {
            throw new IllegalArgumentException("set either a spin count (" + spinCount + " polls) or a spin duration ("
                    + spinNanos + " ns) before sleeping, not both; set the other to 0");
        }
        if (yieldCount < 0) {
            throw new IllegalArgumentException("yieldCount must be >= 0 empty polls, got " + yieldCount);
        }
        if (epollTimeoutMillis < 1) {
            throw new IllegalArgumentException("epollTimeoutMillis must be >= 1 ms (it bounds a sleep whose interrupt"
                    + " is lost; 0 would never sleep), got " + epollTimeoutMillis);
        }
    }

    /** 100 µs of spinning, 10 yields, 100 ms epoll timeout. */
    public static InterruptIdleConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether the spin phase is measured in wall time rather than in empty polls. */
    public boolean spinsForDuration() {
        return spinNanos > 0;
    }

    /** Builder; {@link #spinCount} and {@link #spinDuration} replace each other (last call wins). */
    public static final class Builder {
        private long spinCount;
        private long spinNanos = DEFAULT_SPIN_NANOS;
        private int yieldCount = DEFAULT_YIELD_COUNT;
        private int epollTimeoutMillis = DEFAULT_EPOLL_TIMEOUT_MILLIS;

        private Builder() {
        }

        /** Spin for this many empty polls before yielding/sleeping (0 = go straight on). */
        public Builder spinCount(long emptyPolls) {
            this.spinCount = emptyPolls;
            this.spinNanos = 0;
            return this;
        }

        /** Spin for this long after the first empty poll before yielding/sleeping. */
        public Builder spinDuration(Duration duration) {
            this.spinNanos = duration.toNanos();
            this.spinCount = 0;
            if (spinNanos < 0) {
                throw new IllegalArgumentException("spin duration must not be negative: " + duration);
            }
            return this;
        }

        public Builder yieldCount(int emptyPolls) {
            this.yieldCount = emptyPolls;
            return this;
        }

        public Builder epollTimeoutMillis(int millis) {
            this.epollTimeoutMillis = millis;
            return this;
        }

        public InterruptIdleConfig build() {
            return new InterruptIdleConfig(spinCount, spinNanos, yieldCount, epollTimeoutMillis);
        }
    }
}
