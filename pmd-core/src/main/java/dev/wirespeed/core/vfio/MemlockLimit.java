/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.vfio;

import dev.wirespeed.core.dma.DmaException;
import dev.wirespeed.core.os.LibC;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The memory-lock limit as VFIO's type1 IOMMU applies it: every page mapped for DMA is pinned and counted
 * against {@code RLIMIT_MEMLOCK}, unless the process has CAP_IPC_LOCK (root normally has). Checked before
 * mapping, so a too-low limit is one clear message instead of an ENOMEM from the ioctl.
 *
 * @param softLimit     the RLIMIT_MEMLOCK soft limit in bytes, {@link LibC#RLIM_INFINITY} for none
 * @param canLockMemory whether CAP_IPC_LOCK exempts the process from the limit
 */
record MemlockLimit(long softLimit, boolean canLockMemory) {
    /** The capability's bit in /proc/self/status's CapEff mask (linux/capability.h CAP_IPC_LOCK). */
    private static final int CAP_IPC_LOCK = 14;

    static final String FIX = "raise the locked-memory limit of the user running wirespeed: `ulimit -l unlimited` (or a size"
            + " in KiB) in the shell that starts it, or for good a line `USER - memlock unlimited` in"
            + " /etc/security/limits.conf (LimitMEMLOCK=infinity for a systemd service), then log in again";

    /** This process's limit and capabilities. */
    static MemlockLimit system() {
        return new MemlockLimit(LibC.getrlimitSoft(LibC.RLIMIT_MEMLOCK), hasIpcLock(Path.of("/proc/self/status")));
    }

    static boolean hasIpcLock(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("CapEff:")) {
                    long caps = Long.parseUnsignedLong(line.substring("CapEff:".length()).trim(), 16);
                    return (caps & (1L << CAP_IPC_LOCK)) != 0;
                }
            }
            return false;
        } catch (IOException | NumberFormatException e) {
            return false; // unknown: check the limit, as for an unprivileged process
        }
    }

    /**
     * Throws if pinning {@code more} bytes on top of the {@code pinned} this process already has registered
     * would exceed the limit.
     */
    void check(long pinned, long more, String purpose) {
        if (canLockMemory || softLimit == LibC.RLIM_INFINITY || pinned + more <= softLimit) {
            return;
        }
        throw new DmaException("cannot map " + purpose + " (" + kib(more) + " KiB) for VFIO DMA: the device's memory is pinned"
                + " and counts against the locked-memory limit (RLIMIT_MEMLOCK), which is " + kib(softLimit) + " KiB"
                + (pinned > 0 ? ", " + kib(pinned) + " KiB of it already in use" : "") + "; need at least "
                + kib(pinned + more) + " KiB: " + FIX);
    }

    private static long kib(long bytes) {
        return (bytes + 1023) / 1024;
    }
}
