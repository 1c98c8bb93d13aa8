/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.wire;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FrameQueueTest {
    @Test
    void framesComeOutInOrderAndAFullQueueRefuses() {
        FrameQueue q = new FrameQueue(4);
        for (int i = 0; i < 4; i++) {
            assertThat(q.offer(new byte[]{(byte) i, 1, 2})).isTrue();
        }
        assertThat(q.offer(new byte[]{9})).isFalse();
        assertThat(q.size()).isEqualTo(4);
        for (int i = 0; i < 4; i++) {
            assertThat(q.poll()).containsExactly(i, 1, 2);
        }
        assertThat(q.poll()).isNull();
        assertThat(q.peekLength()).isEqualTo(-1);
    }

    @Test
    void rejectsBadCapacityAndOversizeFrames() {
        assertThatThrownBy(() -> new FrameQueue(3)).hasMessageContaining("power of two");
        FrameQueue q = new FrameQueue(2);
        assertThatThrownBy(() -> q.offer(new byte[9729])).hasMessageContaining("9728");
        assertThat(q.offer(new byte[9728])).isTrue();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS) // hang guard only
    void oneProducerAndOneConsumerThreadLoseAndReorderNothing() throws Exception {
        int n = 50_000;
        FrameQueue q = new FrameQueue(64);
        Thread producer = Thread.ofPlatform().start(() -> {
            byte[] f = new byte[8];
            for (int i = 0; i < n; ) {
                f[0] = (byte) i;
                f[1] = (byte) (i >>> 8);
                f[2] = (byte) (i >>> 16);
                if (q.offer(f)) {
                    i++;
                } else {
                    Thread.onSpinWait();
                }
            }
        });
        for (int i = 0; i < n; ) {
            byte[] f = q.poll();
            if (f == null) {
                Thread.onSpinWait();
                continue;
            }
            assertThat((f[0] & 0xFF) | (f[1] & 0xFF) << 8 | (f[2] & 0xFF) << 16).isEqualTo(i);
            i++;
        }
        producer.join();
    }
}
