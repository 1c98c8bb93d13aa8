/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

/**
 * Linux's tx hang rule (facts §8.11), on the device's own progress: a queue is hung when, on two
 * consecutive checks, its head (TDH) has not moved since the check before although the device still
 * has descriptors to fetch (TDH ≠ TDT). Judging by TDH rather than by the driver's completion count
 * means a queue that is simply not being cleaned (the application stopped calling tx) is never taken
 * for a hung one. The first check after start or reset only takes a baseline.
 */
final class TxHangCheck {
    private final int[] lastHead;
    private final int[] strikes;

    TxHangCheck(int queues) {
        lastHead = new int[queues];
        strikes = new int[queues];
        reset();
    }

    void reset() {
        java.util.Arrays.fill(lastHead, -1);
        java.util.Arrays.fill(strikes, 0);
    }

    /** Feeds one check of queue {@code i}; true when it has now been stuck on two checks in a row. */
    boolean hung(int i, int head, int tail) {
        if (head != tail && head == lastHead[i]) {
            strikes[i]++;
        } else {
            strikes[i] = 0;
        }
        lastHead[i] = head;
        if (strikes[i] >= 2) {
            strikes[i] = 0;
            lastHead[i] = -1;
            return true;
        }
        return false;
    }
}
