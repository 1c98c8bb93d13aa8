/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.dma;

import dev.wirespeed.core.dma.AnonymousDmaDomain;
import dev.wirespeed.core.dma.DmaRegion;

import java.lang.foreign.MemorySegment;

/**
 * The device's view of its DMA domain: translates an IOVA range to memory, as an IOMMU would. A range
 * that no single live region holds is a DMA fault (a PCIe master abort on hardware).
 *
 * <p>The last region hit is cached, so the common case (descriptors and buffers in a few regions)
 * needs no lookup and takes no lock. Used by one device thread; not thread-safe.
 */
final class DmaWindow {
    private final AnonymousDmaDomain domain;
    private DmaRegion[] cache = new DmaRegion[4];
    private final long[] cacheBase = new long[4];
    private int next;
    private DmaRegion last;
    private long lastBase;
    private long lastSize = -1; // matches nothing until a region has answered
    private MemorySegment lastSegment;
    /** Set by {@link #translate}: the segment holding the range. */
    MemorySegment segment;

    DmaWindow(AnonymousDmaDomain domain) {
        this.domain = domain;
    }

    /**
     * Resolves {@code [iova, iova + length)}; returns the offset of {@code iova} in {@link #segment},
     * or -1 on a DMA fault.
     */
    long translate(long iova, long length) {
        // buffers mostly come from one pool: the region that answered last time first. Kept small so the
        // JIT inlines it into the per-frame paths; everything else is in translateSlow.
        long off = iova - lastBase;
        if (off >= 0 && off + length <= lastSize && !last.isClosed()) {
            segment = lastSegment;
            return off;
        }
        return translateSlow(iova, length);
    }

    private long translateSlow(long iova, long length) {
        for (int i = 0; i < cache.length; i++) {
            DmaRegion r = cache[i];
            if (r != null) {
                long off = iova - cacheBase[i];
                if (off >= 0 && off + length <= r.size() && !r.isClosed()) {
                    remember(r, cacheBase[i]);
                    return off;
                }
            }
        }
        DmaRegion r = AnonymousDmaDomain.find(iova, length); // any anonymous memory: no IOMMU in this model
        if (r == null || r.isClosed()) {
            return -1;
        }
        int slot = next++ & (cache.length - 1);
        cache[slot] = r;
        cacheBase[slot] = r.iova(0);
        remember(r, cacheBase[slot]);
        return iova - cacheBase[slot];
    }

    private void remember(DmaRegion r, long base) {
        last = r;
        lastBase = base;
        lastSize = r.size();
        lastSegment = r.segment();
        segment = lastSegment;
    }
}
