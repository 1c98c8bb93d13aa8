/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.samples.pktgen;

import dev.wirespeed.core.packet.PacketBatch;
import dev.wirespeed.core.packet.PacketPool;
import org.HdrHistogram.Histogram;

import java.lang.foreign.MemorySegment;
import java.util.Locale;

/**
 * The receive side: judges every frame ({@link TestFrame#check}), feeds intact ones to the
 * {@link SequenceTracker} and records their one-way latency (receive time minus the send time in the
 * frame, both CLOCK_MONOTONIC, so valid on one host). Frees what it received. No allocation per frame.
 *
 * <p>Behind a reflecting peer (pktgen {@code --reflector}) it also checks each intact frame's Ethernet
 * addresses: a peer that swaps them (testpmd's macswap) returns every frame from its own MAC to ours; a
 * frame addressed otherwise is counted as misaddressed, not as arrived.
 */
final class RxChecker {
    /** Latencies above this (a minute) are recorded as this, rather than overflowing the histogram. */
    private static final long MAX_LATENCY_NANOS = 60_000_000_000L;

    private final SequenceTracker sequence = new SequenceTracker();
    private final Histogram latency = new Histogram(MAX_LATENCY_NANOS, 3);
    private final boolean checkAddresses;
    private final long expectedDestination, expectedSource;
    private long corrupted, foreign, misaddressed, octets;

    /** Checks frames, not their Ethernet addresses (whatever was in between may rewrite them). */
    RxChecker() {
        this.checkAddresses = false;
        this.expectedDestination = 0;
        this.expectedSource = 0;
    }

    /** Also requires every intact frame to come from {@code expectedSource} to {@code expectedDestination}. */
    RxChecker(long expectedDestination, long expectedSource) {
        this.checkAddresses = true;
        this.expectedDestination = expectedDestination;
        this.expectedSource = expectedSource;
    }

    /** Checks and frees every packet in {@code batch}; {@code nowNanos} is the receive time. */
    void accept(PacketBatch batch, long nowNanos) {
        int[] handles = batch.handles();
        for (int i = 0, n = batch.size(); i < n; i++) {
            int h = handles[i];
            PacketPool pool = PacketPool.of(h);
            MemorySegment m = pool.memory();
            long off = pool.dataOffset(h);
            int length = pool.dataLength(h);
            octets += length;
            if (pool.segmentCount(h) > 1) {
                corrupted++; // pktgen frames fit one buffer; a chained one was split by something in between
                continue;
            }
            switch (TestFrame.check(m, off, length)) {
                case OK -> {
                    if (checkAddresses && (TestFrame.destination(m, off) != expectedDestination
                            || TestFrame.source(m, off) != expectedSource)) {
                        misaddressed++;
                        continue;
                    }
                    sequence.accept(TestFrame.sequence(m, off));
                    long l = nowNanos - TestFrame.sendNanos(m, off);
                    latency.recordValue(Math.clamp(l, 0, MAX_LATENCY_NANOS));
                }
                case CORRUPTED -> corrupted++;
                case FOREIGN -> foreign++;
            }
        }
        batch.freeAll();
    }

    /** Every frame received, whatever its verdict. */
    long frames() {
        return sequence.received() + corrupted + foreign + misaddressed;
    }

    long octets() {
        return octets;
    }

    SequenceTracker sequence() {
        return sequence;
    }

    long corrupted() {
        return corrupted;
    }

    long foreign() {
        return foreign;
    }

    long misaddressed() {
        return misaddressed;
    }

    /** True when nothing went wrong: no loss, duplicate, reordering, corruption or misaddressed frame. Foreign frames do not count. */
    boolean clean() {
        return sequence.lost() == 0 && sequence.duplicated() == 0 && sequence.reordered() == 0 && corrupted == 0 && misaddressed == 0;
    }

    /**
     * Every received frame in exactly one term, so the terms add up to "received" (issue 16 point 16: "in order"
     * left out the first frame after each gap, and "lost" counts frames that never came, so it is not a term).
     */
    String summary() {
        return String.format(Locale.ROOT, "rx checked: %,d received = %,d in order + %,d after a gap + %,d reordered + %,d duplicated"
                        + " + %,d corrupted + %,d foreign", frames(), sequence.inOrder(), sequence.afterGap(), sequence.reordered(),
                sequence.duplicated(), corrupted, foreign)
                + (checkAddresses ? String.format(Locale.ROOT, " + %,d misaddressed", misaddressed) : "")
                + String.format(Locale.ROOT, "; lost %,d (never arrived intact)", sequence.lost());
    }

    String latencySummary() {
        if (latency.getTotalCount() == 0) {
            return "latency: no intact frames";
        }
        return String.format(Locale.ROOT, "latency (µs%s): min %.1f  p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f  (%,d samples)",
                checkAddresses ? ", round trip" : "", latency.getMinValue() / 1e3, latency.getValueAtPercentile(50) / 1e3, latency.getValueAtPercentile(90) / 1e3,
                latency.getValueAtPercentile(99) / 1e3, latency.getValueAtPercentile(99.9) / 1e3, latency.getMaxValue() / 1e3,
                latency.getTotalCount());
    }
}
