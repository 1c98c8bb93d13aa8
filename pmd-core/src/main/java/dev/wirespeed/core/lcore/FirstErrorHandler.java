/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.lcore;

import org.agrona.ErrorHandler;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps the first error an lcore's agent threw and counts all of them. Only the first is printed:
 * a poll loop that fails once usually fails on every iteration, and millions of stack traces would
 * hide the one that explains it.
 */
final class FirstErrorHandler implements ErrorHandler {
    private final String lcoreName;
    private final PrintStream out;
    private final AtomicReference<Throwable> first = new AtomicReference<>();
    private final AtomicLong count = new AtomicLong();

    FirstErrorHandler(String lcoreName, PrintStream out) {
        this.lcoreName = lcoreName;
        this.out = out;
    }

    @Override
    public void onError(Throwable error) {
        count.incrementAndGet();
        if (first.compareAndSet(null, error)) {
            out.println("lcore '" + lcoreName + "': first error (later ones are only counted):");
            error.printStackTrace(out);
        }
    }

    Throwable first() {
        return first.get();
    }

    long count() {
        return count.get();
    }
}
