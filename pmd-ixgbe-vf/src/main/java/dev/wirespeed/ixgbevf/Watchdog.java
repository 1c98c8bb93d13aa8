/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

import dev.wirespeed.core.os.Epoll;
import dev.wirespeed.core.os.EventFd;

/**
 * A daemon thread per port that does what a kernel driver's interrupt handler and service timer would:
 * wakes on the mailbox ("misc") interrupt or every {@code watchdogPeriod}, looks for a PF reset or a
 * ping without CTS (and rebuilds the port), follows the link, and every {@code healthCheckPeriod} reads
 * the statistics registers (before they wrap) and checks the tx queues for a hang.
 */
final class Watchdog {
    private static final System.Logger LOG = System.getLogger(Watchdog.class.getName());

    private final IxgbeVfPort port;
    private final EventFd misc;
    private final long periodNanos;
    private final long healthNanos;
    private final Thread thread;
    private volatile boolean running = true;

    Watchdog(IxgbeVfPort port, EventFd misc, IxgbeVfOptions options) {
        this.port = port;
        this.misc = misc;
        this.periodNanos = options.watchdogPeriod().toNanos();
        this.healthNanos = options.healthCheckPeriod().toNanos();
        this.thread = Thread.ofPlatform().daemon().name("ixgbevf-watchdog-" + port.id()).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    void stop() {
        running = false;
        misc.signal();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        long nextHealth = System.nanoTime() + healthNanos;
        try (Epoll epoll = new Epoll(1)) {
            epoll.add(misc.fd(), 0);
            while (running) {
                epoll.await((int) Math.max(1, periodNanos / 1_000_000));
                misc.drain();
                if (!running) {
                    break;
                }
                try {
                    port.checkMailbox();
                    port.rearmMisc();
                    if (System.nanoTime() - nextHealth >= 0) {
                        nextHealth = System.nanoTime() + healthNanos;
                        port.checkHealth();
                    }
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "ixgbevf watchdog of " + port + ": " + e.getMessage(), e);
                }
            }
        }
    }
}
