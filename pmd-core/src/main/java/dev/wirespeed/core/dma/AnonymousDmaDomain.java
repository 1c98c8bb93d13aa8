/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.dma;

import dev.wirespeed.core.os.LibC;

import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * DMA memory for devices that are not real: the emulator and software ports. Each region is a
 * {@code memfd} mapped shared (so another process could map it too) and gets a synthetic IOVA;
 * {@link #find} translates an IOVA back, as an emulated device's DMA engine must.
 *
 * <p>All anonymous domains of a process share one IOVA space, the way all of a machine's RAM shares one
 * physical address space: IOVAs are unique process-wide and {@link #find} sees every live region of
 * every domain. So an emulated device reaches a packet pool the application allocated from its own
 * domain, exactly as a real VF without an IOMMU reaches any hugepage. IOVAs start at 4 GiB and regions are
 * separated by an unmapped guard chunk, so a device address that is 0, small, or just past a region's
 * end is never valid.
 */
public final class AnonymousDmaDomain implements DmaDomain {
    /** Same granularity as a hugepage, so buffer layouts are identical to real hardware's. */
    public static final long CHUNK_SIZE = 2L << 20;
    private static final int CHUNK_SHIFT = Long.numberOfTrailingZeros(CHUNK_SIZE);
    private static final long IOVA_BASE = 1L << 32;

    /** The process-wide IOVA allocator and map: every anonymous region, whichever domain made it. */
    private static final AtomicLong NEXT_IOVA = new AtomicLong(IOVA_BASE);
    private static final LiveRegions ALL = new LiveRegions("all anonymous DMA memory", CHUNK_SHIFT);

    private final String name;
    private final LiveRegions regions;

    public AnonymousDmaDomain(String name) {
        this.name = name;
        this.regions = new LiveRegions(name, CHUNK_SHIFT);
    }

    @Override
    public DmaRegion allocate(long size, String purpose) {
        long chunks = regions.chunksFor(size, purpose);
        long bytes = chunks << CHUNK_SHIFT;
        int fd = LibC.memfdCreate("wirespeed-dma", LibC.MFD_CLOEXEC);
        MemorySegment mapped;
        try {
            LibC.ftruncate(fd, bytes);
            mapped = LibC.mmap(bytes, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED | LibC.MAP_POPULATE, fd, 0);
        } finally {
            LibC.close(fd); // the mapping keeps the memory alive
        }
        long iova = NEXT_IOVA.getAndAdd(bytes + CHUNK_SIZE); // one unmapped chunk between regions
        long[] chunkIovas = new long[(int) chunks];
        for (int i = 0; i < chunkIovas.length; i++) {
            chunkIovas[i] = iova + ((long) i << CHUNK_SHIFT);
        }
        DmaRegion region = regions.publish(mapped, chunkIovas, purpose, () -> {
            ALL.forget(iova);
            LibC.munmap(mapped);
        });
        ALL.remember(iova, region);
        return region;
    }

    /**
     * The live region, of any anonymous domain in this process, holding {@code [iova, iova + length)}, or
     * null if no single region does: for an emulated device that is a DMA fault (a PCIe master abort on
     * real hardware). The offset into the region is {@code iova - region.iova(0)}.
     */
    public static DmaRegion find(long iova, long length) {
        Map.Entry<Long, DmaRegion> e = ALL.floor(iova);
        if (e == null || length < 0) {
            return null;
        }
        long offset = iova - e.getKey();
        DmaRegion r = e.getValue();
        return offset + length <= r.size() ? r : null;
    }

    @Override
    public long chunkSize() {
        return CHUNK_SIZE;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void close() {
        regions.closeAll();
    }

    @Override
    public String toString() {
        return "AnonymousDmaDomain[" + name + "]";
    }
}
