/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.uio;

import dev.wirespeed.core.device.InterruptMode;

/**
 * The user-space ABI of the {@code uio_msi} kernel driver, as {@code driver/uapi/uio_msi.h} defines it:
 * the command word written to {@code /dev/uioN} and the sysfs names. The stock UIO core has no ioctl,
 * so every request is one {@code write()} of a 32-bit word the core hands to the driver in the writer's
 * process context (which is how the driver can look up our eventfd number).
 */
public final class UioMsiAbi {
    /** The kernel driver's name, as in {@code /sys/bus/pci/drivers/uio_msi}. */
    public static final String DRIVER = "uio_msi";

    /** The most vectors the command word can address. */
    public static final int MAX_VECTORS = 256;

    static final int OP_SHIFT = 28;
    static final int OP_MASK = 0x7;
    static final int VECTOR_SHIFT = 20;
    static final int VECTOR_MASK = 0xff;
    static final int FD_MASK = 0xfffff;
    /**
     * The highest eventfd number the word can carry: 1048575, the highest descriptor the default
     * {@code fs.nr_open} allows. Every value of the fd field is a descriptor; unbinding is its own op.
     */
    public static final int MAX_FD = FD_MASK;

    static final int OP_INTX = 0;
    static final int OP_SET_EVENTFD = 1;
    static final int OP_UNBIND_EVENTFD = 2;
    static final int OP_DMA = 3;
    /**
     * Turns bus mastering on. The driver opens a device with it off (the device may still hold the last
     * user's ring addresses); send this after resetting the device and programming it.
     */
    public static final int CMD_DMA_ENABLE = (OP_DMA << OP_SHIFT) | 1;
    /** Turns bus mastering off again (the last close always does). */
    public static final int CMD_DMA_DISABLE = OP_DMA << OP_SHIFT;
    static final int OP_CHECK = 4;
    /**
     * Does nothing while the device is bound; fails with ENODEV (EIO once the UIO device is gone) after
     * an unbind or hot-unplug, which also signals every bound eventfd once and invalidates the BAR
     * mappings.
     */
    public static final int CMD_CHECK = OP_CHECK << OP_SHIFT;
    /** Masks the INTx line (only valid in INTx mode). */
    public static final int CMD_INTX_MASK = 0;
    /** Unmasks the INTx line after the device's cause was cleared (a no-op in MSI and MSI-X modes). */
    public static final int CMD_INTX_UNMASK = 1;

    /** Per-device attributes, relative to the PCI device's sysfs directory. */
    static final String SYSFS_IRQ_MODE = "uio_msi/irq_mode";
    static final String SYSFS_NUM_VECTORS = "uio_msi/num_vectors";
    /** The opt-in module parameter; without it the driver refuses to bind any device. */
    static final String PARAM_ALLOW_UNSAFE_DMA = "module/uio_msi/parameters/allow_unsafe_dma";

    private UioMsiAbi() {
    }

    /**
     * The word that binds {@code fd} to {@code vector}. Unlike the C macro (which yields a word the
     * driver refuses) this throws for arguments that do not fit: a truncated vector or fd would silently
     * address another vector or descriptor.
     */
    public static int setEventFd(int vector, int fd) {
        checkVector(vector);
        if (fd < 0 || fd > MAX_FD) {
            throw new IllegalArgumentException("file descriptor " + fd + " cannot be encoded: the uio_msi command word"
                    + " carries 0-" + MAX_FD);
        }
        return (OP_SET_EVENTFD << OP_SHIFT) | (vector << VECTOR_SHIFT) | fd;
    }

    /** The word that unbinds {@code vector}'s eventfd (its fd field is 0). */
    public static int unbindEventFd(int vector) {
        checkVector(vector);
        return (OP_UNBIND_EVENTFD << OP_SHIFT) | (vector << VECTOR_SHIFT);
    }

    private static void checkVector(int vector) {
        if (vector < 0 || vector >= MAX_VECTORS) {
            throw new IllegalArgumentException("vector " + vector + " cannot be encoded: uio_msi addresses vectors 0-"
                    + (MAX_VECTORS - 1));
        }
    }

    /** Parses the {@code irq_mode} attribute ({@code msix}, {@code msi}, {@code intx}, {@code none}). */
    static InterruptMode parseMode(String text) {
        return switch (text) {
            case "msix" -> InterruptMode.MSIX;
            case "msi" -> InterruptMode.MSI;
            case "intx" -> InterruptMode.INTX;
            case "none" -> InterruptMode.NONE;
            default -> throw new IllegalArgumentException("unknown interrupt mode '" + text
                    + "' (expected msix, msi, intx or none); is the uio_msi module newer than this library?");
        };
    }

    /** A command word as the kernel would print it, for messages. */
    static String describe(int word) {
        int op = (word >>> OP_SHIFT) & OP_MASK;
        int vector = (word >>> VECTOR_SHIFT) & VECTOR_MASK;
        if (word >= 0 && op == OP_SET_EVENTFD) {
            return String.format("0x%08x (set vector %d to eventfd %d)", word, vector, word & FD_MASK);
        }
        if (word >= 0 && op == OP_UNBIND_EVENTFD) {
            return String.format("0x%08x (unbind vector %d)", word, vector);
        }
        return String.format("0x%08x (%s)", word, word == CMD_INTX_MASK ? "mask INTx"
                : word == CMD_INTX_UNMASK ? "unmask INTx" : word == CMD_DMA_ENABLE ? "enable DMA"
                : word == CMD_DMA_DISABLE ? "disable DMA" : word == CMD_CHECK ? "check" : "unknown command");
    }
}
