/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A Linux eventfd: a 64-bit counter the kernel (or another thread) adds to and a reader drains.
 * Interrupt vectors are delivered to eventfds; the interrupt idle strategy sleeps on them with epoll.
 *
 * <p>Non-blocking, so {@link #drain()} never blocks. {@link #signal()} and {@link #drain()} allocate
 * nothing once compiled ({@link SleepPathWarmUp}): the 8-byte transfer buffer is per thread.
 */
public final class EventFd implements AutoCloseable {
    private static final ThreadLocal<MemorySegment> SCRATCH = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(JAVA_LONG));

    private final int fd;
    private volatile boolean closed;

    private EventFd(int fd) {
        this.fd = fd;
    }

    /** Creates a non-blocking, close-on-exec eventfd with counter 0. */
    public static EventFd create() {
        return new EventFd(LibC.eventfd(0, LibC.EFD_NONBLOCK | LibC.EFD_CLOEXEC));
    }

    public int fd() {
        return fd;
    }

    /** Adds 1 to the counter, waking anybody polling the descriptor. */
    public void signal() {
        add(1);
    }

    public void add(long value) {
        MemorySegment buf = SCRATCH.get();
        buf.set(JAVA_LONG, 0, value);
        LibC.write(fd, buf, Long.BYTES);
    }

    /** Reads and resets the counter; returns 0 when nothing was signalled since the last drain. */
    public long drain() {
        MemorySegment buf = SCRATCH.get();
        long n = LibC.readNonBlocking(fd, buf, Long.BYTES);
        return n == Long.BYTES ? buf.get(JAVA_LONG, 0) : 0;
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LibC.close(fd);
        }
    }

    @Override
    public String toString() {
        return "EventFd[fd=" + fd + (closed ? ", closed]" : "]");
    }
}
