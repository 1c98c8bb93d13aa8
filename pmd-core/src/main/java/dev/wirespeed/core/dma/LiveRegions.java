/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.dma;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;
import java.util.TreeMap;

/**
 * The regions a domain has handed out and not yet freed, by the IOVA of their first chunk; the part
 * every {@link DmaDomain} shares: argument checks, scoping a fresh mapping so that use after free
 * throws, and freeing whatever is left when the domain closes.
 */
final class LiveRegions {
    private final String domainName;
    private final int chunkShift;
    private final TreeMap<Long, DmaRegion> byIova = new TreeMap<>(); // guarded by this
    private volatile boolean closed;

    LiveRegions(String domainName, int chunkShift) {
        this.domainName = domainName;
        this.chunkShift = chunkShift;
    }

    /** How many chunks a region of {@code size} bytes takes; fails for a bad size or a closed domain. */
    long chunksFor(long size, String purpose) {
        if (size <= 0) {
            throw new IllegalArgumentException("DMA region size must be positive: " + size + " (" + purpose + ")");
        }
        if (closed) {
            throw new IllegalStateException("DMA domain " + domainName + " is closed (allocating " + purpose + ")");
        }
        long chunks = (size + (1L << chunkShift) - 1) >>> chunkShift;
        if (chunks > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("DMA region of " + size + " bytes is too large (" + purpose + ")");
        }
        return chunks;
    }

    /**
     * Wraps a fresh mapping as a region and remembers it. The region's segment belongs to its own arena,
     * closed on release before {@code unmap} runs, so a stale access throws instead of faulting.
     */
    DmaRegion publish(MemorySegment mapped, long[] chunkIovas, String purpose, Runnable unmap) {
        Arena arena = Arena.ofShared();
        MemorySegment scoped = mapped.reinterpret(mapped.byteSize(), arena, null);
        long key = chunkIovas[0];
        DmaRegion region = new DmaRegion(scoped, chunkShift, chunkIovas, purpose, () -> {
            synchronized (this) {
                byIova.remove(key);
            }
            arena.close();
            unmap.run();
        });
        synchronized (this) {
            byIova.put(key, region);
        }
        return region;
    }

    /** Records a region published elsewhere (a process-wide index of several domains' regions). */
    synchronized void remember(long firstIova, DmaRegion region) {
        byIova.put(firstIova, region);
    }

    synchronized void forget(long firstIova) {
        byIova.remove(firstIova);
    }

    /** The live region whose first chunk starts at or below {@code iova}, or null. */
    synchronized Map.Entry<Long, DmaRegion> floor(long iova) {
        return byIova.floorEntry(iova);
    }

    /** Frees every live region; later allocations fail. */
    void closeAll() {
        closed = true;
        DmaRegion[] live;
        synchronized (this) {
            live = byIova.values().toArray(DmaRegion[]::new);
        }
        for (DmaRegion r : live) {
            r.close();
        }
    }
}
