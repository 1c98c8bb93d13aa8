/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.dma;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The thread an emulated device's DMA runs on: polls its engines in turn; when none has work, spins a
 * little, then naps briefly, so an idle emulator does not burn a core while a busy one never sleeps.
 * It keeps account of the time spent in passes that did work ({@link #busyNanos()}).
 */
public final class DeviceThread implements AutoCloseable {
    /**
     * Idle passes before napping. A forwarding loop leaves the device idle for stretches while the driver
     * thread is busy or descheduled; napping then (a park costs tens of µs to wake from) halved the
     * forwarded rate, so the spin phase lasts some milliseconds. An idle emulator still naps after it.
     */
    private static final int SPINS_BEFORE_NAP = 200_000;
    private static final long NAP_NANOS = 20_000;

    private volatile DeviceWork[] engines; // replaced whole by add/remove, read once per pass
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Throwable failure;
    private final String name;
    private volatile long passes; // completed passes: remove() waits for one that began after the change
    @SuppressWarnings("unused") private volatile long busyNanos, elapsedNanos;
    private static final VarHandle BUSY, ELAPSED, PASSES;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            BUSY = l.findVarHandle(DeviceThread.class, "busyNanos", long.class);
            ELAPSED = l.findVarHandle(DeviceThread.class, "elapsedNanos", long.class);
            PASSES = l.findVarHandle(DeviceThread.class, "passes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public DeviceThread(String name, List<? extends DeviceWork> engines) {
        this.engines = engines.toArray(DeviceWork[]::new); // an array: iterating a List allocated an iterator per loop
        this.name = name;
        this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::run);
    }

    public DeviceThread start() {
        thread.start();
        return this;
    }

    private void run() {
        int idle = 0;
        long started = System.nanoTime();
        long busy = 0;
        long passStart = started;
        try {
            while (running) {
                int work = 0;
                DeviceWork[] e = engines;
                for (int i = 0; i < e.length; i++) {
                    work += e[i].doWork();
                }
                PASSES.setRelease(this, passes + 1);
                long now = System.nanoTime(); // ~20 ns a pass: small next to a pass that moves frames
                if (work > 0) {
                    busy += now - passStart;
                    BUSY.setRelease(this, busy);
                }
                ELAPSED.setRelease(this, now - started); // release stores are plain stores on x86
                passStart = now;
                if (work > 0) {
                    idle = 0;
                } else if (++idle < SPINS_BEFORE_NAP) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.parkNanos(NAP_NANOS);
                    passStart = System.nanoTime();
                    ELAPSED.setRelease(this, passStart - started);
                }
            }
        } catch (Throwable t) {
            failure = t; // surfaced by close(): a model bug must not vanish with its thread
        }
    }

    /**
     * Time spent in passes that moved something, since the thread started: with {@link #elapsedNanos()},
     * how busy the emulator was (a benchmark uses it to show the emulator was not the limit).
     */
    public long busyNanos() {
        return (long) BUSY.getAcquire(this);
    }

    /** Time since the thread started, as of its last pass. */
    public long elapsedNanos() {
        return (long) ELAPSED.getAcquire(this);
    }

    /** Adds work to a running thread (another device sharing it); it runs from the next pass. */
    public synchronized void add(DeviceWork work) {
        DeviceWork[] e = engines;
        DeviceWork[] more = Arrays.copyOf(e, e.length + 1);
        more[e.length] = work;
        engines = more;
    }

    /**
     * Removes work and returns once the thread no longer runs it (a pass that began after the removal has
     * ended), so the caller may free what the work uses. Returns whether any work is left.
     */
    public boolean remove(DeviceWork work) {
        synchronized (this) {
            engines = Arrays.stream(engines).filter(w -> w != work).toArray(DeviceWork[]::new);
        }
        long seen = (long) PASSES.getAcquire(this);
        long deadline = System.nanoTime() + 10_000_000_000L;
        // two passes: the one running now may have read the old array; the next one cannot have
        while ((long) PASSES.getAcquire(this) < seen + 2 && thread.isAlive()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("emulator device thread " + name + " did not finish a pass in 10 s");
            }
            LockSupport.parkNanos(10_000);
        }
        return engines.length > 0;
    }

    public String name() {
        return name;
    }

    /** The exception that stopped the thread, or null. */
    public Throwable failure() {
        return failure;
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw new IllegalStateException("emulator device thread " + thread.getName() + " failed", failure);
        }
    }
}
