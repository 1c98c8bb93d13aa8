/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.dma;

import dev.wirespeed.core.os.ErrnoException;
import dev.wirespeed.core.os.LibC;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Translates this process's virtual addresses to physical ones through {@code /proc/self/pagemap}.
 *
 * <p>The file holds one little-endian 64-bit entry per 4 KiB virtual page: bit 63 says the page is
 * present in RAM, bits 0–54 hold its page frame number (PFN). Since Linux 4.0 the PFN reads as 0
 * unless the reader has {@code CAP_SYS_ADMIN}, so a present page with PFN 0 means "not allowed to
 * know", not "frame 0". The file is opened once and read with {@code pread}.
 */
public final class Pagemap implements AutoCloseable {
    /** The base page size on x86_64 (and arm64 with 4 KiB pages): the unit pagemap describes. */
    public static final long BASE_PAGE_SIZE = 4096;
    public static final Path SELF = Path.of("/proc/self/pagemap");

    private static final int PAGE_SHIFT = Long.numberOfTrailingZeros(BASE_PAGE_SIZE);
    private static final long PRESENT = 1L << 63;
    private static final long PFN_MASK = (1L << 55) - 1;
    static final String NEEDS_CAP_SYS_ADMIN = "reading physical addresses needs CAP_SYS_ADMIN (run as root)";

    private final Path path;
    private final int fd;
    private final Arena arena = Arena.ofShared();
    /** One entry's worth of buffer, shared by all callers under {@code this}. */
    private final MemorySegment entry = arena.allocate(JAVA_LONG);
    private boolean closed;

    private Pagemap(Path path, int fd) {
        this.path = path;
        this.fd = fd;
    }

    /** This process's pagemap. */
    public static Pagemap open() {
        return open(SELF);
    }

    /** A pagemap-format file; tests pass a file they wrote. */
    public static Pagemap open(Path path) {
        try {
            return new Pagemap(path, LibC.open(path.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC));
        } catch (ErrnoException e) {
            throw new DmaException("cannot open " + path + " to translate DMA addresses: " + e.getMessage(), e);
        }
    }

    /** The raw 64-bit entry of the 4 KiB page holding {@code virtualAddress}. */
    public synchronized long entry(long virtualAddress) {
        if (closed) {
            throw new IllegalStateException(path + " is closed");
        }
        long offset = (virtualAddress >>> PAGE_SHIFT) * JAVA_LONG.byteSize();
        long n;
        try {
            n = LibC.pread(fd, entry, JAVA_LONG.byteSize(), offset);
        } catch (ErrnoException e) {
            throw new DmaException("cannot read the " + path + " entry of virtual address 0x"
                    + Long.toHexString(virtualAddress) + ": " + e.getMessage(), e);
        }
        if (n != JAVA_LONG.byteSize()) {
            throw new DmaException(path + " has no entry for virtual address 0x" + Long.toHexString(virtualAddress)
                    + " (read " + n + " of 8 bytes at offset 0x" + Long.toHexString(offset) + ")");
        }
        return entry.get(JAVA_LONG, 0);
    }

    /** Whether the page holding {@code virtualAddress} is in RAM (readable without privileges). */
    public boolean isPresent(long virtualAddress) {
        return (entry(virtualAddress) & PRESENT) != 0;
    }

    /**
     * The physical address of the byte at {@code virtualAddress}.
     *
     * @throws DmaException if the page is not in RAM, or the caller may not see physical addresses
     */
    public long physicalAddress(long virtualAddress) {
        long e = entry(virtualAddress);
        if ((e & PRESENT) == 0) {
            throw new DmaException("virtual address 0x" + Long.toHexString(virtualAddress) + " has no physical page ("
                    + path + " says not present): DMA memory must be touched and locked before it is translated");
        }
        long pfn = e & PFN_MASK;
        if (pfn == 0) {
            throw new DmaException("cannot translate virtual address 0x" + Long.toHexString(virtualAddress)
                    + ": " + path + " shows page frame 0: " + NEEDS_CAP_SYS_ADMIN);
        }
        return (pfn << PAGE_SHIFT) | (virtualAddress & (BASE_PAGE_SIZE - 1));
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            LibC.close(fd);
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "Pagemap[" + path + "]";
    }
}
