/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.device.vf;

import dev.wirespeed.core.device.Bar;
import dev.wirespeed.core.packet.PacketBatch;
import dev.wirespeed.core.packet.PacketFlags;
import dev.wirespeed.core.packet.PacketPool;

import java.lang.foreign.MemorySegment;

import static dev.wirespeed.core.device.vf.AdvancedDescriptors.*;

/**
 * One transmit ring of advanced data descriptors (ixgbevf facts §2.2, igbvf facts §3.2), preceded by a
 * context descriptor whenever a packet needs a context other than the one the queue's slot 0 holds.
 *
 * <p>Why a context at all: the 82599-family datasheet wants CC (check context) in every VF data
 * descriptor, and the X550's malicious-driver detection stops a queue whose descriptors lack it
 * (ixgbevf facts §8.9). So the first packet after start writes a context (MACLEN 14, no offloads),
 * every data descriptor carries the driver's {@code checkContextBit}, and a new context is written
 * only when offloads or the VLAN tag change. The 82576/I350 have no CC bit (0 here); one context
 * written up front is harmless there and keeps one code path.
 *
 * <p>Completion: RS is set on a packet's last descriptor once at least {@link #RS_THRESHOLD}
 * descriptors were queued since the previous RS, and WTHRESH is 0, so the device writes DD back only
 * there. The slots of those RS descriptors wait in a small FIFO; cleaning checks the oldest one's DD
 * (acquire-ordered) and frees every packet up to it in one bulk call. The head of each packet is
 * stored at its last descriptor's slot, so freeing it releases the whole chain.
 *
 * <p>One slot always stays empty so a full ring (TDT one behind TDH) differs from an empty one.
 */
public class AdvancedTxRing extends DescriptorRing {
    public static final int RS_THRESHOLD = 32;
    /** Descriptors one packet may use, context included: the on-chip descriptor cache holds 40 (facts §4.3). */
    public static final int MAX_DESCRIPTORS_PER_PACKET = 40;

    private final int[] owners;    // per slot: the packet to free when this slot completes, or NO_PACKET
    private final int[] rsSlots;   // FIFO of slots carrying RS
    private final int[] freeing;   // bulk-free scratch
    private int rsHead;
    private int rsCount;
    /** Packets refused because they need more descriptors than one packet may use. */
    public long oversized;
    /** Packets refused because they are shorter than an Ethernet header ({@value #MIN_FRAME} bytes). */
    public long runts;

    /** Shortest frame put on the ring: shorter ones are dropped, as DPDK's ixgbe_prep_pkts refuses them (IXGBE_TX_MIN_PKT_LEN). */
    public static final int MIN_FRAME = 14;
    /**
     * Shortest PAYLEN the descriptor may carry: Linux's ixgbevf pads shorter frames to 17 bytes
     * (ixgbevf_xmit_frame_ring: "the minimum packet size for olinfo paylen is 17"); a shorter one can stall
     * the queue or count as malicious on an X550. Linux's igb pads to 17 too (igb_xmit_frame: "The minimum
     * packet size with TCTL.PSP set is 17").
     */
    public static final int MIN_PAYLEN = 17;

    private Bar bar;
    private int tdtRegister;
    private int tail;          // next slot to write (the TDT value)
    private int clean;         // oldest slot not yet freed
    private int inFlight;      // slots between clean and tail
    private int sinceRs;
    private boolean contextValid;
    private int contextLens;
    private int contextCmd;
    private PacketPool lastPool;
    private final int checkContextBit;

    /** @param checkContextBit olinfo's CC bit, set in every data descriptor; 0 where the chip has none */
    protected AdvancedTxRing(int index, MemorySegment ring, long ringIova, int size, int checkContextBit) {
        super(index, ring, ringIova, size);
        this.checkContextBit = checkContextBit;
        this.owners = new int[size];
        this.rsSlots = new int[size / RS_THRESHOLD + 2];
        this.freeing = new int[size];
        java.util.Arrays.fill(owners, PacketPool.NO_PACKET);
    }

    // ---------------------------------------------------------------- control thread

    /** Rewinds an empty ring to slot 0 (the device's TDH/TDT are written 0 alongside). */
    public void reset(Bar bar, int tdtRegister) {
        this.bar = bar;
        this.tdtRegister = tdtRegister;
        releaseBuffers();
        ring.fill((byte) 0);
        tail = clean = inFlight = sinceRs = 0;
        rsHead = rsCount = 0;
        contextValid = false;
    }

    /**
     * Frees every packet still on the ring, sent or not. The device must not own the ring (queue
     * disabled or reset): nothing it still reads may be freed.
     */
    public void releaseBuffers() {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (owners[i] != PacketPool.NO_PACKET) {
                freeing[n++] = owners[i];
                owners[i] = PacketPool.NO_PACKET;
            }
        }
        PacketPool.freeAll(freeing, 0, n);
        inFlight = 0;
        rsCount = 0;
        clean = tail;
    }

    /**
     * After a reset: frees every packet on the ring and returns how many the device never fetched,
     * judged by the head it reported ({@code hardwareHead}, TDH read before the reset). Packets before
     * the head left the ring; an implausible head counts everything as dropped.
     */
    public int releaseAfterReset(int hardwareHead) {
        int fetched = 0;
        if (hardwareHead >= 0 && hardwareHead < size) {
            fetched = hardwareHead - clean;
            if (fetched < 0) {
                fetched += size;
            }
            if (fetched > inFlight) {
                fetched = 0;
            }
        }
        int dropped = 0;
        int n = 0;
        int c = clean;
        for (int k = 0; k < inFlight; k++) {
            int owner = owners[c];
            if (owner != PacketPool.NO_PACKET) {
                freeing[n++] = owner;
                owners[c] = PacketPool.NO_PACKET;
                if (k >= fetched) {
                    dropped++;
                }
            }
            if (++c == size) {
                c = 0;
            }
        }
        PacketPool.freeAll(freeing, 0, n);
        inFlight = 0;
        rsCount = 0;
        clean = tail;
        return dropped;
    }

    public int inFlight() {
        return inFlight;
    }

    // ---------------------------------------------------------------- burst path

    /** Queues packets from the front of {@code batch}; returns how many were taken. */
    public int transmit(PacketBatch batch) {
        int taken = 0;
        if (gate.enter()) { // shut: the control thread owns the ring now, take nothing
            try {
                taken = transmitOpen(batch);
            } finally {
                gate.leave();
            }
        }
        return taken;
    }

    private int transmitOpen(PacketBatch batch) {
        int count = batch.size();
        if (count == 0) {
            return 0;
        }
        if (size - 1 - inFlight < RS_THRESHOLD + MAX_DESCRIPTORS_PER_PACKET) {
            cleanCompleted();
        }
        int[] handles = batch.handles();
        int taken = 0;
        int t = tail;
        long bytes = 0;
        int sent = 0;
        while (taken < count) {
            int head = handles[taken];
            PacketPool pool = poolOf(head);
            int segments = pool.segmentCount(head);
            long flags = pool.flags(head);
            int lens = contextLens(pool, head, flags);
            int cmd = contextCmd(flags);
            boolean newContext = !contextValid || lens != contextLens || cmd != contextCmd;
            int needed = segments + (newContext ? 1 : 0);
            int packetLength = pool.packetLength(head);
            if (packetLength < MIN_PAYLEN && !padShortFrame(pool, head, packetLength, segments)) {
                runts++;
                counters.errors++;
                pool.free(head);
                taken++;
                continue;
            }
            if (needed > MAX_DESCRIPTORS_PER_PACKET || segments < 1 || (segments > 1 && chainLength(pool, head) != segments)) {
                // can never be sent (too many segments, or a segment count that does not match the
                // chain): drop it rather than leave it blocking the batch forever
                oversized++;
                counters.errors++;
                pool.free(head);
                taken++;
                continue;
            }
            if (needed > size - 1 - inFlight) {
                cleanCompleted();
                if (needed > size - 1 - inFlight) {
                    break;
                }
            }
            if (newContext) {
                long d = (long) t * SIZE;
                ring.set(INT, d + CTX_VLAN_MACIP_LENS, lens);
                ring.set(INT, d + CTX_SEQNUM_SEED, 0);
                ring.set(INT, d + CTX_TYPE_TUCMD_MLHL, cmd | TX_DTYP_CONTEXT | TX_DEXT);
                ring.set(INT, d + CTX_MSS_L4LEN_IDX, 0); // context slot 0
                contextValid = true;
                contextLens = lens;
                contextCmd = cmd;
                if (++t == size) {
                    t = 0;
                }
            }
            packetLength = pool.packetLength(head); // padded above if it was short
            int olinfo = checkContextBit | packetLength << TX_PAYLEN_SHIFT | popts(flags);
            int dcmd = TX_DTYP_DATA | TX_IFCS | TX_DEXT | ((flags & PacketFlags.TX_VLAN_INSERT) != 0 ? TX_VLE : 0);
            int last = t;
            int seg = head;
            for (int s = 0; s < segments; s++) {
                long d = (long) t * SIZE;
                int len = pool.dataLength(seg);
                int cmdTypeLen = dcmd | len;
                int nextSeg = pool.next(seg);
                if (s == segments - 1) {
                    cmdTypeLen |= TX_EOP;
                    if (sinceRs + needed >= RS_THRESHOLD) {
                        cmdTypeLen |= TX_RS;
                    }
                }
                ring.set(LONG, d + TX_ADDR, pool.dataIova(seg));
                ring.set(INT, d + TX_CMD_TYPE_LEN, cmdTypeLen);
                ring.set(INT, d + TX_OLINFO, olinfo);
                last = t;
                if (++t == size) {
                    t = 0;
                }
                seg = nextSeg;
            }
            owners[last] = head;
            inFlight += needed;
            sinceRs += needed;
            if (sinceRs >= RS_THRESHOLD) {
                rsSlots[(rsHead + rsCount) % rsSlots.length] = last;
                rsCount++;
                sinceRs = 0;
            }
            bytes += packetLength;
            sent++;
            taken++;
        }
        if (taken > 0) {
            batch.removeFirst(taken);
        }
        if (sent > 0) {
            tail = t;
            counters.packets += sent;
            counters.bytes += bytes;
            // last, so that the ring and the batch agree on who owns each packet even if this write faults
            // (the device was unplugged): the ring's, freed when the port stops
            bar.write32(tdtRegister, t); // Bar orders the descriptor stores before this write
        }
        return taken;
    }

    /**
     * Pads a frame of {@value #MIN_FRAME}..{@value #MIN_PAYLEN}-1 bytes with zeros to {@value #MIN_PAYLEN} (in
     * its one buffer's tailroom); false if it cannot be sent (shorter than an Ethernet header, chained, or
     * no room). Cold: an application's frames are normally 60 bytes or more.
     */
    private static boolean padShortFrame(PacketPool pool, int head, int length, int segments) {
        if (length < MIN_FRAME || segments != 1 || pool.tailroom(head) < MIN_PAYLEN - length) {
            return false;
        }
        pool.memory().asSlice(pool.dataOffset(head) + length, MIN_PAYLEN - length).fill((byte) 0);
        pool.setLength(head, MIN_PAYLEN);
        return true;
    }

    private static int chainLength(PacketPool pool, int head) {
        int n = 0;
        for (int h = head; h != PacketPool.NO_PACKET && n <= MAX_DESCRIPTORS_PER_PACKET; h = pool.next(h)) {
            n++;
        }
        return n;
    }

    private PacketPool poolOf(int handle) {
        PacketPool p = lastPool;
        if (p == null || (handle >>> 24) != p.id()) {
            p = PacketPool.of(handle);
            lastPool = p;
        }
        return p;
    }

    /** Frees every packet up to the oldest RS descriptors the device has written back. */
    public void cleanCompleted() {
        int n = 0;
        while (rsCount > 0) {
            int rs = rsSlots[rsHead];
            int status = (int) INT_HANDLE.getAcquire(ring, (long) rs * SIZE + TX_OLINFO);
            if ((status & TX_WB_DD) == 0) {
                break;
            }
            int done = rs - clean + 1;
            if (done <= 0) {
                done += size;
            }
            int c = clean;
            for (int k = 0; k < done; k++) {
                int owner = owners[c];
                if (owner != PacketPool.NO_PACKET) {
                    freeing[n++] = owner;
                    owners[c] = PacketPool.NO_PACKET;
                }
                if (++c == size) {
                    c = 0;
                }
            }
            clean = c;
            inFlight -= done;
            rsHead = rsHead + 1 == rsSlots.length ? 0 : rsHead + 1;
            rsCount--;
        }
        if (n > 0) {
            // One call for the burst, as DPDK's FAST_FREE: one-segment packets of the first packet's pool go
            // straight onto its stack; chains, other pools' packets and other threads take the exact path.
            PacketPool.of(freeing[0]).freeBulk(freeing, 0, n);
        }
    }

    // ---------------------------------------------------------------- offload encoding (ixgbevf facts §2.2, §2.3; igbvf §3.2, §3.3)

    /** vlan_macip_lens: MACLEN 14 and no VLAN when nothing is offloaded. */
    public static int contextLens(PacketPool pool, int head, long flags) {
        int l2 = 14;
        int l3 = 0;
        if ((flags & (PacketFlags.TX_IPV4_CHECKSUM | PacketFlags.TX_TCP_CHECKSUM | PacketFlags.TX_UDP_CHECKSUM)) != 0) {
            l2 = pool.l2Length(head);
            l3 = pool.l3Length(head);
        }
        int vlan = (flags & PacketFlags.TX_VLAN_INSERT) != 0 ? pool.vlanTci(head) : 0;
        return (l3 & 0x1FF) | (l2 & 0x7F) << CTX_MACLEN_SHIFT | vlan << CTX_VLAN_SHIFT;
    }

    /** type_tucmd_mlhl's TUCMD: IPv4 or not, and which L4 checksum ("reserved" when none). */
    public static int contextCmd(long flags) {
        int cmd = (flags & (PacketFlags.TX_IPV4 | PacketFlags.TX_IPV4_CHECKSUM)) != 0 ? CTX_TUCMD_IPV4 : 0;
        if ((flags & PacketFlags.TX_TCP_CHECKSUM) != 0) {
            cmd |= CTX_L4T_TCP;
        } else if ((flags & PacketFlags.TX_UDP_CHECKSUM) != 0) {
            cmd |= CTX_L4T_UDP;
        } else {
            cmd |= CTX_L4T_RESERVED;
        }
        return cmd;
    }

    public static int popts(long flags) {
        int popts = (flags & PacketFlags.TX_IPV4_CHECKSUM) != 0 ? TX_POPTS_IXSM : 0;
        if ((flags & (PacketFlags.TX_TCP_CHECKSUM | PacketFlags.TX_UDP_CHECKSUM)) != 0) {
            popts |= TX_POPTS_TXSM;
        }
        return popts;
    }
}
