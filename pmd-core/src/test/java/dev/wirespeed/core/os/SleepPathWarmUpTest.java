/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.os;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

class SleepPathWarmUpTest {
    /**
     * After the warm-up, a sleep's system calls allocate nothing. Checked here apart from the warm-up's own
     * check, with too few calls (at most 2,000) to reach C2 without the warm-up, below which every downcall
     * allocates. (Other tests in the same JVM may have warmed these calls up too.)
     */
    @Test
    void afterTheWarmUpSleepingAndWakingAllocateNothing() throws InterruptedException {
        assertThat(SleepPathWarmUp.ensure()).as("the warm-up's own check").isTrue();
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocated = -1;
        try (Epoll epoll = new Epoll(1); EventFd fd = EventFd.create()) {
            epoll.add(fd.fd(), 7);
            for (int attempt = 0; attempt < 20 && allocated != 0; attempt++) {
                Thread.sleep(100);
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 100; i++) {
                    fd.signal();
                    epoll.await(0);
                    fd.drain();
                }
                allocated = threads.getCurrentThreadAllocatedBytes() - before;
            }
            assertThat(allocated).as("bytes allocated by 100 signal + epoll_wait + drain").isZero();
            fd.signal();
            assertThat(epoll.await(0)).isEqualTo(1);
            assertThat(epoll.token(0)).isEqualTo(7);
            assertThat(fd.drain()).isEqualTo(1);
        }
    }
}
