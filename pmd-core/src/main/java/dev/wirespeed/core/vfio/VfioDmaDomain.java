/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.vfio;

import dev.wirespeed.core.dma.DmaDomain;
import dev.wirespeed.core.dma.DmaException;
import dev.wirespeed.core.dma.DmaRegion;
import dev.wirespeed.core.os.LibC;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * DMA memory for devices on vfio-pci: ordinary anonymous memory (4 KiB pages; no hugepages, no
 * {@code /proc/self/pagemap}, so no CAP_SYS_ADMIN) mapped into the process's IOMMU address space at IOVAs
 * chosen here. The IOMMU makes each region contiguous for the device whatever the physical pages are, so a
 * region is one IOVA range; chunks stay 2 MiB only so that buffer layouts match the hugepage domain's.
 *
 * <p>IOVAs are unique in the process (one container for every VFIO device): from 4 GiB up, above the
 * x86 MSI window at 0xfee00000 and other low reserved ranges, each region followed by an unmapped guard chunk so
 * that a device address just past a region's end faults instead of reaching the next region.
 * Every domain's memory is reachable by every VFIO device of the process, as a pool must be when packets
 * go from one port to another.
 *
 * <p>A region leaves the IOMMU before its memory is freed. The kernel pins the pages while they are
 * mapped, counting them against RLIMIT_MEMLOCK (checked first, see {@link MemlockLimit}).
 */
public final class VfioDmaDomain implements DmaDomain {
    public static final long CHUNK_SIZE = 2L << 20;
    private static final int CHUNK_SHIFT = Long.numberOfTrailingZeros(CHUNK_SIZE);
    private static final long IOVA_BASE = 1L << 32;
    private static final AtomicLong NEXT_IOVA = new AtomicLong(IOVA_BASE);

    private final VfioContainer container;
    private final String name;
    private final List<DmaRegion> live = new ArrayList<>(); // guarded by this
    private boolean closed;

    VfioDmaDomain(VfioContainer container, String name) {
        this.container = container;
        this.name = name;
    }

    /**
     * A domain in the process's VFIO container, usable before any VFIO device is opened (its memory enters
     * the IOMMU when the first one is). Fails with the fix if the vfio modules are not loaded.
     */
    public static VfioDmaDomain open(String name) {
        return new VfioDmaDomain(VfioContainer.system(), name);
    }

    /** Chooses {@code bytes} of IOVA space followed by a guard chunk; process-wide, never reused. */
    static long reserveIova(long bytes) {
        return NEXT_IOVA.getAndAdd(bytes + CHUNK_SIZE);
    }

    @Override
    public DmaRegion allocate(long size, String purpose) {
        if (size <= 0) {
            throw new IllegalArgumentException("DMA region size must be positive: " + size + " (" + purpose + ")");
        }
        long chunks = (size + CHUNK_SIZE - 1) >>> CHUNK_SHIFT;
        if (chunks > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("DMA region of " + size + " bytes is too large (" + purpose + ")");
        }
        long bytes = chunks << CHUNK_SHIFT;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("DMA domain " + name + " is closed (allocating " + purpose + ")");
            }
        }
        MemorySegment mapped = LibC.mmap(bytes, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS, -1, 0);
        long iova = reserveIova(bytes);
        try {
            // A fork must not copy-on-write pages the device is writing to: the child gets none of them.
            LibC.madvise(mapped, LibC.MADV_DONTFORK);
            container.map(mapped, iova, purpose + " (" + name + ")");
        } catch (RuntimeException e) {
            LibC.munmap(mapped);
            throw e;
        }
        long[] chunkIovas = new long[(int) chunks];
        for (int i = 0; i < chunkIovas.length; i++) {
            chunkIovas[i] = iova + ((long) i << CHUNK_SHIFT);
        }
        Arena arena = Arena.ofShared(); // closed on release, so a stale access throws instead of faulting
        MemorySegment scoped = mapped.reinterpret(bytes, arena, null);
        DmaRegion[] self = new DmaRegion[1];
        DmaRegion region = new DmaRegion(scoped, CHUNK_SHIFT, chunkIovas, purpose, () -> {
            synchronized (this) {
                live.remove(self[0]);
            }
            arena.close();
            try {
                container.unmap(iova); // out of the IOMMU first: the device can no longer reach the pages
            } finally {
                LibC.munmap(mapped);
            }
        });
        self[0] = region;
        synchronized (this) {
            live.add(region);
        }
        return region;
    }

    @Override
    public long chunkSize() {
        return CHUNK_SIZE;
    }

    @Override
    public String name() {
        return name;
    }

    /** Regions not yet released. */
    public synchronized int liveRegions() {
        return live.size();
    }

    @Override
    public void close() {
        DmaRegion[] regions;
        synchronized (this) {
            closed = true;
            regions = live.toArray(DmaRegion[]::new);
        }
        DmaException failure = null;
        for (DmaRegion r : regions) {
            try {
                r.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = new DmaException("cannot release every region of " + name, e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "VfioDmaDomain[" + name + "]";
    }
}
