/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.uio;

import dev.wirespeed.core.device.Bar;
import dev.wirespeed.core.device.InterruptMode;
import dev.wirespeed.core.device.InterruptVectors;
import dev.wirespeed.core.idle.IdleCounters;
import dev.wirespeed.core.os.Epoll;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static dev.wirespeed.core.uio.E1000eRegisters.CAUSE_RXQ0;
import static dev.wirespeed.core.uio.E1000eRegisters.ICR;
import static dev.wirespeed.core.uio.E1000eRegisters.IMC;

/**
 * The steps the guest self-tests of both backends (uio_msi's {@link UioMsiSelfTest}, VFIO's VfioSelfTest) take
 * on QEMU's e1000e: resetting it, waiting for one eventfd, reading Bus Master Enable from sysfs, and a poll
 * thread in the interrupt idle strategy woken by the device. Failures are {@link AssertionError}s; each
 * step done prints an {@code ok:} line.
 */
public final class E1000eChecks {
    private static final int PCI_COMMAND = 4;
    private static final int COMMAND_BUS_MASTER = 1 << 2;
    /** The 82574L's device control register and its software reset bit (self-clearing). */
    private static final int CTRL = 0x0000;
    private static final int CTRL_RST = 1 << 26;

    private E1000eChecks() {
    }

    /** The 82574L's software reset (CTRL.RST): what a driver does before it enables DMA. All causes masked after. */
    public static void resetDevice(Bar bar0) {
        bar0.write32(CTRL, CTRL_RST);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while ((bar0.read32(CTRL) & CTRL_RST) != 0) {
            check(System.nanoTime() < deadline, "CTRL.RST did not clear within 1 s");
            Thread.onSpinWait();
        }
        bar0.write32(IMC, -1);
    }

    /** The token of the one eventfd that fires within {@code timeoutMillis}, or 0 if none does. */
    public static int awaitOne(Epoll epoll, int timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return 0;
            }
            int n = epoll.await((int) left);
            if (n > 0) { // 0 is a timeout or a signal; the loop tells them apart by the clock
                check(n == 1, n + " eventfds fired for one interrupt");
                return (int) epoll.token(0);
            }
        }
    }

    /** Bus Master Enable from sysfs's {@code config} (its first 64 bytes are readable by every user). */
    public static boolean busMaster(Path config) {
        try {
            byte[] header = Files.readAllBytes(config);
            int command = (header[PCI_COMMAND] & 0xff) | (header[PCI_COMMAND + 1] & 0xff) << 8;
            return (command & COMMAND_BUS_MASTER) != 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + config, e);
        }
    }

    /**
     * A poll thread sleeps in the interrupt idle strategy over the RxQ0 cause (vector 0) and the device
     * ends the sleep: one wake-up by event, none by timeout, long before the timeout. Afterwards the
     * strategy must have masked the cause again, so new work raises no interrupt until the next sleep.
     *
     * @param settleMillis after binding vector 0, how long to let a message the vector held pending arrive
     *                     before it is drained (VFIO delivers a vector raised while it was unbound on the next
     *                     bind); 0 for none
     */
    public static void idleStrategyWakesOnVector0(Bar bar0, InterruptVectors irqs, Epoll epoll, int idleTimeoutMillis,
                                                  int silenceMillis, int settleMillis) {
        check(irqs.mode() == InterruptMode.MSIX || irqs.mode() == InterruptMode.MSI, "the idle wake-up check needs"
                + " MSI-X or MSI, but the device has " + irqs.mode());
        bar0.write32(IMC, -1); // all causes masked: only the strategy's arm may unmask RxQ0
        bar0.write32(ICR, -1);
        try (E1000eCauseWakeSource source = new E1000eCauseWakeSource(bar0, CAUSE_RXQ0)) {
            irqs.bind(0, source.eventFd());
            if (settleMillis > 0) {
                sleep(settleMillis);
                source.eventFd().drain();
            }
            IdleWakeCheck.Outcome outcome;
            try {
                outcome = new IdleWakeCheck(source, idleTimeoutMillis).run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while the poll thread slept", e);
            }
            IdleCounters c = outcome.counters();
            check(c.sleeps() == 1 && c.wakeUpsByEvent() == 1 && c.wakeUpsByTimeout() == 0
                            && c.wakeUpsByRequest() == 0 && c.skippedSleeps() == 0,
                    "the idle strategy did not sleep once and wake by the device's interrupt: " + c);
            check(outcome.workSeen(), "the poll thread woke but did not find the work the device posted");
            long latencyMillis = TimeUnit.NANOSECONDS.toMillis(outcome.wakeLatencyNanos());
            check(latencyMillis < idleTimeoutMillis / 2, "the wake-up took " + latencyMillis
                    + " ms, not well below the " + idleTimeoutMillis + " ms epoll timeout");
            step("idle strategy woke by vector 0 " + latencyMillis + " ms after the device posted work (" + c + ")");

            epoll.add(source.eventFd().fd(), 3);
            source.post();
            check(epoll.await(silenceMillis) == 0 && source.eventFd().drain() == 0,
                    "after waking, the idle strategy left the RxQ0 cause unmasked: new work still interrupts");
            epoll.remove(source.eventFd().fd());
            check(source.takeWork(), "work posted while disarmed was lost");
            step("disarmed after the wake-up: new work raises no interrupt");
            irqs.unbind(0);
        }
    }

    /**
     * Runs a self-test's {@code main} body and exits: 0 if it returned, 1 after printing {@code failedMarker}, the
     * failure and its stack trace if it threw (a failed check or anything unexpected).
     */
    public static void runAndExit(String failedMarker, Runnable test) {
        int status;
        try {
            test.run();
            status = 0;
        } catch (RuntimeException | AssertionError e) {
            System.out.println(failedMarker + ": " + e);
            e.printStackTrace(System.out);
            status = 1;
        }
        System.exit(status);
    }

    public static void sleep(int millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    public static void check(boolean condition, String failure) {
        if (!condition) {
            throw new AssertionError(failure);
        }
    }

    public static void step(String what) {
        System.out.println("ok: " + what);
    }
}
