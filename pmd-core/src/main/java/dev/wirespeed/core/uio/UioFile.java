/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.uio;

import dev.wirespeed.core.os.Errno;
import dev.wirespeed.core.os.ErrnoException;
import dev.wirespeed.core.os.LibC;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The open {@code /dev/uioN} descriptor of a uio_msi device: command words go in through
 * {@link #writeCommand}, BARs come out through {@link #map}. Holding it open is what keeps the device
 * running: the driver resets the function and requests the vectors on the first open (bus mastering
 * stays off until the DMA-enable command), and on the last close turns bus mastering off, frees the
 * vectors and resets the function again.
 *
 * <p>Writes and close are serialized, so a bind racing a close never writes into a descriptor number
 * the process has meanwhile reused for another file.
 */
final class UioFile implements AutoCloseable {
    /** Linux's ENXIO: the node's device is gone ({@link Errno} has no name for it). */
    private static final int ENXIO = 6;

    private final Path path;
    private final int fd;
    private boolean closed;

    private UioFile(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /**
     * Opens {@code path} read-write, close-on-exec (a child process must not keep the device alive).
     *
     * @param sysfsDirectory the UIO device's sysfs directory, for the message when the node is missing
     */
    static UioFile open(Path path, Path sysfsDirectory, String device) {
        try {
            return new UioFile(path, LibC.open(path.toString(), LibC.O_RDWR | LibC.O_CLOEXEC));
        } catch (ErrnoException e) {
            throw new ErrnoException(e.call(), e.errno(), openHint(e.errno(), path, sysfsDirectory, device));
        }
    }

    static String openHint(int errno, Path path, Path sysfsDirectory, String device) {
        return switch (errno) {
            case Errno.EACCES, Errno.EPERM -> "Opening " + device + " needs root: uio_msi requires CAP_SYS_RAWIO on every"
                    + " open, because the opener controls the device's DMA (run as root, e.g. with sudo)";
            case Errno.ENOENT -> path + " does not exist although the kernel created " + path.getFileName() + " ("
                    + sysfsDirectory + "): is devtmpfs mounted on " + path.getParent() + "? Create the node with `mknod "
                    + path + " c MAJOR MINOR`, the numbers being in " + sysfsDirectory.resolve("dev");
            case Errno.ENODEV, ENXIO -> device + " is being removed from uio_msi (unbound or unplugged);"
                    + " rebind it with bin/devbind --bind uio_msi and retry";
            default -> "uio_msi could not start " + device + " (it requests every interrupt vector on the first open);"
                    + " `dmesg | grep uio_msi` says why";
        };
    }

    /**
     * Writes one command word. The kernel answers a bad word with errno, which is thrown as an
     * {@link ErrnoException} for the caller to explain.
     *
     * @throws IllegalStateException if this file was closed
     */
    synchronized void writeCommand(int word) {
        requireOpen();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(JAVA_INT);
            buf.set(JAVA_INT, 0, word);
            long n = LibC.write(fd, buf, Integer.BYTES);
            if (n != Integer.BYTES) {
                // The UIO core accepts exactly 4 bytes or fails; a short write means this is not a UIO device.
                throw new IllegalStateException("short write of a uio_msi command to " + path + ": " + n + " of 4 bytes");
            }
        }
    }

    /**
     * Maps {@code length} bytes at {@code offset} (map index × page size) read-write and shared. The
     * caller unmaps with {@link LibC#munmap}; the mapping keeps the device open until then.
     */
    synchronized MemorySegment map(long offset, long length) {
        requireOpen();
        return LibC.mmap(length, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, fd, offset);
    }

    Path path() {
        return path;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException(path + " is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            LibC.close(fd);
        }
    }
}
