/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.os;

import org.junit.jupiter.api.Test;

import java.util.BitSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventFdEpollTest {
    @Test
    void signalsAccumulateAndDrainResets() {
        try (EventFd e = EventFd.create()) {
            assertThat(e.drain()).isZero();
            e.signal();
            e.signal();
            e.add(5);
            assertThat(e.drain()).isEqualTo(7);
            assertThat(e.drain()).isZero();
        }
    }

    @Test
    void epollReportsTheTokenOfTheSignalledEventFdOnly() {
        try (EventFd a = EventFd.create(); EventFd b = EventFd.create(); Epoll ep = new Epoll(4)) {
            ep.add(a.fd(), 100);
            ep.add(b.fd(), 200);
            assertThat(ep.await(0)).isZero();
            b.signal();
            assertThat(ep.await(1000)).isEqualTo(1);
            assertThat(ep.token(0)).isEqualTo(200);
            b.drain();
            ep.remove(b.fd());
            b.signal();
            assertThat(ep.await(0)).isZero();
        }
    }

    @Test
    void anotherThreadWakesAWaiter() throws Exception {
        try (EventFd e = EventFd.create(); Epoll ep = new Epoll(1)) {
            ep.add(e.fd(), 1);
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ignored) {
                    Thread.currentThread().interrupt();
                }
                e.signal();
            });
            assertThat(ep.await(10_000)).isEqualTo(1);
            t.join();
        }
    }

    @Test
    void epollCtlOnAClosedDescriptorNamesTheCall() {
        EventFd e = EventFd.create();
        e.close();
        int fd = 987654; // not open (a just-closed number could be reused by the epoll itself)
        try (Epoll ep = new Epoll(1)) {
            assertThatThrownBy(() -> ep.add(fd, 1)).isInstanceOf(ErrnoException.class)
                    .hasMessageContaining("epoll_ctl(epfd " + ep.fd() + ", op 1, fd " + fd + ")")
                    .hasMessageContaining("EBADF");
        }
        assertThat(e.isClosed()).isTrue();
    }

    @Test
    void pinningRestrictsTheThreadToTheChosenCpu() throws Exception {
        int[] seen = new int[2];
        BitSet[] affinity = new BitSet[1];
        Thread t = Thread.ofPlatform().start(() -> {
            CpuAffinity.pinCurrentThread(0);
            affinity[0] = CpuAffinity.currentThreadAffinity();
            seen[0] = CpuAffinity.currentCpu();
        });
        t.join();
        assertThat(affinity[0].cardinality()).isEqualTo(1);
        assertThat(affinity[0].get(0)).isTrue();
        assertThat(seen[0]).isZero();
    }
}
