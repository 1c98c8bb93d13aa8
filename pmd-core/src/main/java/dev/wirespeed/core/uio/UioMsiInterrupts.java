/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.uio;

import dev.wirespeed.core.device.InterruptMode;
import dev.wirespeed.core.device.InterruptVectors;
import dev.wirespeed.core.os.Errno;
import dev.wirespeed.core.os.ErrnoException;
import dev.wirespeed.core.os.EventFd;
import dev.wirespeed.core.pci.PciAddress;


/**
 * The interrupt vectors uio_msi gave one device, bound to eventfds by writing command words to its
 * {@code /dev/uioN}. Arguments are checked here first, so the kernel's errno is only the answer for
 * what user space cannot know (an fd that is not an eventfd, a device being removed); each errno is
 * turned into a message that says what happened.
 *
 * <p>Bindings last as long as the device is open: the driver drops them all on the last close.
 */
public final class UioMsiInterrupts implements InterruptVectors {
    /** Linux's ERANGE, the driver's answer to a vector beyond its count ({@link Errno} has no name for it). */
    static final int ERANGE = 34;

    private final PciAddress address;
    private final CommandWriter writer;
    private final InterruptMode mode;
    private final int count;

    /** Sends one command word to the driver ({@link UioFile#writeCommand}; tests answer with errnos of their choice). */
    @FunctionalInterface
    interface CommandWriter {
        void write(int word);
    }

    UioMsiInterrupts(PciAddress address, CommandWriter writer, InterruptMode mode, int count) {
        this.address = address;
        this.writer = writer;
        this.mode = mode;
        this.count = count;
    }

    @Override
    public int count() {
        return count;
    }

    @Override
    public InterruptMode mode() {
        return mode;
    }

    @Override
    public void bind(int vector, EventFd eventFd) {
        InterruptVectors.requireOpen(eventFd, vector, address);
        checkVector(vector);
        if (eventFd.fd() > UioMsiAbi.MAX_FD) {
            throw new IllegalArgumentException("cannot bind vector " + vector + " of " + address + " to eventfd " + eventFd.fd()
                    + ": uio_msi's command word carries descriptors up to " + UioMsiAbi.MAX_FD
                    + " (the default fs.nr_open allows no higher); lower the open-file limit (ulimit -n) so new"
                    + " descriptors get smaller numbers");
        }
        send(UioMsiAbi.setEventFd(vector, eventFd.fd()), "bind vector " + vector + " to eventfd " + eventFd.fd());
    }

    @Override
    public void unbind(int vector) {
        checkVector(vector);
        send(UioMsiAbi.unbindEventFd(vector), "unbind vector " + vector);
    }

    /**
     * In INTx mode: unmasks the line once the device's interrupt cause is cleared. The driver masks the
     * line on every interrupt (it may be shared), so an INTx user sends this after servicing each event;
     * in MSI and MSI-X modes it does nothing.
     */
    public void unmaskIntx() {
        send(UioMsiAbi.CMD_INTX_UNMASK, "unmask INTx");
    }

    /** In INTx mode: masks the line; refused in the other modes, where there is no line to mask. */
    public void maskIntx() {
        if (mode != InterruptMode.INTX) {
            throw new IllegalStateException("cannot mask INTx of " + address + ": its interrupts are "
                    + mode + ", not INTX; mask at the device (its interrupt mask register) instead");
        }
        send(UioMsiAbi.CMD_INTX_MASK, "mask INTx");
    }

    private void checkVector(int vector) {
        if (count == 0) {
            throw new IllegalArgumentException("cannot use vector " + vector + " of " + address
                    + ": uio_msi found no usable interrupt (irq_mode is none: no MSI-X, no MSI, and no maskable INTx)");
        }
        if (vector < 0 || vector >= count) {
            throw new IllegalArgumentException("vector " + vector + " is out of range for " + address + ": uio_msi gave it "
                    + count + " " + mode + " vector" + (count == 1 ? "" : "s") + " (0-" + (count - 1) + ")");
        }
    }

    private void send(int word, String what) {
        try {
            writer.write(word);
        } catch (ErrnoException e) {
            throw new ErrnoException(e.call() + " of " + UioMsiAbi.describe(word), e.errno(),
                    "Cannot " + what + " of " + address + ": " + explain(e.errno(), word));
        }
    }

    private String explain(int errno, int word) {
        return switch (errno) {
            case ERANGE -> "the driver has fewer vectors than the " + count + " read from sysfs at open;"
                    + " was the device rebound since? Close and reopen it";
            case Errno.EBADF -> "the eventfd is not open in this process (closed while binding?)";
            case Errno.EINVAL -> word == UioMsiAbi.CMD_INTX_MASK
                    ? "the device is not in INTx mode"
                    : "the descriptor is not an eventfd, or the uio_msi module does not understand this command word"
                            + " (module and library from different versions?)";
            case Errno.ENODEV, Errno.EIO -> "the device is being removed from uio_msi (unbound or unplugged);"
                    + " close it, rebind it with bin/devbind --bind uio_msi " + address + " and reopen";
            default -> "unexpected answer from uio_msi; `dmesg | grep uio_msi` may say more";
        };
    }

    @Override
    public String toString() {
        return count + " " + mode + " vector" + (count == 1 ? "" : "s") + " of " + address;
    }
}
