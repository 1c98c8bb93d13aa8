/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * An epoll instance watching descriptors for readability, each registered with a caller-chosen
 * {@code long} token that {@link #token(int)} returns for ready events. Owned by one thread:
 * {@link #await(int)} reuses one event array and allocates nothing once compiled ({@link SleepPathWarmUp}).
 */
public final class Epoll implements AutoCloseable {
    /** The u64 data of a packed {@code epoll_event}: 4-byte aligned. A constant, so reading it allocates nothing. */
    private static final ValueLayout.OfLong EVENT_DATA = JAVA_LONG.withByteAlignment(4);
    private final int epfd;
    private final int capacity;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment events;
    private final MemorySegment ctlEvent;
    private boolean closed;

    /** @param capacity the most events one {@link #await} reports. */
    public Epoll(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("epoll capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
        this.epfd = LibC.epollCreate1(LibC.EPOLL_CLOEXEC);
        this.events = arena.allocate(LibC.EPOLL_EVENT_SIZE * capacity, 8);
        this.ctlEvent = arena.allocate(LibC.EPOLL_EVENT_SIZE, 8);
    }

    /** Watches {@code fd} for input; ready events carry {@code token}. */
    public void add(int fd, long token) {
        ctlEvent.set(JAVA_INT, 0, LibC.EPOLLIN);
        ctlEvent.set(EVENT_DATA, 4, token);
        LibC.epollCtl(epfd, LibC.EPOLL_CTL_ADD, fd, ctlEvent);
    }

    public void remove(int fd) {
        LibC.epollCtl(epfd, LibC.EPOLL_CTL_DEL, fd, MemorySegment.NULL);
    }

    /**
     * Waits up to {@code timeoutMillis} (-1 = forever, 0 = poll) for watched descriptors to become
     * readable. Returns how many are ready (0 on timeout or a signal); read their tokens with {@link #token}.
     */
    public int await(int timeoutMillis) {
        return LibC.epollWait(epfd, events, capacity, timeoutMillis);
    }

    /** The token of ready event {@code i} (0 ≤ i < the last {@link #await} result). */
    public long token(int i) {
        return events.get(EVENT_DATA, i * LibC.EPOLL_EVENT_SIZE + 4);
    }

    public int fd() {
        return epfd;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LibC.close(epfd);
            arena.close();
        }
    }
}
