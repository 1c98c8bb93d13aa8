/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.os;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The per-wake-up calls (eventfd write and read, epoll_wait) allocate nothing from the first rounds on, not
 * only once C2 has compiled and inlined them (#18, H7's finding: a capturing downcall allocates 40 bytes
 * per call wherever it is not inlined); and errno still comes out right when they fail.
 */
class HotCallsTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /**
     * In a JVM that only interprets ({@code -Xint}): no JIT, so no escape analysis can remove an allocation
     * and none depends on what C2 inlines. Before #18's fix every capturing call allocated 40 bytes here.
     */
    @Test
    void aWakeUpAndAnEmptyDrainAllocateNothingWithoutTheJit() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(java, "-Xint", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Interpreted.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertThat(p.waitFor()).as(out).isZero();
        // Under 1,000 bytes in all: a call that allocated would cost 40 bytes every round, 800,000 in all (the
        // capturing calls did: 4 MB). Not exactly 0: some one-time event in the interpreted JVM costs 160 bytes.
        long bytes = Long.parseLong(out.replaceAll("(?s).*allocated (\\d+) bytes$", "$1"));
        assertThat(bytes).as(out).isLessThan(1_000);
    }

    /** The -Xint JVM's program: prints the bytes 20,000 wake-up rounds allocated after 1,000 rounds of warm-up. */
    public static final class Interpreted {
        public static void main(String[] args) {
            try (EventFd e = EventFd.create(); Epoll ep = new Epoll(1)) {
                ep.add(e.fd(), 7);
                // Once only: class initialisation, the per-thread segments, the lambda forms of the method
                // handles being spun and then customised (after 127 calls).
                wakeUps(e, ep, 1_000);
                THREADS.getCurrentThreadAllocatedBytes(); // its own first call allocates
                long before = THREADS.getCurrentThreadAllocatedBytes();
                wakeUps(e, ep, 20_000);
                System.out.println("20,000 signal/epoll_wait/drain/empty-drain rounds allocated "
                        + (THREADS.getCurrentThreadAllocatedBytes() - before) + " bytes");
            }
        }
    }

    private static void wakeUps(EventFd e, Epoll ep, int rounds) {
        for (int i = 0; i < rounds; i++) {
            e.signal();
            if (ep.await(1000) != 1 || e.drain() != 1 || e.drain() != 0 || ep.await(0) != 0) {
                throw new AssertionError("round " + i + ": the eventfd did not wake and drain as it should");
            }
        }
    }

    @Test
    void failuresStillCarryTheRightErrno() throws Exception {
        try (Arena arena = Arena.ofConfined(); EventFd e = EventFd.create()) {
            MemorySegment u64 = arena.allocate(8, 8);
            assertThat(LibC.readOrErrno(e.fd(), u64, 8)).as("empty non-blocking eventfd").isEqualTo(-Errno.EAGAIN);
            // A failure poll cannot see, on a descriptor with nothing to read, is taken for EAGAIN (HotCalls.wouldBlock);
            // the first read that finds data reports it.
            assertThat(LibC.readOrErrno(e.fd(), u64, 4)).as("eventfd read of 4 bytes, nothing to read").isEqualTo(-Errno.EAGAIN);
            e.signal();
            assertThat(LibC.readOrErrno(e.fd(), u64, 4)).as("eventfd read of 4 bytes, counter 1").isEqualTo(-Errno.EINVAL);
            e.drain();
            assertThat(LibC.readOrErrno(-1, u64, 8)).as("read of fd -1").isEqualTo(-Errno.EBADF);
            u64.set(LibC.U64, 0, -1L); // 2^64-1 is not a value an eventfd accepts
            assertThat(LibC.writeOrErrno(e.fd(), u64, 8)).as("eventfd write of 2^64-1").isEqualTo(-Errno.EINVAL);
            assertThat(LibC.sendOrErrno(e.fd(), MemorySegment.NULL, 0, LibC.MSG_DONTWAIT)).as("sendto an eventfd")
                    .isEqualTo(-88); // ENOTSOCK
            assertThatThrownBy(() -> LibC.epollWait(e.fd(), arena.allocate(LibC.EPOLL_EVENT_SIZE, 8), 1, 10))
                    .isInstanceOf(ErrnoException.class).hasMessageContaining("epoll_wait(epfd " + e.fd())
                    .hasMessageContaining("EINVAL");
        }
    }
}
