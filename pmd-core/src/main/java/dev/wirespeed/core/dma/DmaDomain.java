/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.dma;

/**
 * Memory a device can reach by DMA, with the device address (IOVA) of every byte.
 *
 * <p>Memory comes in chunks of {@link #chunkSize()} bytes (a 2 MiB hugepage on real hardware): within a
 * chunk, IOVAs are contiguous; across chunks they need not be. Rings therefore fit in one chunk, and
 * packet buffers are laid out so none straddles two.
 */
public interface DmaDomain extends AutoCloseable {
    /**
     * Allocates at least {@code size} bytes, rounded up to whole chunks, zeroed, pinned for the
     * device. {@code purpose} appears in error messages ("rx ring 0 of port 1").
     */
    DmaRegion allocate(long size, String purpose);

    /** The IOVA-contiguous unit of allocation, a power of two. */
    long chunkSize();

    /** For messages, e.g. {@code "hugetlbfs /dev/hugepages"}. */
    String name();

    /** Frees every region still allocated from this domain. */
    @Override
    void close();
}
