/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.os;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The per-burst and per-wake-up libc calls as plain downcalls, without errno capture: they allocate nothing,
 * whether the JIT has compiled or inlined them or not. {@link LibC}'s public wrappers call these first.
 *
 * <p>Why not capture errno here: a capturing downcall slices its capture segment on every call
 * ({@code jdk.internal.foreign.abi.SharedUtils.checkCaptureSegment}, JDK 25) and that 40-byte object goes
 * away only when C2 inlines the whole downcall into the caller, which it does or not depending on the
 * caller's size and inlining depth. Why not read errno after a plain call ({@code __errno_location}): the
 * JDK documents {@code captureCallState} as saving the state "before it can be overwritten by the Java
 * runtime", i.e. the JVM may run libc calls on this thread (a safepoint or handshake on the way back from
 * native code blocks on a futex) between the call's return and any read of errno. So errno is never read
 * after a plain call: a caller that sees -1 either asks {@link #wouldBlock} (a poll that answers in its
 * return value and revents, not errno) or repeats the call through the capturing handle, which is correct
 * because each call here can be repeated after a failure (a failed read or write moved nothing, a kick or
 * a wait is idempotent). Failures are rare or are the would-block case, so the slow path allocating is fine.
 */
final class HotCalls {
    static final short POLLIN = 0x001;
    private static final short POLLERR = 0x008, POLLHUP = 0x010, POLLNVAL = 0x020;

    private static final MethodHandle READ = LibC.plain("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = LibC.plain("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle SENDTO = LibC.plain("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle EPOLL_WAIT = LibC.plain("epoll_wait", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle POLL = LibC.plain("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));

    /** {@code struct pollfd}: int fd, short events, short revents. */
    private static final long POLLFD_SIZE = 8, EVENTS = 4, REVENTS = 6;
    /** One pollfd per thread, made once: the would-block check allocates nothing. */
    private static final ThreadLocal<MemorySegment> POLLFD =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(POLLFD_SIZE, Integer.BYTES));

    private HotCalls() {
    }

    static long read(int fd, MemorySegment buf, long length) {
        try {
            return (long) READ.invokeExact(fd, buf, length);
        } catch (Throwable t) {
            throw LibC.rethrow(t);
        }
    }

    static long write(int fd, MemorySegment buf, long length) {
        try {
            return (long) WRITE.invokeExact(fd, buf, length);
        } catch (Throwable t) {
            throw LibC.rethrow(t);
        }
    }

    static long sendto(int fd, MemorySegment buf, long length, int flags) {
        try {
            return (long) SENDTO.invokeExact(fd, buf, length, flags, MemorySegment.NULL, 0);
        } catch (Throwable t) {
            throw LibC.rethrow(t);
        }
    }

    static int epollWait(int epfd, MemorySegment events, int maxEvents, int timeoutMillis) {
        try {
            return (int) EPOLL_WAIT.invokeExact(epfd, events, maxEvents, timeoutMillis);
        } catch (Throwable t) {
            throw LibC.rethrow(t);
        }
    }

    /**
     * After a read ({@code event} POLLIN) of non-blocking {@code fd} failed: whether it
     * failed because it would block. True when poll says the descriptor is neither ready for {@code event}
     * nor in an error state (POLLERR, POLLHUP, POLLNVAL), which is exactly EAGAIN's condition; false
     * otherwise (ready again, or broken), and then the caller repeats the call capturing errno. A failure
     * poll cannot see (say EFAULT) that coincides with "nothing to read" is reported by the first read that
     * finds data: nothing is lost in between.
     */
    static boolean wouldBlock(int fd, short event) {
        if (fd < 0) {
            return false; // poll ignores a negative fd and reports nothing: the read's EBADF must come through
        }
        MemorySegment pfd = POLLFD.get();
        pfd.set(JAVA_INT, 0, fd);
        pfd.set(JAVA_SHORT, EVENTS, event);
        pfd.set(JAVA_SHORT, REVENTS, (short) 0);
        int n;
        try {
            n = (int) POLL.invokeExact(pfd, 1L, 0);
        } catch (Throwable t) {
            throw LibC.rethrow(t);
        }
        short revents = pfd.get(JAVA_SHORT, REVENTS);
        return n == 0 || (n == 1 && (revents & (event | POLLERR | POLLHUP | POLLNVAL)) == 0);
    }
}
