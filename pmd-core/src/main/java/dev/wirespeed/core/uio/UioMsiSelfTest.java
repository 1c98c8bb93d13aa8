/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.uio;

import dev.wirespeed.core.device.Bar;
import dev.wirespeed.core.device.InterruptMode;
import dev.wirespeed.core.os.Epoll;
import dev.wirespeed.core.os.EventFd;
import dev.wirespeed.core.os.LibC;
import dev.wirespeed.core.pci.PciAddress;
import dev.wirespeed.core.pci.PciSysfs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.wirespeed.core.uio.E1000eChecks.check;
import static dev.wirespeed.core.uio.E1000eChecks.sleep;
import static dev.wirespeed.core.uio.E1000eChecks.step;
import static dev.wirespeed.core.uio.E1000eRegisters.CAUSE_RXQ0;
import static dev.wirespeed.core.uio.E1000eRegisters.ICR;
import static dev.wirespeed.core.uio.E1000eRegisters.ICS;
import static dev.wirespeed.core.uio.E1000eRegisters.IMC;
import static dev.wirespeed.core.uio.E1000eRegisters.IMS;
import static dev.wirespeed.core.uio.E1000eRegisters.IMS_ALL;
import static dev.wirespeed.core.uio.E1000eRegisters.IVAR;
import static dev.wirespeed.core.uio.E1000eRegisters.IVAR_ROUTING;
import static dev.wirespeed.core.uio.E1000eRegisters.STATUS;

/**
 * End-to-end check of the uio_msi backend on a real (or QEMU-emulated) Intel 82574L, the {@code e1000e}
 * model, bound to uio_msi: opens it by PCI address, maps BAR0, reads STATUS, binds an eventfd to vector
 * 0 and makes the device raise that vector, rebinds it to a second eventfd, unbinds it, and checks that
 * bus mastering is off after open (issue 13: a new opener must not resume the last user's DMA), on
 * after a device reset and {@code enableDma()}, and off after close. In between, a poll thread sleeps in pmd-core's
 * {@link dev.wirespeed.core.idle.InterruptIdleStrategy} on vector 0 and the device wakes it (see
 * {@link IdleWakeCheck}); that part prints {@value #IDLE_WAKE_PASSED}. Prints {@value #PASSED} and exits 0
 * only if every step did what it should; otherwise prints {@value #FAILED} with the reason and exits 1.
 *
 * <p>Run as root, e.g. in the QEMU guest of {@code driver/}'s tests:
 * {@code java --enable-native-access=ALL-UNNAMED -cp pmd-core/target/classes dev.wirespeed.core.uio.UioMsiSelfTest 0000:00:03.0}
 */
public final class UioMsiSelfTest {
    static final String PASSED = "UIO_MSI_JAVA_PASSED";
    static final String FAILED = "UIO_MSI_JAVA_FAILED";
    static final String IDLE_WAKE_PASSED = "UIO_MSI_JAVA_IDLE_WAKE_PASSED";
    static final String REMOVAL_NOTICED = "UIO_MSI_JAVA_REMOVAL_NOTICED";


    /** How long a step waits for an interrupt that must not come (it only has to be longer than delivery). */
    private static final int SILENCE_MILLIS = 500;
    /**
     * The idle strategy's epoll timeout, and how long a check waits for a poll thread to fall asleep: far
     * longer than either takes, even in a loaded TCG guest (a wake by interrupt ends the sleep early).
     */
    private static final int IDLE_TIMEOUT_MILLIS = 20_000;
    /** Lets the e1000e's throttle timers expire before an unbind disables MSI-X (QEMU 7.2 aborts otherwise). */
    private static final int E1000E_TIMERS_MILLIS = 300;

    private final PciAddress address;
    private final int timeoutMillis;
    private final Path config;

    private UioMsiSelfTest(PciAddress address, int timeoutMillis) {
        this.address = address;
        this.timeoutMillis = timeoutMillis;
        this.config = PciSysfs.system().deviceDirectory(address).resolve("config");
    }

    public static void main(String[] args) {
        boolean removal = args.length > 0 && args[0].equals("--removal");
        if (removal) {
            args = java.util.Arrays.copyOfRange(args, 1, args.length);
        }
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: UioMsiSelfTest [--removal] PCI_ADDRESS [TIMEOUT_MILLIS]   (an e1000e bound to uio_msi;"
                    + " run as root; --removal unbinds it under a sleeping poll thread and binds it again)");
            System.exit(2);
        }
        String[] arguments = args;
        E1000eChecks.runAndExit(FAILED, () -> {
            UioMsiSelfTest test = new UioMsiSelfTest(PciAddress.parse(arguments[0]),
                    arguments.length == 2 ? Integer.parseInt(arguments[1]) : 10_000);
            if (removal) {
                test.runRemoval();
            } else {
                test.run();
            }
            System.out.println(PASSED);
        });
    }

    private void run() {
        UioMsiFunction f = new UioMsiBackend().open(address);
        try (EventFd first = EventFd.create(); EventFd second = EventFd.create(); Epoll epoll = new Epoll(3)) {
            UioMsiInterrupts irqs = f.interrupts();
            step("opened " + f);
            check(irqs.mode() != InterruptMode.NONE, "uio_msi gave the device no interrupt");
            check(!busMaster(), "bus mastering is on right after open: the device could resume the previous user's DMA");
            step("bus mastering off after open");

            Bar bar0 = f.bar(0);
            int status = bar0.read32(STATUS);
            check(status != -1, "STATUS reads 0xffffffff: BAR0 does not reach the device");
            step(String.format("BAR0 mapped (%d bytes), STATUS = 0x%08x", bar0.size(), status));
            E1000eChecks.resetDevice(bar0);
            f.enableDma();
            check(busMaster(), "bus mastering is still off after enableDma()");
            step("device reset through CTRL.RST, then DMA enabled: bus mastering on");

            epoll.add(first.fd(), 1);
            epoll.add(second.fd(), 2);
            bar0.write32(IVAR, IVAR_ROUTING);

            irqs.bind(0, first);
            raiseVector0(bar0, irqs);
            check(awaitOne(epoll) == 1, "vector 0 did not reach the bound eventfd");
            check(first.drain() >= 1, "the eventfd woke epoll but holds no count");
            step("vector 0 delivered to eventfd " + first.fd());

            irqs.bind(0, second);
            raiseVector0(bar0, irqs);
            check(awaitOne(epoll) == 2, "after rebinding, vector 0 did not reach the new eventfd");
            check(second.drain() >= 1 && first.drain() == 0, "after rebinding, the old eventfd was signalled too");
            step("rebound vector 0 delivered to eventfd " + second.fd() + " only");

            irqs.unbind(0);
            raiseVector0(bar0, irqs);
            check(epoll.await(SILENCE_MILLIS) == 0 && first.drain() == 0 && second.drain() == 0,
                    "an unbound vector still signalled an eventfd");
            step("unbound vector 0 signals nothing");

            try {
                irqs.bind(irqs.count(), first);
                throw new AssertionError("binding vector " + irqs.count() + " of " + irqs.count() + " was accepted");
            } catch (IllegalArgumentException expected) {
                step("out-of-range vector refused: " + expected.getMessage());
            }

            idleStrategyWakesOnVector0(bar0, irqs, epoll);
            bar0.write32(IMC, -1);
        } finally {
            f.close();
        }
        check(!busMaster(), "bus mastering is still on after close: the device could still write into freed memory");
        step("closed: bus mastering off");
    }

    /**
     * Issue 13 point 2: a poll thread sleeps in epoll on vector 0's eventfd; the device is unbound from
     * uio_msi under it. The driver must wake the sleeper (by the eventfd, not the timeout), and this
     * process must notice the removal and say so ({@link UioMsiFunction#removed()}), then close cleanly.
     * Binds the device to uio_msi again at the end, for whatever runs next.
     */
    private void runRemoval() {
        UioMsiFunction f = new UioMsiBackend().open(address);
        boolean closed = false;
        try (EventFd eventFd = EventFd.create(); Epoll epoll = new Epoll(1)) {
            Bar bar0 = f.bar(0);
            E1000eChecks.resetDevice(bar0);
            f.enableDma();
            f.interrupts().bind(0, eventFd);
            epoll.add(eventFd.fd(), 1);
            check(!f.removed(), "removed() is true while the device is bound");
            int[] woken = {-1};
            long[] sleptNanos = {0};
            AtomicInteger sleeperTid = new AtomicInteger();
            Thread sleeper = Thread.ofPlatform().name("removal-sleeper").start(() -> {
                sleeperTid.set(LibC.gettid());
                long t0 = System.nanoTime();
                woken[0] = epoll.await(timeoutMillis);
                sleptNanos[0] = System.nanoTime() - t0;
            });
            sleep(E1000E_TIMERS_MILLIS);
            Path unbind = Path.of("/sys/bus/pci/drivers", UioMsiAbi.DRIVER, "unbind");
            try {
                // Unbind only once the thread really sleeps: the test is about waking a sleeper.
                check(asleepInEpollSoon(sleeperTid, sleeper),
                        "the poll thread was not seen asleep in epoll_wait within " + IDLE_TIMEOUT_MILLIS + " ms");
                write(unbind, address.toString());
                step("unbound " + address + " from uio_msi under the sleeping poll thread");
                sleeper.join(2L * timeoutMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            check(woken[0] == 1, "the poll thread was not woken by the unbind (epoll returned " + woken[0] + " after "
                    + TimeUnit.NANOSECONDS.toMillis(sleptNanos[0]) + " ms)");
            step("poll thread woken by its eventfd " + TimeUnit.NANOSECONDS.toMillis(sleptNanos[0]) + " ms into its sleep");
            check(f.removed(), "removed() is false after the unbind");
            try {
                f.requirePresent();
                throw new AssertionError("requirePresent() did not throw after the unbind");
            } catch (IllegalStateException expected) {
                System.out.println("ok: noticed: " + expected.getMessage());
            }
            f.close();
            closed = true;
            step("closed the removed device cleanly");
        } finally {
            if (!closed) {
                f.close();
            }
            Path bind = Path.of("/sys/bus/pci/drivers", UioMsiAbi.DRIVER, "bind");
            if (!Files.exists(PciSysfs.system().deviceDirectory(address).resolve("driver"))) {
                write(bind, address.toString());
            }
        }
        System.out.println(REMOVAL_NOTICED);
    }

    private static void write(Path file, String value) {
        try {
            Files.writeString(file, value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + value + " to " + file, e);
        }
    }

    /** Waits until {@code thread}, which stores its Linux thread id in {@code tid} first, sleeps in epoll_wait. */
    private static boolean asleepInEpollSoon(AtomicInteger tid, Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(IDLE_TIMEOUT_MILLIS);
        while (tid.get() == 0 && thread.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        return tid.get() != 0 && EpollSleepProbe.awaitAsleepInEpoll(tid.get(), thread, IDLE_TIMEOUT_MILLIS);
    }

    private void idleStrategyWakesOnVector0(Bar bar0, UioMsiInterrupts irqs, Epoll epoll) {
        E1000eChecks.idleStrategyWakesOnVector0(bar0, irqs, epoll, IDLE_TIMEOUT_MILLIS, SILENCE_MILLIS, 0);
        System.out.println(IDLE_WAKE_PASSED);
    }

    /** Clears old causes (a pending cause is not raised again), unmasks, and sets the RxQ0 cause. */
    private static void raiseVector0(Bar bar0, UioMsiInterrupts irqs) {
        bar0.write32(ICR, -1);
        if (irqs.mode() == InterruptMode.INTX) {
            irqs.unmaskIntx(); // the driver masked the line at the last interrupt
        }
        bar0.write32(IMS, IMS_ALL);
        bar0.write32(ICS, CAUSE_RXQ0);
    }

    private int awaitOne(Epoll epoll) {
        return E1000eChecks.awaitOne(epoll, timeoutMillis);
    }

    private boolean busMaster() {
        return E1000eChecks.busMaster(config);
    }
}
