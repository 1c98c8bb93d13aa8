/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.wire;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The far end of a benchmark's transmit side ({@code wire=sink}): takes every frame the port sends and
 * verifies it as a {@link GenFrameFormat} frame. Counts frames received, intact in-order ones, lost
 * (sequence numbers skipped), duplicated (a number seen again), out of order (a skipped number arriving
 * late, which is then no longer counted lost), corrupted (magic right but length or pattern wrong) and
 * foreign (not generator frames at all). Sequence numbers are tracked across all flows, so the sender
 * must number frames in the order it transmits them.
 *
 * <p>Late frames are recognised within a window of {@link #WINDOW} sequence numbers; one older than that
 * is counted out of order without being taken off the lost count. Allocation-free; counters are written
 * by the device thread and may be read from any thread.
 *
 * <p>A port can hand frames straight to the sink ({@link #offer}: verified where they lie, in the tx
 * buffer, nothing copied), or through a queue the sink {@link #drain}s.
 */
public final class TrafficSink implements TxDrain, FrameSink {
    public static final int WINDOW = 1 << 16;
    private static final int BURST = 64;

    private final long[] seen = new long[WINDOW / 64]; // bit (seq mod WINDOW): seq has arrived
    private long expected;
    // Counters: written by the device thread with opaque stores (atomic, no fence: a volatile store per
    // counter per frame would cost more than the verification), read by anyone with opaque loads.
    private static final VarHandle COUNT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int RECEIVED = 0, IN_ORDER = 1, LOST = 2, DUPLICATED = 3, OUT_OF_ORDER = 4, CORRUPTED = 5, FOREIGN = 6, OCTETS = 7;
    private final long[] counts = new long[8];

    private void add(int counter, long n) {
        COUNT.setOpaque(counts, counter, counts[counter] + n);
    }

    private long get(int counter) {
        return (long) COUNT.getOpaque(counts, counter);
    }

    @Override
    public int drain(FrameQueue outbound) {
        int n = 0;
        while (n < BURST) {
            int len = outbound.peek();
            if (len < 0) {
                break;
            }
            check(outbound.frameSegment(), outbound.frameOffset(), len); // in place: no copy
            outbound.drop();
            n++;
        }
        return n;
    }

    /** Verifies a frame a port transmits, in place; the sink takes every frame. */
    @Override
    public boolean offer(MemorySegment src, long offset, int length) {
        check(src, offset, length);
        return true;
    }

    /** {@link #check(MemorySegment, long, int)} of a frame at offset 0. */
    public void check(MemorySegment s, int len) {
        check(s, 0, len);
    }

    /**
     * Verifies one frame (also usable directly, e.g. from a benchmark's own consumer). The received count
     * goes up last, with release semantics: whoever reads {@link #received()} = n sees every other counter
     * as it was after frame n.
     */
    public void check(MemorySegment s, long offset, int len) {
        verify(s, offset, len);
        COUNT.setRelease(counts, RECEIVED, counts[RECEIVED] + 1);
    }

    private void verify(MemorySegment s, long offset, int len) {
        add(OCTETS, len);
        long base = offset;
        int l = len;
        if (len >= 18 && s.get(GenFrameFormat.BE16, offset + 12) == (short) 0x8100) {
            // one VLAN tag: verify the frame as it was before the tag went in
            if (len - 4 < GenFrameFormat.MIN_LENGTH || s.get(GenFrameFormat.BE16, offset + 16) != 0x0800
                    || s.get(GenFrameFormat.BE32, offset + 4 + GenFrameFormat.PAYLOAD) != GenFrameFormat.MAGIC) {
                add(FOREIGN, 1);
                return;
            }
            base = offset + 4;
            l = len - 4;
        } else if (!GenFrameFormat.hasMagic(s, offset, len)) {
            add(FOREIGN, 1);
            return;
        }
        if (!GenFrameFormat.payloadIntact(s, base, l)) {
            add(CORRUPTED, 1);
            return;
        }
        account(GenFrameFormat.sequence(s, base));
    }

    private void account(long seq) {
        if (seq >= expected) {
            long skipped = seq - expected;
            if (skipped > 0) {
                add(LOST, skipped);
                for (long k = expected, end = Math.min(seq, expected + WINDOW); k < end; k++) {
                    clear(k);
                }
            }
            if (skipped == 0) {
                add(IN_ORDER, 1);
            }
            set(seq);
            expected = seq + 1;
        } else if (expected - seq > WINDOW) {
            add(OUT_OF_ORDER, 1); // too old to tell a late frame from a replay
        } else if (isSet(seq)) {
            add(DUPLICATED, 1);
        } else {
            set(seq);
            add(OUT_OF_ORDER, 1);
            add(LOST, -1);
        }
    }

    private void set(long seq) {
        int b = (int) (seq & (WINDOW - 1));
        seen[b >>> 6] |= 1L << b;
    }

    private void clear(long seq) {
        int b = (int) (seq & (WINDOW - 1));
        seen[b >>> 6] &= ~(1L << b);
    }

    private boolean isSet(long seq) {
        int b = (int) (seq & (WINDOW - 1));
        return (seen[b >>> 6] & 1L << b) != 0;
    }

    public long received() {
        return (long) COUNT.getAcquire(counts, RECEIVED);
    }

    /** Intact frames that arrived with the next expected sequence number. */
    public long inOrder() {
        return get(IN_ORDER);
    }

    public long lost() {
        return get(LOST);
    }

    public long duplicated() {
        return get(DUPLICATED);
    }

    public long outOfOrder() {
        return get(OUT_OF_ORDER);
    }

    public long corrupted() {
        return get(CORRUPTED);
    }

    public long foreign() {
        return get(FOREIGN);
    }

    public long octets() {
        return get(OCTETS);
    }

    /** The next sequence number the sink expects (one past the highest seen); device thread, or after it stopped. */
    public long expected() {
        return expected;
    }

    @Override
    public String toString() {
        return "received=" + received() + " inOrder=" + inOrder() + " lost=" + lost() + " duplicated=" + duplicated()
                + " outOfOrder=" + outOfOrder() + " corrupted=" + corrupted() + " foreign=" + foreign();
    }
}
