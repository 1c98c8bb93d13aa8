/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.os;

import java.lang.foreign.MemorySegment;

/**
 * An mmap'ed range that is unmapped on close. Closing twice is harmless; using the segment after
 * close is the caller's error (as with any unmapped memory), so owners close only on shutdown.
 */
public final class MappedMemory implements AutoCloseable {
    private final MemorySegment segment;
    private boolean closed;

    private MappedMemory(MemorySegment segment) {
        this.segment = segment;
    }

    /** Maps {@code length} bytes of {@code fd} at {@code offset}, read-write and shared. */
    public static MappedMemory mapShared(int fd, long length, long offset) {
        return new MappedMemory(LibC.mmap(length, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, fd, offset));
    }

    /** Wraps an mmap result the caller made with its own flags. */
    public static MappedMemory of(MemorySegment mapped) {
        return new MappedMemory(mapped);
    }

    public MemorySegment segment() {
        return segment;
    }

    public long size() {
        return segment.byteSize();
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            LibC.munmap(segment);
        }
    }
}
