/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.packet;

import dev.wirespeed.core.dma.DmaDomain;
import dev.wirespeed.core.dma.DmaRegion;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Fixed-size packet buffers carved from one DMA region, handed out as {@code int} handles.
 *
 * <h2>Layout</h2>
 * Each buffer is {@code [64 B metadata][headroom][data room]}, its stride rounded to a cache line.
 * Buffers are packed per DMA chunk (2 MiB hugepage) so that none straddles two chunks: its bytes are
 * IOVA-contiguous, which the device needs. The metadata (IOVA, lengths, chain link, RSS hash, offload
 * flags, VLAN, port...) sits in the buffer's first cache line, next to its data, like DPDK's mbuf.
 *
 * <h2>Handles</h2>
 * A handle is {@code poolId << 24 | (offset of the buffer / 64)}: the buffer's address is a shift and an
 * add, with no table lookup, and the handle still names its pool (see {@link #of(int)}), so a transmit
 * queue can return buffers from any pool. {@link #NO_PACKET} (-1) is never a handle.
 *
 * <h2>Threads</h2>
 * One thread owns the pool (its creator, until another calls {@link #adopt()}): only it may allocate, and
 * its frees push onto a plain stack with no atomics. Any other thread may free: those buffers go through
 * a lock-free return queue that the owner drains when its stack runs low. Metadata and data accessors may
 * be used by whichever thread currently holds the packet.
 */
public final class PacketPool implements AutoCloseable {
    public static final int NO_PACKET = -1;
    public static final int METADATA_SIZE = 64;
    public static final int DEFAULT_HEADROOM = 128;
    public static final int DEFAULT_DATA_ROOM = 2048;
    /** Largest data room: a 9.5 KB jumbo frame fits with room to spare; must fit a 2 MiB chunk many times. */
    public static final int MAX_DATA_ROOM = 16 * 1024;

    static final int INDEX_BITS = 24;
    static final int INDEX_MASK = (1 << INDEX_BITS) - 1;
    static final int LINE_SHIFT = 6;
    static final int MAX_POOLS = 127; // ids 0..126 keep every handle non-negative

    // Metadata field offsets, from the start of a buffer.
    static final long M_IOVA = 0;       // long: IOVA of the buffer (its headroom start)
    static final long M_NEXT = 8;       // int: next segment of a chain, or NO_PACKET; IN_POOL while free
    static final long M_DATA_LEN = 12;  // int: bytes of data in this segment
    static final long M_PKT_LEN = 16;   // int: bytes in the whole chain (first segment)
    static final long M_DATA_OFF = 20;  // short: data start, from the headroom start
    static final long M_NB_SEGS = 22;   // short: segments in the chain (first segment)
    static final long M_RSS = 24;       // int: RSS hash
    static final long M_PTYPE = 28;     // int: packet type
    static final long M_OL_FLAGS = 32;  // long: offload flags, see PacketFlags
    static final long M_VLAN = 40;      // short: VLAN TCI
    static final long M_PORT = 42;      // short: input port
    static final long M_L2_LEN = 44;    // short: L2 header length (tx offloads)
    static final long M_L3_LEN = 46;    // short: L3 header length (tx offloads)
    static final long M_USER = 48;      // long: free for the application (timestamps, sequence numbers)

    /**
     * The chain link of a buffer that is in the pool (never a handle, nor NO_PACKET): freeing it again is
     * a double free, caught on the spot whether or not the pool is full.
     */
    static final int IN_POOL = -2;

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT;

    /** Open pools by id; a reserved id maps to null until its pool is built. */
    private static final AtomicReferenceArray<PacketPool> POOLS = new AtomicReferenceArray<>(MAX_POOLS);
    private static final boolean[] RESERVED = new boolean[MAX_POOLS]; // guarded by RESERVED

    private final String name;
    private final int id;
    private final int handleBase;
    private final DmaRegion region;
    private final MemorySegment memory;
    private final int capacity;
    private final int headroom;
    private final int dataRoom;
    private final int stride;
    private final int[] stack;
    private int top;
    private final ReturnQueue returns;
    private Thread owner;
    private boolean closed;

    private PacketPool(String name, int id, DmaRegion region, int capacity, int headroom, int dataRoom, int stride, int perChunk) {
        this.name = name;
        this.id = id;
        this.handleBase = id << INDEX_BITS;
        this.region = region;
        this.memory = region.segment();
        this.capacity = capacity;
        this.headroom = headroom;
        this.dataRoom = dataRoom;
        this.stride = stride;
        this.stack = new int[capacity];
        this.returns = new ReturnQueue(capacity);
        this.owner = Thread.currentThread();
        long chunk = region.chunkSize();
        // Push in reverse so the first allocations walk memory upwards.
        for (int i = capacity - 1; i >= 0; i--) {
            long offset = (i / perChunk) * chunk + (long) (i % perChunk) * stride;
            int handle = handleBase | (int) (offset >>> LINE_SHIFT);
            memory.set(LONG, offset + M_IOVA, region.iova(offset + METADATA_SIZE));
            resetMetadata(offset);
            memory.set(INT, offset + M_NEXT, IN_POOL);
            stack[top++] = handle;
        }
    }

    /** A pool of {@code count} buffers with the default 128 B headroom and 2 KiB data room. */
    public static PacketPool create(String name, DmaDomain dma, int count) {
        return create(name, dma, count, DEFAULT_HEADROOM, DEFAULT_DATA_ROOM);
    }

    public static PacketPool create(String name, DmaDomain dma, int count, int headroom, int dataRoom) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dma, "dma");
        if (count < 1) {
            throw new IllegalArgumentException("packet pool '" + name + "': buffer count must be at least 1, got " + count);
        }
        if (headroom < 0 || headroom > 4096 || headroom % 8 != 0) {
            throw new IllegalArgumentException("packet pool '" + name + "': headroom must be a multiple of 8 in 0..4096, got " + headroom);
        }
        if (dataRoom < 64 || dataRoom > MAX_DATA_ROOM) {
            throw new IllegalArgumentException("packet pool '" + name + "': data room must be 64.." + MAX_DATA_ROOM
                    + " bytes, got " + dataRoom + " (larger frames arrive as chains of buffers)");
        }
        int stride = align(METADATA_SIZE + headroom + dataRoom, 1 << LINE_SHIFT);
        long chunk = dma.chunkSize();
        int perChunk = (int) (chunk / stride);
        if (perChunk < 1) {
            throw new IllegalArgumentException("packet pool '" + name + "': a " + stride + "-byte buffer does not fit in a "
                    + chunk + "-byte DMA chunk of " + dma.name());
        }
        long chunks = (count + perChunk - 1L) / perChunk;
        long bytes = chunks * chunk;
        if (bytes > ((long) INDEX_MASK + 1) << LINE_SHIFT) {
            throw new IllegalArgumentException("packet pool '" + name + "': " + count + " buffers of " + stride
                    + " bytes need " + (bytes >> 20) + " MiB; one pool holds at most 1024 MiB. Use several pools.");
        }
        int id = register(name);
        DmaRegion region;
        try {
            region = dma.allocate(bytes, "packet pool '" + name + "'");
        } catch (RuntimeException e) {
            unregister(id);
            throw e;
        }
        PacketPool pool = new PacketPool(name, id, region, count, headroom, dataRoom, stride, perChunk);
        POOLS.set(id, pool);
        return pool;
    }

    private static int register(String name) {
        synchronized (RESERVED) {
            for (int i = 0; i < RESERVED.length; i++) {
                if (!RESERVED[i]) {
                    RESERVED[i] = true;
                    return i;
                }
            }
        }
        throw new IllegalStateException("packet pool '" + name + "': at most " + MAX_POOLS + " pools can be open at once");
    }

    private static void unregister(int id) {
        synchronized (RESERVED) {
            POOLS.set(id, null);
            RESERVED[id] = false;
        }
    }


    /** The pool a handle belongs to. */
    public static PacketPool of(int handle) {
        PacketPool pool = handle < 0 ? null : POOLS.get(handle >>> INDEX_BITS);
        if (pool == null) {
            throw new IllegalArgumentException("0x" + Integer.toHexString(handle) + " is not a handle of an open packet pool");
        }
        return pool;
    }

    private static int align(int value, int alignment) {
        return (value + alignment - 1) & -alignment;
    }

    // ---------------------------------------------------------------- allocation

    /** Makes the calling thread the owner: the only thread that may allocate. */
    public void adopt() {
        owner = Thread.currentThread();
    }

    /** One buffer with fresh metadata (length 0, data at the headroom), or {@link #NO_PACKET} if none is free. */
    public int alloc() {
        checkOwner();
        if (top == 0 && (top = returns.drainTo(stack, 0)) == 0) {
            return NO_PACKET;
        }
        int handle = stack[--top];
        resetMetadata(offset(handle));
        return handle;
    }

    /**
     * Allocates exactly {@code n} buffers into {@code dst[from..from+n)}, or none: returns {@code n} or 0,
     * like DPDK's bulk get, so a refill never has to undo a partial allocation.
     */
    public int allocBulk(int[] dst, int from, int n) {
        checkOwner();
        Objects.checkFromIndexSize(from, n, dst.length);
        if (top < n) {
            top = returns.drainTo(stack, top);
            if (top < n) {
                return 0;
            }
        }
        int start = top - n;
        System.arraycopy(stack, start, dst, from, n);
        top = start;
        for (int i = from, end = from + n; i < end; i++) {
            resetMetadata(offset(dst[i]));
        }
        return n;
    }

    /** Frees a packet (every segment of its chain) to this pool. The handle must be one of this pool's. */
    public void free(int handle) {
        boolean mine = Thread.currentThread() == owner;
        int h = handle;
        while (h != NO_PACKET) {
            checkHandle(h);
            long offset = offset(h);
            int next = memory.get(INT, offset + M_NEXT);
            if (next == IN_POOL) {
                throw doubleFree(h);
            }
            memory.set(INT, offset + M_NEXT, IN_POOL);
            if (mine) {
                if (top == capacity) {
                    throw doubleFree(h);
                }
                stack[top++] = h;
            } else {
                returns.offer(h, name);
            }
            h = next;
        }
    }

    /** Frees {@code n} packets from {@code src[from..]}, each to its own pool. */
    public static void freeAll(int[] src, int from, int n) {
        Objects.checkFromIndexSize(from, n, src.length);
        PacketPool pool = null;
        for (int i = from, end = from + n; i < end; i++) {
            int h = src[i];
            if (pool == null || (h >>> INDEX_BITS) != pool.id) {
                pool = of(h);
            }
            pool.free(h);
        }
    }

    /**
     * Returns {@code n} transmitted packets from {@code src[from..from+n)} in one go, as a DPDK PMD's tx
     * completion does with {@code RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE} ({@code rte_mempool_put_bulk}): for
     * the common case of one-segment packets of this pool, freed by the owner, it is one capacity check
     * per burst and one handle check, one metadata read and one store per packet; no chain walk, no
     * thread check and no metadata write per packet.
     *
     * <p>Unlike FAST_FREE it asks nothing of the caller: a chain, a packet of another pool, a call from
     * another thread, or a burst that does not fit (a double free) takes {@link #freeAll}'s per-packet
     * path, so the result, double-free detection included, is exactly that of {@code freeAll}.
     */
    public void freeBulk(int[] src, int from, int n) {
        Objects.checkFromIndexSize(from, n, src.length);
        int t = top;
        if (Thread.currentThread() != owner || n > capacity - t) {
            freeAll(src, from, n);
            return;
        }
        int[] s = stack;
        MemorySegment m = memory;
        int base = handleBase;
        for (int i = from, end = from + n; i < end; i++) {
            int h = src[i];
            long next = ((long) (h & INDEX_MASK) << LINE_SHIFT) + M_NEXT;
            // A one-segment packet of this pool, not free already (that would read IN_POOL).
            if ((h & ~INDEX_MASK) == base && m.get(INT, next) == NO_PACKET) {
                m.set(INT, next, IN_POOL);
                s[t++] = h;
            } else {
                top = t;
                of(h).free(h); // a chain, another pool's packet, or a double free (throws); may push here
                t = top;
                if (end - i - 1 > capacity - t) { // the chain took the room the rest needed: exact path
                    freeAll(src, i + 1, end - i - 1);
                    return;
                }
            }
        }
        top = t;
    }

    private void checkOwner() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("packet pool '" + name + "' is owned by thread '" + owner.getName()
                    + "'; allocate from the owner, or call adopt() in the thread that takes over");
        }
    }

    private void checkHandle(int h) {
        if ((h & ~INDEX_MASK) != handleBase) {
            throw new IllegalArgumentException("0x" + Integer.toHexString(h) + " is not a handle of packet pool '" + name + "'");
        }
    }

    private IllegalStateException doubleFree(int h) {
        return new IllegalStateException("packet pool '" + name + "': buffer 0x" + Integer.toHexString(h)
                + " freed twice (it is already in the pool); a packet must be freed, or sent, exactly once");
    }

    private void resetMetadata(long offset) {
        memory.set(INT, offset + M_NEXT, NO_PACKET);
        memory.set(INT, offset + M_DATA_LEN, 0);
        memory.set(INT, offset + M_PKT_LEN, 0);
        memory.set(SHORT, offset + M_DATA_OFF, (short) headroom);
        memory.set(SHORT, offset + M_NB_SEGS, (short) 1);
        memory.set(LONG, offset + M_RSS, 0L); // RSS hash and packet type
        memory.set(LONG, offset + M_OL_FLAGS, 0L);
        memory.set(LONG, offset + M_VLAN, 0L); // VLAN, port, L2 and L3 lengths
    }

    // ---------------------------------------------------------------- counts

    /** Buffers free right now (the owner's stack plus those queued back from other threads). */
    public int available() {
        return top + (int) returns.size();
    }

    public int inUse() {
        return capacity - available();
    }

    public int capacity() {
        return capacity;
    }

    public boolean isFull() {
        return available() == capacity;
    }

    // ---------------------------------------------------------------- geometry

    public String name() {
        return name;
    }

    public int id() {
        return id;
    }

    public int headroom() {
        return headroom;
    }

    public int dataRoom() {
        return dataRoom;
    }

    /** The memory of every buffer; a packet's bytes start at {@link #dataOffset(int)}. */
    public MemorySegment memory() {
        return memory;
    }

    /** Offset of the buffer's metadata in {@link #memory()}. */
    public long offset(int handle) {
        return (long) (handle & INDEX_MASK) << LINE_SHIFT;
    }

    /** Offset in {@link #memory()} of the first data byte of this segment. */
    public long dataOffset(int handle) {
        long offset = offset(handle);
        return offset + METADATA_SIZE + memory.get(SHORT, offset + M_DATA_OFF);
    }

    /** IOVA of the buffer (headroom start): what a receive descriptor points at, minus nothing. */
    public long bufferIova(int handle) {
        return memory.get(LONG, offset(handle) + M_IOVA);
    }

    /** IOVA of the first data byte of this segment: what a transmit descriptor points at. */
    public long dataIova(int handle) {
        long offset = offset(handle);
        return memory.get(LONG, offset + M_IOVA) + memory.get(SHORT, offset + M_DATA_OFF);
    }

    /** Bytes from the data start to the end of the buffer. */
    public int tailroom(int handle) {
        return headroom + dataRoom - dataStart(handle) - dataLength(handle);
    }

    // ---------------------------------------------------------------- metadata

    public int dataLength(int handle) {
        return memory.get(INT, offset(handle) + M_DATA_LEN);
    }

    public void setDataLength(int handle, int length) {
        memory.set(INT, offset(handle) + M_DATA_LEN, length);
    }

    public int packetLength(int handle) {
        return memory.get(INT, offset(handle) + M_PKT_LEN);
    }

    public void setPacketLength(int handle, int length) {
        memory.set(INT, offset(handle) + M_PKT_LEN, length);
    }

    /** Sets both lengths of a one-segment packet. */
    public void setLength(int handle, int length) {
        long offset = offset(handle);
        memory.set(INT, offset + M_DATA_LEN, length);
        memory.set(INT, offset + M_PKT_LEN, length);
    }

    /** Data start relative to the headroom start ({@link #headroom()} for a fresh buffer). */
    public int dataStart(int handle) {
        return memory.get(SHORT, offset(handle) + M_DATA_OFF);
    }

    public void setDataStart(int handle, int start) {
        if (start < 0 || start > headroom + dataRoom) {
            throw new IllegalArgumentException("data start " + start + " outside 0.." + (headroom + dataRoom));
        }
        memory.set(SHORT, offset(handle) + M_DATA_OFF, (short) start);
    }

    /** Prepends {@code n} bytes (e.g. a VLAN tag) by moving the data start back into the headroom. */
    public void prepend(int handle, int n) {
        int start = dataStart(handle);
        if (n < 0 || n > start) {
            throw new IllegalArgumentException("cannot prepend " + n + " bytes: only " + start + " bytes of headroom");
        }
        long offset = offset(handle);
        memory.set(SHORT, offset + M_DATA_OFF, (short) (start - n));
        memory.set(INT, offset + M_DATA_LEN, memory.get(INT, offset + M_DATA_LEN) + n);
        memory.set(INT, offset + M_PKT_LEN, memory.get(INT, offset + M_PKT_LEN) + n);
    }

    /** Removes {@code n} bytes from the front of a one-segment packet. */
    public void trimFront(int handle, int n) {
        long offset = offset(handle);
        int len = memory.get(INT, offset + M_DATA_LEN);
        if (n < 0 || n > len) {
            throw new IllegalArgumentException("cannot trim " + n + " bytes from a " + len + "-byte segment");
        }
        memory.set(SHORT, offset + M_DATA_OFF, (short) (memory.get(SHORT, offset + M_DATA_OFF) + n));
        memory.set(INT, offset + M_DATA_LEN, len - n);
        memory.set(INT, offset + M_PKT_LEN, memory.get(INT, offset + M_PKT_LEN) - n);
    }

    public int next(int handle) {
        return memory.get(INT, offset(handle) + M_NEXT);
    }

    public void setNext(int handle, int next) {
        memory.set(INT, offset(handle) + M_NEXT, next);
    }

    public int segmentCount(int handle) {
        return memory.get(SHORT, offset(handle) + M_NB_SEGS);
    }

    public void setSegmentCount(int handle, int count) {
        memory.set(SHORT, offset(handle) + M_NB_SEGS, (short) count);
    }

    public int rssHash(int handle) {
        return memory.get(INT, offset(handle) + M_RSS);
    }

    public void setRssHash(int handle, int hash) {
        memory.set(INT, offset(handle) + M_RSS, hash);
    }

    public int packetType(int handle) {
        return memory.get(INT, offset(handle) + M_PTYPE);
    }

    public void setPacketType(int handle, int type) {
        memory.set(INT, offset(handle) + M_PTYPE, type);
    }

    /** Offload flags, see {@link PacketFlags}. */
    public long flags(int handle) {
        return memory.get(LONG, offset(handle) + M_OL_FLAGS);
    }

    public void setFlags(int handle, long flags) {
        memory.set(LONG, offset(handle) + M_OL_FLAGS, flags);
    }

    public int vlanTci(int handle) {
        return memory.get(SHORT, offset(handle) + M_VLAN) & 0xFFFF;
    }

    public void setVlanTci(int handle, int tci) {
        memory.set(SHORT, offset(handle) + M_VLAN, (short) tci);
    }

    public int port(int handle) {
        return memory.get(SHORT, offset(handle) + M_PORT) & 0xFFFF;
    }

    public void setPort(int handle, int port) {
        memory.set(SHORT, offset(handle) + M_PORT, (short) port);
    }

    public int l2Length(int handle) {
        return memory.get(SHORT, offset(handle) + M_L2_LEN);
    }

    public int l3Length(int handle) {
        return memory.get(SHORT, offset(handle) + M_L3_LEN);
    }

    /** Header lengths a transmit checksum or VLAN offload needs. */
    public void setHeaderLengths(int handle, int l2Length, int l3Length) {
        long offset = offset(handle);
        memory.set(SHORT, offset + M_L2_LEN, (short) l2Length);
        memory.set(SHORT, offset + M_L3_LEN, (short) l3Length);
    }

    public long userData(int handle) {
        return memory.get(LONG, offset(handle) + M_USER);
    }

    public void setUserData(int handle, long value) {
        memory.set(LONG, offset(handle) + M_USER, value);
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Releases the memory. Every buffer must be back; if some are not, the memory is released anyway
     * (the application is shutting down) and {@link PoolLeakException} says exactly how many leaked.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        int leaked = capacity - top - (int) returns.size();
        region.close();
        unregister(id);
        if (leaked != 0) {
            throw new PoolLeakException(name, leaked, capacity);
        }
    }

    @Override
    public String toString() {
        return "PacketPool[" + name + ", " + available() + "/" + capacity + " free, " + dataRoom + " B data room]";
    }
}
