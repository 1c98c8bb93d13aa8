/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.os;

/**
 * Gets the system calls of sleeping and waking (epoll_wait, and an eventfd's write and read) compiled by
 * the JIT's top tier before traffic starts: call {@link #ensure()} during an application's warm-up, before
 * its lcores may sleep ({@link dev.wirespeed.core.idle.InterruptIdleStrategy}).
 *
 * <p>Why: a Panama downcall allocates (40–80 bytes a call, measured on JDK 25) until C2 has compiled it;
 * compiled, it allocates nothing. A poll loop makes these calls only when it goes to sleep or is woken,
 * which at low packet rates is a few hundred times a second, so on its own the path reaches C2 only after
 * some 15,000 sleeps and makes garbage on each until then. This makes 20,000 of each call in a row, once
 * per JVM: about 0.3 s of one thread, mostly in the interpreter. Not done implicitly, since not every
 * application wants that at start-up.
 */
public final class SleepPathWarmUp {
    /** Comfortably above C2's invocation threshold (Tier4InvocationThreshold 5000, Tier4CompileThreshold 15000). */
    static final int CALLS = 20_000;

    private SleepPathWarmUp() {
    }

    private static final class Once {
        static {
            run();
        }

        static void ensure() {
            // the static initialiser did the work, exactly once even if several threads get here together
        }
    }

    /** Warms the sleep path up unless that was done already in this JVM; returns when it is done. */
    public static void ensure() {
        Once.ensure();
    }

    private static void run() {
        try (Epoll epoll = new Epoll(1); EventFd fd = EventFd.create()) {
            epoll.add(fd.fd(), 1);
            for (int i = 0; i < CALLS; i++) {
                fd.signal();
                epoll.await(0);
                fd.drain();
            }
        }
    }
}
