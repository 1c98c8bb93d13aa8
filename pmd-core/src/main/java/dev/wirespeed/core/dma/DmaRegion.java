/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.dma;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * A block of DMA memory: a {@link MemorySegment} for the CPU and an IOVA for every offset, for the
 * device. The IOVA is contiguous within each chunk of {@code 1 << chunkShift} bytes.
 *
 * <p>After {@link #close()} the segment is no longer accessible: using it throws
 * {@link IllegalStateException} instead of touching unmapped memory.
 */
public final class DmaRegion implements AutoCloseable {
    private final MemorySegment segment;
    private final int chunkShift;
    private final long chunkMask;
    private final long[] chunkIovas;
    private final String purpose;
    private final Runnable release;
    private boolean closed;

    /**
     * @param segment    the memory, already scoped so that {@code release} makes it inaccessible
     * @param chunkShift log2 of the contiguous chunk size
     * @param chunkIovas the IOVA of the first byte of each chunk
     * @param release    frees the memory; runs once on close
     */
    public DmaRegion(MemorySegment segment, int chunkShift, long[] chunkIovas, String purpose, Runnable release) {
        this.segment = Objects.requireNonNull(segment, "segment");
        this.chunkShift = chunkShift;
        this.chunkMask = (1L << chunkShift) - 1;
        this.chunkIovas = chunkIovas.clone();
        this.purpose = purpose;
        this.release = release;
        long chunks = (segment.byteSize() + chunkMask) >>> chunkShift;
        if (chunks != chunkIovas.length) {
            throw new IllegalArgumentException("a region of " + segment.byteSize() + " bytes has " + chunks
                    + " chunks of " + (1L << chunkShift) + " bytes, but " + chunkIovas.length + " IOVAs were given");
        }
    }

    public MemorySegment segment() {
        return segment;
    }

    public long size() {
        return segment.byteSize();
    }

    public long chunkSize() {
        return 1L << chunkShift;
    }

    public int chunkCount() {
        return chunkIovas.length;
    }

    /** The device address of the byte at {@code offset}. */
    public long iova(long offset) {
        Objects.checkIndex(offset, segment.byteSize());
        return chunkIovas[(int) (offset >>> chunkShift)] + (offset & chunkMask);
    }

    public String purpose() {
        return purpose;
    }

    public boolean isClosed() {
        return closed;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            release.run();
        }
    }

    @Override
    public String toString() {
        return "DmaRegion[" + purpose + ", " + segment.byteSize() + " bytes, iova 0x" + Long.toHexString(chunkIovas[0]) + "]";
    }
}
