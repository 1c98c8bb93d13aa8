/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Fails a test class that leaves emulator or driver threads running once it is done: device threads
 * ({@code emu-…}, {@code emu-thread-…}, or a test's own {@code emu…}), fault schedulers ({@code emu-faults-…}),
 * the VF driver's watchdog ({@code ixgbevf-watchdog-…}). A device thread left behind goes on spinning and
 * napping, taking CPU from every later test and widening their race windows on a two-CPU machine. Threads
 * that stop asynchronously (a fault scheduler after shutdownNow) get a few seconds. The emulator's timer
 * thread ({@code emulator-timer}) is one per JVM by design and parks while no timer is armed.
 *
 * <p>Applies to every test class of this module: registered in META-INF/services and enabled by
 * {@code junit.jupiter.extensions.autodetection.enabled} in junit-platform.properties. (The same class is
 * in the emulator and pmd-ixgbe-vf test trees: test code is not shared between modules.)
 */
public final class ThreadLeakCheck implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(ThreadLeakCheck.class);
    private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(10);

    static boolean watched(Thread t) {
        String name = t.getName();
        return name.startsWith("emu") && !name.equals("emulator-timer") || name.startsWith("ixgbevf-watchdog");
    }

    private static Set<Thread> watchedAlive() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && watched(t)).collect(Collectors.toSet());
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NS).put("before", watchedAlive());
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        @SuppressWarnings("unchecked")
        Set<Thread> before = (Set<Thread>) context.getStore(NS).get("before");
        long deadline = System.nanoTime() + GRACE_NANOS;
        List<Thread> left;
        while (!(left = watchedAlive().stream().filter(t -> before == null || !before.contains(t)).toList()).isEmpty()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(context.getRequiredTestClass().getSimpleName() + " left " + left.size()
                        + " emulator/driver thread(s) running " + TimeUnit.NANOSECONDS.toSeconds(GRACE_NANOS) + " s after its last test: "
                        + left.stream().map(ThreadLeakCheck::describe).collect(Collectors.joining("; ")));
            }
            Thread.sleep(10);
        }
    }

    private static String describe(Thread t) {
        return "'" + t.getName() + "' (" + t.getState() + ") at "
                + Arrays.stream(t.getStackTrace()).limit(5).map(String::valueOf).collect(Collectors.joining(" <- "));
    }
}
