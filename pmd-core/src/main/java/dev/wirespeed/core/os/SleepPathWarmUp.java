/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.os;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Gets the system calls of sleeping and waking (epoll_wait, and an eventfd's write and read) compiled by
 * the JIT's top tier before traffic starts: call {@link #ensure()} during an application's warm-up, before
 * its lcores may sleep ({@link dev.wirespeed.core.idle.InterruptIdleStrategy}).
 *
 * <p>Why: these calls no longer allocate even interpreted (plain downcalls since #18, see {@code HotCalls});
 * what is left is speed: the interpreted path is slower. Before, an errno-capturing downcall allocated
 * (40–80 bytes a call, measured on JDK 25) until C2 had compiled it. A poll loop makes these calls only when it goes to sleep or is woken,
 * which at low packet rates is a few hundred times a second, so on its own the path reaches C2 only after
 * some 15,000 sleeps and makes garbage on each until then. This makes 20,000 of each call in a row, once
 * per JVM, down both ways each call can go (an event ready or not, a counter to read or EAGAIN: a branch
 * never taken while compiling would send the compiled code back to the interpreter the first time it is),
 * then checks that the calls no longer allocate: about 0.3 s of one thread, mostly in the interpreter.
 * Not done implicitly, since not every application wants that at start-up.
 */
public final class SleepPathWarmUp {
    private static final System.Logger LOG = System.getLogger(SleepPathWarmUp.class.getName());
    /** Comfortably above C2's invocation threshold (Tier4InvocationThreshold 5000, Tier4CompileThreshold 15000). */
    static final int CALLS = 20_000;
    /** How long to wait for the compiler, which works in the background, before saying the path still allocates. */
    private static final long COMPILE_PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(5);

    private SleepPathWarmUp() {
    }

    private static final class Once {
        static final boolean GARBAGE_FREE = run(); // a class initialiser: once, even with several threads calling
    }

    /**
     * Warms the sleep path up unless that was done already in this JVM; returns when it is done, true if
     * sleeping and waking were then measured to allocate nothing (false, and a warning logged, if the JIT
     * had not compiled them within a few seconds: a busy machine, or a JVM without C2).
     */
    public static boolean ensure() {
        return Once.GARBAGE_FREE;
    }

    private static boolean run() {
        try (Epoll epoll = new Epoll(1); EventFd fd = EventFd.create()) {
            epoll.add(fd.fd(), 1);
            for (int i = 0; i < CALLS; i++) {
                cycle(epoll, fd);
            }
            var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long deadline = System.nanoTime() + COMPILE_PATIENCE_NANOS;
            while (true) {
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 100; i++) {
                    cycle(epoll, fd);
                }
                if (threads.getCurrentThreadAllocatedBytes() == before) {
                    return true;
                }
                if (System.nanoTime() - deadline > 0) {
                    LOG.log(System.Logger.Level.WARNING, "the sleep path (epoll_wait, eventfd read/write) still allocates after "
                            + CALLS + " warm-up calls and " + TimeUnit.NANOSECONDS.toSeconds(COMPILE_PATIENCE_NANOS)
                            + " s: the JIT has not compiled it yet; sleeping lcores make a little garbage until it has");
                    return false;
                }
                LockSupport.parkNanos(10_000_000); // the compiler runs in the background
            }
        }
    }

    /** One sleep's calls, both ways: a signalled wait and drain, then an empty wait and drain (EAGAIN). */
    private static void cycle(Epoll epoll, EventFd fd) {
        fd.signal();
        epoll.await(0);
        fd.drain();
        epoll.await(0);
        fd.drain();
    }
}
