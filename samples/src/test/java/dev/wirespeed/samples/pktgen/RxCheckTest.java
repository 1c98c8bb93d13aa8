/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.samples.pktgen;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.assertj.core.api.Assertions.assertThat;

/** The frame format, the sequence tracker and the pacer, without ports. */
class RxCheckTest {
    private static MemorySegment frame(int length, long seq) {
        MemorySegment m = MemorySegment.ofArray(new byte[length + 16]);
        TestFrame.write(m, 8, length, 0x0200_0000_0001L, 0x0200_0000_0002L, seq, (int) (seq % 3), 12345);
        return m;
    }

    @ParameterizedTest
    @ValueSource(ints = {60, 61, 67, 124, 1514})
    void everyWrittenFrameChecksOkAndEveryFlippedBitIsCaught(int length) {
        MemorySegment m = frame(length, 77);
        assertThat(TestFrame.check(m, 8, length)).isEqualTo(TestFrame.Verdict.OK);
        assertThat(TestFrame.sequence(m, 8)).isEqualTo(77);
        assertThat(TestFrame.sendNanos(m, 8)).isEqualTo(12345);
        for (int at = 14; at < length; at++) {
            boolean makesItForeign = at == 12 || at == 13 || at == TestFrame.IP + 9 || at == TestFrame.UDP + 2 || at == TestFrame.UDP + 3
                    || at == TestFrame.MAGIC || at == TestFrame.MAGIC + 1;
            boolean unchecked = at == TestFrame.UDP || at == TestFrame.UDP + 1 // source port: varies per flow
                    || at == TestFrame.UDP + 6 || at == TestFrame.UDP + 7 // UDP checksum: not used
                    || at >= TestFrame.SEQ && at < TestFrame.PATTERN; // sequence and time: judged by the tracker
            if (makesItForeign || unchecked) {
                continue;
            }
            byte b = m.get(ValueLayout.JAVA_BYTE, 8 + at);
            m.set(ValueLayout.JAVA_BYTE, 8 + at, (byte) (b ^ 0x04));
            assertThat(TestFrame.check(m, 8, length)).as("bit flipped at byte " + at).isEqualTo(TestFrame.Verdict.CORRUPTED);
            m.set(ValueLayout.JAVA_BYTE, 8 + at, b);
        }
    }

    @Test
    void aPatternFromAnotherSequenceNumberIsCorruption() {
        MemorySegment a = frame(200, 1), b = frame(200, 2);
        MemorySegment.copy(a, 8 + TestFrame.SEQ, b, 8 + TestFrame.SEQ, 8); // stale header over a newer payload
        assertThat(TestFrame.check(b, 8, 200)).isEqualTo(TestFrame.Verdict.CORRUPTED);
    }

    @Test
    void truncatedFramesAreCorruptedAndOtherTrafficIsForeign() {
        MemorySegment m = frame(128, 3);
        assertThat(TestFrame.check(m, 8, 127)).isEqualTo(TestFrame.Verdict.CORRUPTED);
        m.set(ValueLayout.JAVA_BYTE, 8 + TestFrame.MAGIC, (byte) 0);
        assertThat(TestFrame.check(m, 8, 128)).isEqualTo(TestFrame.Verdict.FOREIGN);
        MemorySegment arp = MemorySegment.ofArray(new byte[60]);
        arp.set(ValueLayout.JAVA_BYTE, 12, (byte) 0x08);
        arp.set(ValueLayout.JAVA_BYTE, 13, (byte) 0x06);
        assertThat(TestFrame.check(arp, 0, 60)).isEqualTo(TestFrame.Verdict.FOREIGN);
    }

    @Test
    void lossDuplicatesAndReorderingAreEachCounted() {
        SequenceTracker t = new SequenceTracker();
        for (long s : new long[] {0, 1, 3, 4, 2, 4, 5, 8, 9}) {
            t.accept(s);
        }
        // 2 came late (reordered, not lost), 4 came twice, 6 and 7 never came
        assertThat(t.received()).isEqualTo(9);
        assertThat(t.reordered()).isEqualTo(1);
        assertThat(t.duplicated()).isEqualTo(1);
        assertThat(t.lost()).isEqualTo(2);
        assertThat(t.inOrder()).as("0, 1, 4, 5, 9").isEqualTo(5);
        t.senderFinished(12); // 10 and 11 were sent but never arrived
        assertThat(t.lost()).isEqualTo(4);
    }

    @Test
    void aGapWiderThanTheWindowStillCountsItsLoss() {
        SequenceTracker t = new SequenceTracker();
        long far = SequenceTracker.WINDOW * 3L;
        t.accept(0);
        t.accept(far);
        t.accept(far); // still recognised as a duplicate after the window was reset
        assertThat(t.lost()).isEqualTo(far - 1);
        assertThat(t.duplicated()).isEqualTo(1);
    }

    @Test
    void thePacerHoldsTheRateAndCatchesUpABurstAtATime() {
        Pacer p = new Pacer(1_000, 0);
        long total = 0;
        for (long now = 0; now < 1_000_000_000L; now += 100_000) { // every 100 µs for one second
            int n = p.allowed(now, 32);
            p.sent(n);
            total += n;
        }
        assertThat(total).isBetween(999L, 1001L);
        Pacer stalled = new Pacer(1_000_000, 0);
        assertThat(stalled.allowed(1_000_000_000L, 32)).as("one second late: one burst, not a million frames").isEqualTo(32);
        stalled.sent(32);
        assertThat(stalled.allowed(1_000_000_000L, 32)).as("the next catch-up burst comes later (PacerTest: it does come)").isZero();
    }

    /** Issue 16 point 16: every frame the tracker sees is in exactly one of the summary's terms, whatever the order. */
    @Test
    void theSummaryTermsAddUpToTheFramesReceived() {
        long seed = System.nanoTime();
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
        for (int round = 0; round < 200; round++) {
            SequenceTracker t = new SequenceTracker();
            long next = 0;
            for (int i = 0, n = random.nextInt(5_000); i < n; i++) {
                long seq = switch (random.nextInt(10)) {
                    case 0 -> next += 1 + random.nextInt(100);                    // a gap
                    case 1 -> Math.max(0, next - random.nextInt(200));            // late or duplicated
                    case 2 -> Math.max(0, next - SequenceTracker.WINDOW - 5);     // older than the window
                    default -> next++;
                };
                t.accept(seq);
            }
            assertThat(t.inOrder() + t.afterGap() + t.reordered() + t.duplicated())
                    .as("seed %d round %d", seed, round).isEqualTo(t.received());
        }
    }
}
