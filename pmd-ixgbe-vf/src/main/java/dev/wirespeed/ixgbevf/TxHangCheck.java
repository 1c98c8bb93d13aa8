/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

/**
 * Linux's tx hang rule (facts §8.11): a queue is hung when, on two consecutive checks, nothing completed
 * since the check before while the device still had descriptors to fetch (TDH ≠ TDT). The first check
 * after start or reset only takes a baseline.
 */
final class TxHangCheck {
    private final long[] lastCompletions;
    private final int[] strikes;

    TxHangCheck(int queues) {
        lastCompletions = new long[queues];
        strikes = new int[queues];
        reset();
    }

    void reset() {
        java.util.Arrays.fill(lastCompletions, -1);
        java.util.Arrays.fill(strikes, 0);
    }

    boolean hung(int i, TxQueue q, boolean devicePending) {
        long done = q.completions();
        if (devicePending && done == lastCompletions[i] && q.inFlight() > 0) {
            strikes[i]++;
        } else {
            strikes[i] = 0;
        }
        lastCompletions[i] = done;
        if (strikes[i] >= 2) {
            strikes[i] = 0;
            lastCompletions[i] = -1;
            return true;
        }
        return false;
    }
}
