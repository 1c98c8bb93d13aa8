/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.uio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Tells whether another thread of this process is asleep in {@code epoll_wait} right now, from
 * {@code /proc/self/task/<tid>/syscall}: the kernel shows the number of the system call a blocked thread
 * sits in, and "running" for one that runs. The guest self-tests wait on this rather than for a fixed
 * time, so that "the device wakes a sleeping poll thread" still tests a sleeping thread when a loaded
 * TCG guest deschedules the poll thread for longer than any fixed delay.
 */
final class EpollSleepProbe {
    /**
     * {@code epoll_wait}, {@code epoll_pwait}, {@code epoll_pwait2}: x86-64's own numbers
     * (arch/x86/entry/syscalls/syscall_64.tbl), else the generic table's (include/uapi/asm-generic/unistd.h,
     * arm64 and riscv64), which has no plain {@code epoll_wait}.
     */
    private static final Set<Integer> EPOLL_WAITS = switch (System.getProperty("os.arch")) {
        case "amd64", "x86_64" -> Set.of(232, 281, 441);
        default -> Set.of(22, 441);
    };

    private EpollSleepProbe() {
    }

    /** Whether Linux thread {@code tid} of this process is blocked in an epoll wait now. */
    static boolean asleepInEpoll(int tid) {
        Path file = Path.of("/proc/self/task/" + tid + "/syscall");
        String state;
        try {
            state = Files.readString(file).strip();
        } catch (NoSuchFileException e) {
            throw new IllegalStateException(file + " does not exist: thread " + tid
                    + " has ended, or the kernel lacks CONFIG_HAVE_ARCH_TRACEHOOK", e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
        int space = state.indexOf(' ');
        String number = space < 0 ? state : state.substring(0, space);
        // "running", or "-1 ..." for a thread blocked outside a system call (e.g. on a page fault).
        return !number.isEmpty() && Character.isDigit(number.charAt(0))
                && EPOLL_WAITS.contains(Integer.parseInt(number));
    }

    /**
     * Waits until thread {@code tid} sleeps in an epoll wait; false if {@code thread} ended or
     * {@code timeoutMillis} passed first.
     */
    static boolean awaitAsleepInEpoll(int tid, Thread thread, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (thread.isAlive() && System.nanoTime() < deadline) {
            try {
                if (asleepInEpoll(tid)) {
                    return true;
                }
            } catch (IllegalStateException e) {
                if (thread.isAlive()) {
                    throw e;
                }
                return false; // it ended between the two looks
            }
            Thread.sleep(1);
        }
        return false;
    }
}
