/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.wire;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Generator and sink: what the generator sends the sink verifies, and every kind of damage is counted as such. */
class TrafficTest {
    private static final long DST = 0x02_00_00_00_00_01L, SRC = 0x02_77_73_00_00_01L;

    private static byte[][] generate(int length, int flows, int n) {
        TrafficGenerator gen = new TrafficGenerator(DST, SRC, length, flows, 0, n);
        FrameQueue q = new FrameQueue(Integer.highestOneBit(Math.max(2, n)) * 2);
        while (!gen.finished()) {
            gen.fill(q);
        }
        assertThat(gen.fill(q)).as("count reached: nothing more").isZero();
        byte[][] frames = new byte[n][];
        for (int i = 0; i < n; i++) {
            frames[i] = q.poll();
        }
        assertThat(q.poll()).isNull();
        return frames;
    }

    private static TrafficSink sinkOf(byte[]... frames) {
        TrafficSink sink = new TrafficSink();
        FrameQueue q = new FrameQueue(256);
        for (byte[] f : frames) {
            assertThat(q.offer(f)).isTrue();
        }
        while (sink.drain(q) > 0) {
            // drains in bursts
        }
        return sink;
    }

    @ParameterizedTest
    @ValueSource(ints = {60, 61, 67, 124, 1514, 9724})
    void generatedFramesAreValidIpv4UdpWithSequenceNumbersAndPassTheSink(int length) {
        byte[][] f = generate(length, 3, 10);
        for (int i = 0; i < f.length; i++) {
            ByteBuffer b = ByteBuffer.wrap(f[i]);
            assertThat(f[i]).hasSize(length);
            assertThat(b.getShort(12)).as("IPv4").isEqualTo((short) 0x0800);
            assertThat(b.get(14)).isEqualTo((byte) 0x45);
            assertThat(b.getShort(16) & 0xFFFF).as("IP total length").isEqualTo(length - 14);
            assertThat(b.get(23)).as("UDP").isEqualTo((byte) 17);
            assertThat(ipChecksumOk(f[i])).as("IPv4 header checksum").isTrue();
            assertThat(b.getShort(38) & 0xFFFF).as("UDP length").isEqualTo(length - 34);
            assertThat(Long.reverseBytes(b.getLong(46))).as("sequence").isEqualTo(i);
            assertThat(b.getInt(26) & 0xFF).as("flow in the source address").isEqualTo(1 + i % 3);
            assertThat(b.getLong(0) >>> 16).as("destination").isEqualTo(DST);
        }
        TrafficSink sink = sinkOf(f);
        assertThat(sink.received()).isEqualTo(10);
        assertThat(sink.inOrder()).isEqualTo(10);
        assertThat(sink.lost() + sink.duplicated() + sink.outOfOrder() + sink.corrupted() + sink.foreign()).isZero();
        assertThat(sink.octets()).isEqualTo(10L * length);
    }

    @Test
    void lossDuplicationReorderingCorruptionAndForeignFramesAreEachCounted() {
        byte[][] f = generate(100, 4, 20);
        byte[] corrupt = f[9].clone();
        corrupt[99] ^= 0x10; // last pattern byte
        byte[] truncated = java.util.Arrays.copyOf(f[10], 99);
        byte[] foreign = new byte[60];
        TrafficSink sink = sinkOf(f[0], f[1], f[3], f[4], f[2], f[4], f[5], f[8], corrupt, truncated, foreign, f[11], f[12]);
        // 2 was late (out of order, not lost), 4 came twice, 6 and 7 never came, 9 corrupted, 10 cut short (also corrupted):
        // with 9 and 10 unverifiable, the sink sees 11 after 8 and counts 9 and 10 as lost too
        assertThat(sink.received()).isEqualTo(13);
        assertThat(sink.outOfOrder()).isEqualTo(1);
        assertThat(sink.duplicated()).isEqualTo(1);
        assertThat(sink.corrupted()).isEqualTo(2);
        assertThat(sink.foreign()).isEqualTo(1);
        assertThat(sink.lost()).isEqualTo(4); // 6, 7, 9, 10
        assertThat(sink.inOrder()).as("0, 1, 4, 5, 12").isEqualTo(5);
        assertThat(sink.expected()).isEqualTo(13);
    }

    @Test
    void aVlanTaggedFrameIsVerifiedAsTheFrameBeforeTheTag() {
        byte[] f = generate(80, 1, 1)[0];
        byte[] tagged = new byte[f.length + 4];
        System.arraycopy(f, 0, tagged, 0, 12);
        tagged[12] = (byte) 0x81;
        tagged[14] = 0x00;
        tagged[15] = 100;
        System.arraycopy(f, 12, tagged, 16, f.length - 12);
        TrafficSink sink = sinkOf(tagged);
        assertThat(sink.inOrder()).isEqualTo(1);
        assertThat(sink.corrupted() + sink.foreign()).isZero();
    }

    @Test
    void theArrayAndSegmentFormsWriteTheSameFrame() {
        for (int length = GenFrameFormat.MIN_LENGTH; length <= 200; length++) {
            for (long seq : new long[]{0, 1, 0x0123_4567_89AB_CDEFL, -1}) {
                byte[] viaSegment = new byte[length + 8];
                byte[] viaArray = new byte[length + 8];
                GenFrameFormat.writeHeaders(MemorySegment.ofArray(viaSegment), 3, length, DST, SRC, 7);
                GenFrameFormat.writeHeaders(MemorySegment.ofArray(viaArray), 3, length, DST, SRC, 7);
                GenFrameFormat.writeSequence(MemorySegment.ofArray(viaSegment), 3, length, seq);
                GenFrameFormat.writeSequence(viaArray, 3, length, seq);
                assertThat(viaArray).as("length %d seq %x", length, seq).isEqualTo(viaSegment);
                TrafficSink sink = new TrafficSink();
                sink.check(MemorySegment.ofArray(viaArray), 3, length);
                assertThat(sink.corrupted()).as("length %d: the sink verifies it", length).isZero();
            }
        }
    }

    @Test
    void aSequenceGapBeyondTheWindowStillCountsTheLoss() {
        TrafficGenerator gen = new TrafficGenerator(DST, SRC, 60, 1, 0, 0);
        FrameQueue q = new FrameQueue(2);
        TrafficSink sink = new TrafficSink();
        MemorySegment frame = MemorySegment.ofArray(new byte[60]);
        long far = TrafficSink.WINDOW * 3L;
        for (long seq : new long[]{0, far, 1}) {
            GenFrameFormat.writeHeaders(frame, 0, 60, DST, SRC, 0);
            GenFrameFormat.writeSequence(frame, 0, 60, seq);
            sink.check(frame, 60);
        }
        assertThat(sink.lost()).isEqualTo(far - 1);
        assertThat(sink.outOfOrder()).as("too old to tell").isEqualTo(1);
        assertThat(gen.fill(q)).isEqualTo(2);
    }

    @Test
    void theGeneratorWaitsForRoomInsteadOfDropping() {
        TrafficGenerator gen = new TrafficGenerator(DST, SRC, 60, 1, 0, 0);
        FrameQueue q = new FrameQueue(4);
        assertThat(gen.fill(q)).isEqualTo(4);
        assertThat(gen.fill(q)).isZero();
        q.drop();
        q.drop();
        assertThat(gen.fill(q)).isEqualTo(2);
        TrafficSink sink = new TrafficSink();
        sink.drain(q);
        assertThat(sink.lost()).as("frames 0 and 1 were dropped by the test, not the generator").isEqualTo(2);
        assertThat(sink.inOrder()).isEqualTo(3); // 3, 4, 5 after the gap: 2 counted after loss
        assertThat(gen.generated()).isEqualTo(6);
    }

    @Test
    void theRateLimitsFramesDueSinceTheFirstRound() {
        long[] now = {1_000_000_000L};
        TrafficGenerator gen = new TrafficGenerator(DST, SRC, 60, 1, 1000, 0, () -> now[0]); // 1000 frames/s
        FrameQueue q = new FrameQueue(1024);
        assertThat(gen.fill(q)).as("the first frame at once").isEqualTo(1);
        assertThat(gen.fill(q)).isZero();
        now[0] += 9_999_999; // just under 10 ms: frames 1..9 due
        assertThat(gen.fill(q)).isEqualTo(9);
        now[0] += 1;
        assertThat(gen.fill(q)).isEqualTo(1);
        now[0] += 1_000_000_000; // a second later: 1000 due, handed over in bursts of 32
        int n = 0;
        for (int r; (r = gen.fill(q)) > 0; ) {
            assertThat(r).isLessThanOrEqualTo(32);
            n += r;
        }
        assertThat(n).isEqualTo(1000);
        assertThat(gen.generated()).isEqualTo(1011);
    }

    @Test
    void badGeneratorSettingsAreRefused() {
        assertThatThrownBy(() -> new TrafficGenerator(DST, SRC, 59, 1, 0, 0)).hasMessageContaining("length 59 out of range 60..9724");
        assertThatThrownBy(() -> new TrafficGenerator(DST, SRC, 60, 0, 0, 0)).hasMessageContaining("flows 0");
        assertThatThrownBy(() -> new TrafficGenerator(DST, SRC, 60, 1, -1, 0)).hasMessageContaining("rate and count");
    }

    private static boolean ipChecksumOk(byte[] f) {
        int sum = 0;
        for (int i = 14; i < 34; i += 2) {
            sum += (f[i] & 0xFF) << 8 | f[i + 1] & 0xFF;
        }
        while (sum >>> 16 != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return sum == 0xFFFF;
    }
}
