/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.packet;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HandleRingTest {
    @Test
    void offersOnlyWhatFitsAndPollsInOrder() {
        HandleRing r = new HandleRing(5); // rounded up to 8
        assertThat(r.capacity()).isEqualTo(8);
        int[] src = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertThat(r.offer(src, 0, 10)).isEqualTo(8);
        int[] dst = new int[10];
        assertThat(r.poll(dst, 0, 3)).isEqualTo(3);
        assertThat(dst).startsWith(1, 2, 3);
        assertThat(r.offer(src, 8, 2)).isEqualTo(2);
        assertThat(r.poll(dst, 0, 10)).isEqualTo(7);
        assertThat(dst).startsWith(4, 5, 6, 7, 8, 9, 10);
        assertThat(r.hasItems()).isFalse();
    }

    @Test
    void twoThreadsMoveMillionsInOrderWithoutLossOrDuplication() throws Exception {
        HandleRing r = new HandleRing(256);
        int total = 2_000_000;
        long[] sum = new long[1];
        boolean[] ordered = {true};
        Thread consumer = Thread.ofPlatform().start(() -> {
            int[] buf = new int[32];
            int expect = 0;
            while (expect < total) {
                int n = r.poll(buf, 0, 32);
                for (int i = 0; i < n; i++) {
                    if (buf[i] != expect) {
                        ordered[0] = false;
                    }
                    sum[0] += buf[i];
                    expect++;
                }
                if (n == 0) {
                    Thread.onSpinWait();
                }
            }
        });
        int[] burst = new int[32];
        int next = 0;
        while (next < total) {
            int n = Math.min(32, total - next);
            for (int i = 0; i < n; i++) {
                burst[i] = next + i;
            }
            int sent = 0;
            while (sent < n) {
                int k = r.offer(burst, sent, n - sent);
                sent += k;
                if (k == 0) {
                    Thread.onSpinWait();
                }
            }
            next += n;
        }
        consumer.join(60_000);
        assertThat(consumer.isAlive()).isFalse();
        assertThat(ordered[0]).isTrue();
        assertThat(sum[0]).isEqualTo((long) total * (total - 1) / 2);
    }
}
