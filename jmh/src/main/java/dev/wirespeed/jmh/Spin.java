/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.jmh;

import java.util.function.BooleanSupplier;

/**
 * Busy-waits of the sending thread, each with a hang guard so a dead consumer fails the run instead of
 * hanging it. Pass conditions created once (a field), not a capturing lambda per call, to keep the
 * measured loop allocation-free.
 */
final class Spin {
    /** Far longer than any healthy wait here (the interrupt strategy's epoll timeout is 100 ms). */
    static final long HANG_NANOS = 10_000_000_000L;

    private Spin() {
    }

    /** Spins before a wait starts yielding the CPU. */
    private static final int SPINS_BEFORE_YIELD = 100;

    /**
     * Waits until {@code done} holds: spins briefly, then yields between checks, because on a machine with
     * fewer spare cores than spinning threads a waiting sender that keeps its core would delay the very
     * consumer it waits for. Throws if the wait takes longer than {@link #HANG_NANOS}.
     */
    static void until(BooleanSupplier done, String what) {
        if (done.getAsBoolean()) {
            return;
        }
        long start = System.nanoTime();
        int spins = 0;
        while (!done.getAsBoolean()) {
            if (++spins < SPINS_BEFORE_YIELD) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
            if (System.nanoTime() - start > HANG_NANOS) {
                throw new IllegalStateException("gave up after " + HANG_NANOS / 1_000_000_000 + " s waiting for " + what
                        + "; the consumer thread is stuck or dead");
            }
        }
    }

    /** Spins for {@code nanos} of wall time. */
    static void forNanos(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }
}
