/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.samples.pktgen;

/**
 * Loss, duplication and reordering from the sequence numbers of intact frames. A gap counts its frames
 * as lost at once; a frame that later fills the gap is moved from lost to reordered. A window of the last
 * {@link #WINDOW} sequence numbers tells a late frame from a duplicate; a frame older than the window is
 * counted as reordered (it cannot be told from a duplicate any more). Fixed memory, no allocation.
 */
final class SequenceTracker {
    static final int WINDOW = 1 << 16;
    private final long[] seen = new long[WINDOW / 64];
    private long highest = -1;
    private long received, inOrder, afterGap, lost, duplicated, reordered;

    void accept(long seq) {
        received++;
        if (seq > highest) {
            long gap = seq - highest - 1;
            if (gap == 0) {
                inOrder++;
            } else {
                afterGap++; // new, but frames before it are missing: received = in order + after a gap + reordered + duplicated
            }
            lost += gap;
            if (gap >= WINDOW) {
                java.util.Arrays.fill(seen, 0);
            } else {
                for (long s = highest + 1; s < seq; s++) {
                    clear(s);
                }
            }
            set(seq);
            highest = seq;
        } else if (seq <= highest - WINDOW || seq < 0) {
            reordered++;
            lost--;
        } else if (isSet(seq)) {
            duplicated++;
        } else {
            set(seq);
            reordered++;
            lost--;
        }
    }

    /** Counts as lost what never came after the highest sequence number seen, when the sender's count is known. */
    void senderFinished(long sent) {
        if (sent > highest + 1) {
            lost += sent - (highest + 1);
            highest = sent - 1;
        }
    }

    private void set(long s) {
        int bit = (int) (s & (WINDOW - 1));
        seen[bit >>> 6] |= 1L << bit;
    }

    private void clear(long s) {
        int bit = (int) (s & (WINDOW - 1));
        seen[bit >>> 6] &= ~(1L << bit);
    }

    private boolean isSet(long s) {
        int bit = (int) (s & (WINDOW - 1));
        return (seen[bit >>> 6] & 1L << bit) != 0;
    }

    long received() {
        return received;
    }

    long inOrder() {
        return inOrder;
    }

    /** Frames that were the newest so far but came after missing ones (the first frame after a gap). */
    long afterGap() {
        return afterGap;
    }

    long lost() {
        return lost;
    }

    long duplicated() {
        return duplicated;
    }

    long reordered() {
        return reordered;
    }
}
