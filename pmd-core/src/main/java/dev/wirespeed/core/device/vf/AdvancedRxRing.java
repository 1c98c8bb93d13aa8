/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.device.vf;

import dev.wirespeed.core.device.Bar;
import dev.wirespeed.core.packet.PacketBatch;
import dev.wirespeed.core.packet.PacketFlags;
import dev.wirespeed.core.packet.PacketPool;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static dev.wirespeed.core.device.vf.AdvancedDescriptors.*;

/**
 * One receive ring: advanced one-buffer descriptors, each pointing at a pool buffer. The same ring
 * discipline serves the 82599-family VF (ixgbevf facts §2.1) and the 82576/I350 VF (igbvf facts §3.1);
 * where their write-backs differ, the {@link RxDialect} says how to read them.
 *
 * <p>Ring discipline: every slot always holds a buffer except those consumed and not yet re-armed.
 * RDT names the last armed slot; the slots after it, up to {@link #next}, are the consumed ones. They
 * are re-armed {@link #REFILL} at a time with one allocation and one RDT write, so the tail register
 * is touched once per 32 packets, not once per packet. Re-arming writes the header address as 0,
 * which clears DD (it shares bit 0 of that quadword), so a stale write-back is never mistaken for a
 * new one.
 *
 * <p>Frames longer than one buffer arrive over several descriptors; only the last has EOP and carries
 * status and errors. Segments are linked into a chain as they come, and only a complete packet is
 * handed out; a chain may span two bursts.
 */
public class AdvancedRxRing extends DescriptorRing {
    public static final int REFILL = 32;

    private final int[] slots;
    private final int[] fresh = new int[REFILL];
    private final PacketPool pool;
    private final int poolHeadroom;
    private final int bufferBytes;
    private final int portId;
    private final boolean reportChecksums;
    private final boolean stripVlan;
    private final int frameErrorBits;
    private final int l4Checked;
    private final int ipError;
    private final int l4Error;
    private final int packetTypeMask;
    private final int bigEndianVlanStatus;
    /** Software drops because the pool was empty when re-arming (DPDK's rx_nombuf). */
    public long allocFailures;
    /** Frames the device flagged as bad (CRC, length, ...) and this queue dropped. */
    public long frameErrors;
    /** Our own broadcast/multicast frames the chip's switch sent back, dropped (see {@link #pruneEchoesOf}). */
    public long echoesDropped;
    /** The VF's MAC while echoes are pruned, else {@link #NO_PRUNING}; written by the control thread. */
    private volatile long pruneSource = NO_PRUNING;
    private static final long NO_PRUNING = -1;
    private static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort BE_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private Bar bar;
    private int rdtRegister;
    private int next;      // next descriptor to look at
    private int armedTail; // the slot RDT names
    private int tailToWrite;
    private int consumed;  // slots after armedTail waiting to be re-armed
    private int chainHead = PacketPool.NO_PACKET;
    private int chainTail = PacketPool.NO_PACKET;
    private int chainBytes;
    private int chainSegments;

    /**
     * @param ring a zeroed, 128-byte aligned segment of {@code size} descriptors the device can reach at {@code ringIova}
     */
    protected AdvancedRxRing(int index, MemorySegment ring, long ringIova, int size, PacketPool pool, int portId,
            boolean reportChecksums, boolean stripVlan, RxDialect dialect) {
        super(index, ring, ringIova, size);
        this.slots = new int[size];
        this.pool = pool;
        this.poolHeadroom = pool.headroom();
        this.bufferBytes = bufferBytes(pool);
        this.portId = portId;
        this.reportChecksums = reportChecksums;
        this.stripVlan = stripVlan;
        this.frameErrorBits = dialect.frameErrors();
        this.l4Checked = dialect.l4Checked();
        this.ipError = dialect.ipError();
        this.l4Error = dialect.l4Error();
        this.packetTypeMask = dialect.packetTypeMask();
        this.bigEndianVlanStatus = dialect.bigEndianVlanStatus();
        java.util.Arrays.fill(slots, PacketPool.NO_PACKET);
    }

    /** What SRRCTL.BSIZEPACKET can describe of a pool buffer: its data room rounded down to whole KiB, at most 16 KiB. */
    public static int bufferBytes(PacketPool pool) {
        return Math.min(16, pool.dataRoom() >> 10) << 10;
    }

    public int bufferBytes() {
        return bufferBytes;
    }

    // ---------------------------------------------------------------- bring-up and stop (control thread)

    /**
     * Lays the buffers the ring still holds (none at first start; all but the consumed ones after a
     * reset) out from slot 0 and, if {@code allocate}, tops the ring up from the pool. Packets the device
     * wrote but nobody received are dropped; their buffers are re-armed, never lost. Must run while the
     * device does not own the ring. {@code allocate} is false when the calling thread does not own the
     * pool (recovery on the watchdog thread): the missing buffers then count as consumed, and the
     * polling thread's next refill supplies them.
     */
    public void fill(boolean allocate) {
        dropChain();
        int[] held = new int[size];
        int k = 0;
        for (int i = 0; i < size; i++) {
            if (slots[i] != PacketPool.NO_PACKET) {
                held[k++] = slots[i];
                slots[i] = PacketPool.NO_PACKET;
            }
        }
        while (allocate && k < size) {
            int h = pool.alloc();
            if (h == PacketPool.NO_PACKET) {
                PacketPool.freeAll(held, 0, k);
                throw new IllegalStateException("rx queue " + index + ": packet pool '" + pool.name() + "' ran out filling a ring of "
                        + size + " descriptors (" + pool.available() + " of " + pool.capacity()
                        + " buffers free); give the pool at least rxQueues x rxRingSize buffers plus what the application holds");
            }
            held[k++] = h;
        }
        for (int i = 0; i < size; i++) {
            if (i < k) {
                slots[i] = held[i];
                arm(i, held[i]);
            } else {
                long d = (long) i * SIZE;
                ring.set(LONG, d + RX_PKT_ADDR, 0L);
                ring.set(LONG, d + RX_HDR_ADDR, 0L);
            }
        }
        next = 0;
        consumed = size - k;
        // RDT names the last armed slot; with nothing armed it equals RDH (0): an empty ring
        armedTail = k == 0 ? size - 1 : k - 1;
        tailToWrite = k == 0 ? 0 : k - 1;
    }

    /** After ENABLE reads 1: hand the device every armed slot but the one RDT names. */
    public void startTail(Bar bar, int rdtRegister) {
        this.bar = bar;
        this.rdtRegister = rdtRegister;
        bar.write32(rdtRegister, tailToWrite);
    }

    /** Returns every buffer to the pool. The device must no longer own the ring (queue disabled). */
    public void releaseBuffers() {
        dropChain();
        for (int i = 0; i < size; i++) {
            if (slots[i] != PacketPool.NO_PACKET) {
                pool.free(slots[i]);
                slots[i] = PacketPool.NO_PACKET;
            }
        }
    }

    /** A packet half received (segments taken from their slots and linked) is freed whole. */
    private void dropChain() {
        if (chainHead != PacketPool.NO_PACKET) {
            pool.free(chainHead);
            chainHead = chainTail = PacketPool.NO_PACKET;
        }
    }

    private void arm(int slot, int handle) {
        long d = (long) slot * SIZE;
        ring.set(LONG, d + RX_PKT_ADDR, pool.bufferIova(handle) + poolHeadroom);
        ring.set(LONG, d + RX_HDR_ADDR, 0L);
    }

    // ---------------------------------------------------------------- burst path

    /** Appends received packets to {@code batch}; returns how many. */
    public int receive(PacketBatch batch) {
        if (!gate.enter()) {
            return 0;
        }
        try {
            return receiveOpen(batch);
        } finally {
            gate.leave();
        }
    }

    private int receiveOpen(PacketBatch batch) {
        int[] out = batch.handles();
        int first = batch.size();
        int n = first;
        int limit = batch.capacity();
        int i = next;
        long bytes = 0;
        while (n < limit) {
            long d = (long) i * SIZE;
            int status = (int) INT_HANDLE.getAcquire(ring, d + RX_WB_STATUS);
            if ((status & RX_DD) == 0) {
                break;
            }
            int lenVlan = ring.get(INT, d + RX_WB_LEN_VLAN);
            int h = slots[i];
            slots[i] = PacketPool.NO_PACKET;
            int len = lenVlan & 0xFFFF;
            pool.setDataLength(h, len);
            if (++i == size) {
                i = 0;
            }
            consumed++;
            if (chainHead == PacketPool.NO_PACKET) {
                chainHead = h;
                chainBytes = len;
                chainSegments = 1;
            } else {
                pool.setNext(chainTail, h);
                chainBytes += len;
                chainSegments++;
            }
            chainTail = h;
            if ((status & RX_EOP) == 0) {
                continue;
            }
            int head = chainHead;
            chainHead = chainTail = PacketPool.NO_PACKET;
            if ((status & frameErrorBits) != 0) {
                frameErrors++;
                pool.free(head);
                continue;
            }
            if (pruneSource != NO_PRUNING && isOwnGroupFrame(head)) {
                echoesDropped++;
                pool.free(head);
                continue;
            }
            int info = ring.get(INT, d + RX_WB_INFO);
            pool.setPacketLength(head, chainBytes);
            pool.setSegmentCount(head, chainSegments);
            pool.setPort(head, portId);
            pool.setPacketType(head, info & packetTypeMask);
            long flags = 0;
            if ((info & RX_RSS_TYPE_MASK) != 0) {
                pool.setRssHash(head, ring.get(INT, d + RX_WB_RSS));
                flags |= PacketFlags.RX_RSS_HASH;
            }
            if (stripVlan && (status & RX_VP) != 0) {
                int tci = lenVlan >>> 16;
                pool.setVlanTci(head, (status & bigEndianVlanStatus) == 0 ? tci : Short.reverseBytes((short) tci) & 0xFFFF);
                flags |= PacketFlags.RX_VLAN_STRIPPED;
            }
            if (reportChecksums) {
                flags |= checksumFlags(status);
            }
            pool.setFlags(head, flags);
            bytes += chainBytes;
            out[n++] = head;
        }
        next = i;
        batch.setSize(n);
        int got = n - first;
        counters.packets += got;
        counters.bytes += bytes;
        if (consumed >= REFILL) {
            refill();
        }
        return got;
    }

    /** Drops echoes of frames sent from {@code mac} from now on; a negative value stops pruning. */
    public void pruneEchoesOf(long mac) {
        pruneSource = mac < 0 ? NO_PRUNING : mac;
    }

    /** A broadcast/multicast frame (group bit of the destination) whose source address is the VF's own. */
    private boolean isOwnGroupFrame(int head) {
        MemorySegment m = pool.memory();
        long at = pool.dataOffset(head);
        if ((m.get(ValueLayout.JAVA_BYTE, at) & 1) == 0 || pool.dataLength(head) < 12) {
            return false;
        }
        long src = (long) m.get(BE_INT, at + 6) << 16 | m.get(BE_SHORT, at + 10) & 0xFFFF;
        return (src & 0xFFFF_FFFF_FFFFL) == pruneSource;
    }

    /** Rx checksum status: only what the device says it checked (IPCS, the dialect's L4 bits) is reported. */
    long checksumFlags(int status) {
        long flags = 0;
        if ((status & RX_IPCS) != 0) {
            flags |= (status & ipError) != 0 ? PacketFlags.RX_IP_CHECKSUM_BAD : PacketFlags.RX_IP_CHECKSUM_GOOD;
        }
        if ((status & l4Checked) != 0) {
            flags |= (status & l4Error) != 0 ? PacketFlags.RX_L4_CHECKSUM_BAD : PacketFlags.RX_L4_CHECKSUM_GOOD;
        }
        return flags;
    }

    /** Re-arms consumed slots in groups of {@link #REFILL}, then writes RDT once. */
    private void refill() {
        int tail = armedTail;
        boolean moved = false;
        while (consumed >= REFILL) {
            if (pool.allocBulk(fresh, 0, REFILL) == 0) {
                allocFailures++;
                counters.errors++;
                break;
            }
            for (int k = 0; k < REFILL; k++) {
                if (++tail == size) {
                    tail = 0;
                }
                slots[tail] = fresh[k];
                arm(tail, fresh[k]);
            }
            consumed -= REFILL;
            moved = true;
        }
        if (moved) {
            armedTail = tail;
            bar.write32(rdtRegister, tail); // Bar orders the descriptor stores before this write
        }
    }

    /** Whether the next descriptor is done: the interrupt idle strategy's last look before sleeping. */
    public boolean hasWork() {
        int status = (int) INT_HANDLE.getAcquire(ring, (long) next * SIZE + RX_WB_STATUS);
        return (status & RX_DD) != 0;
    }
}
