/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.vfio;

import dev.wirespeed.core.device.InterruptMode;
import dev.wirespeed.core.device.InterruptVectors;
import dev.wirespeed.core.os.ErrnoException;
import dev.wirespeed.core.os.EventFd;
import dev.wirespeed.core.pci.PciAddress;

import java.util.Arrays;

/**
 * A function's interrupt vectors through {@code VFIO_DEVICE_SET_IRQS}: each vector's eventfd set with
 * {@code DATA_EVENTFD | ACTION_TRIGGER}. The mode is the best the device offers: MSI-X (all its vectors), else
 * MSI (one vector), else INTx (one, automasked by the kernel: {@link #unmaskIntx()} after each interrupt).
 *
 * <p>Why the first bind enables every vector: before Linux 6.5, vfio-pci cannot add MSI-X vectors to an enabled
 * index (its IRQ info says NORESIZE, flags 0x9 measured on 6.1; 6.12 reports 0x1); enabling the whole table at
 * once, unbound vectors with fd -1, works on both, and later binds change one vector each.
 * Closing the device fd frees every vector; nothing here needs undoing before that.
 */
final class VfioInterrupts implements InterruptVectors {
    /** One SET_IRQS call: {@code fds} null means DATA_NONE. */
    @FunctionalInterface
    interface IrqSetter {
        void setIrqs(int flags, int index, int start, int count, int[] fds);
    }

    private final PciAddress address;
    private final IrqSetter setter;
    private final InterruptMode mode;
    private final int index;
    private final int count;
    private final int[] bound; // eventfd per vector, -1 when unbound
    private boolean enabled;

    VfioInterrupts(PciAddress address, IrqSetter setter, InterruptMode mode, int count) {
        this.address = address;
        this.setter = setter;
        this.mode = mode;
        this.index = switch (mode) {
            case MSIX -> VfioAbi.PCI_MSIX_IRQ_INDEX;
            case MSI -> VfioAbi.PCI_MSI_IRQ_INDEX;
            case INTX, NONE -> VfioAbi.PCI_INTX_IRQ_INDEX;
        };
        this.count = mode == InterruptMode.NONE ? 0 : mode == InterruptMode.MSIX ? count : Math.min(count, 1);
        this.bound = new int[this.count];
        Arrays.fill(bound, -1);
    }

    /**
     * The mode from each index's VFIO_DEVICE_GET_IRQ_INFO count (MSI-X, MSI, INTx), first non-zero wins; a
     * zero count means the device lacks it (INTx also reads 0 when the function has no pin).
     */
    static InterruptMode choose(int msixCount, int msiCount, int intxCount) {
        return msixCount > 0 ? InterruptMode.MSIX : msiCount > 0 ? InterruptMode.MSI
                : intxCount > 0 ? InterruptMode.INTX : InterruptMode.NONE;
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
    public synchronized void bind(int vector, EventFd eventFd) {
        InterruptVectors.requireOpen(eventFd, vector, address);
        checkVector(vector);
        if (!enabled) {
            int[] all = bound.clone();
            all[vector] = eventFd.fd();
            set(VfioAbi.IRQ_SET_DATA_EVENTFD | VfioAbi.IRQ_SET_ACTION_TRIGGER, 0, count, all, "enable " + this
                    + " with vector " + vector + " on eventfd " + eventFd.fd());
            enabled = true;
        } else {
            set(VfioAbi.IRQ_SET_DATA_EVENTFD | VfioAbi.IRQ_SET_ACTION_TRIGGER, vector, 1, new int[] {eventFd.fd()},
                    "bind vector " + vector + " to eventfd " + eventFd.fd());
        }
        bound[vector] = eventFd.fd();
    }

    @Override
    public synchronized void unbind(int vector) {
        checkVector(vector);
        if (!enabled || bound[vector] < 0) {
            return;
        }
        set(VfioAbi.IRQ_SET_DATA_EVENTFD | VfioAbi.IRQ_SET_ACTION_TRIGGER, vector, 1, new int[] {-1}, "unbind vector " + vector);
        bound[vector] = -1;
    }

    /**
     * In INTx mode: unmasks the line once the device's interrupt cause is cleared. vfio-pci masks the line on
     * every interrupt (it may be shared with another device), so an INTx user calls this after servicing each
     * one; in MSI and MSI-X modes it does nothing.
     */
    public synchronized void unmaskIntx() {
        if (mode == InterruptMode.INTX && enabled) {
            set(VfioAbi.IRQ_SET_DATA_NONE | VfioAbi.IRQ_SET_ACTION_UNMASK, 0, 1, null, "unmask INTx");
        }
    }

    private void checkVector(int vector) {
        if (count == 0) {
            throw new IllegalArgumentException("cannot use vector " + vector + " of " + address
                    + ": vfio-pci reports no usable interrupt (no MSI-X, no MSI, no INTx pin)");
        }
        if (vector < 0 || vector >= count) {
            throw new IllegalArgumentException("vector " + vector + " is out of range for " + address + ": it has "
                    + count + " " + mode + " vector" + (count == 1 ? "" : "s") + " (0-" + (count - 1) + ")");
        }
    }

    private void set(int flags, int start, int n, int[] fds, String what) {
        try {
            setter.setIrqs(flags, index, start, n, fds);
        } catch (ErrnoException e) {
            throw new ErrnoException(e.call() + " [VFIO_DEVICE_SET_IRQS " + VfioAbi.irqIndexName(index) + " start " + start
                    + " count " + n + "]", e.errno(), "Cannot " + what + " of " + address
                    + "; `dmesg | grep vfio` may say why (an fd that is not an eventfd is EINVAL)");
        }
    }

    @Override
    public String toString() {
        return count + " " + mode + " vector" + (count == 1 ? "" : "s") + " of " + address;
    }
}
