/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.vdev.afpacket;

import dev.wirespeed.core.os.ErrnoException;
import dev.wirespeed.core.os.LibC;
import dev.wirespeed.core.packet.PacketBatch;
import dev.wirespeed.core.packet.PacketPool;
import dev.wirespeed.core.port.QueueCounters;
import dev.wirespeed.vdev.Frames;
import dev.wirespeed.vdev.L4Checksum;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * One queue of an af_packet port: a PF_PACKET socket bound to the interface, with a TPACKET_V2 rx ring
 * and tx ring mapped into this process (rx first, then tx, in one mapping). Frames are copied between
 * the rings and pool buffers, as DPDK's net_af_packet does ({@code drivers/net/af_packet/rte_eth_af_packet.c},
 * {@code eth_af_packet_rx}/{@code eth_af_packet_tx}); a transmit burst ends with one {@code sendto} kick.
 *
 * <p>Layouts and values from {@code <linux/if_packet.h>}: {@code struct tpacket2_hdr} is 32 bytes
 * (status 0, len 4, snaplen 8: u32; mac 12, net 14: u16; sec 16, nsec 20: u32; vlan_tci 24, vlan_tpid 26: u16; 4 padding), rx data
 * starts {@code tp_mac} bytes into the frame, tx data at {@code TPACKET_ALIGN(sizeof(tpacket2_hdr))} = 32
 * (the kernel's {@code tpacket_fill_skb}: {@code tp_hdrlen - sizeof(struct sockaddr_ll)}).
 */
final class PacketSocket implements AutoCloseable {
    static final int SOL_PACKET = 263;
    static final int PACKET_ADD_MEMBERSHIP = 1, PACKET_DROP_MEMBERSHIP = 2, PACKET_RX_RING = 5, PACKET_STATISTICS = 6,
            PACKET_VERSION = 10, PACKET_TX_RING = 13, PACKET_LOSS = 14, PACKET_FANOUT = 18, PACKET_QDISC_BYPASS = 20,
            PACKET_IGNORE_OUTGOING = 23;
    static final int TPACKET_V2 = 1;
    static final int PACKET_MR_PROMISC = 1;
    static final int PACKET_FANOUT_HASH = 0;
    static final int ETH_P_ALL = 0x0003;

    static final int TP_STATUS_KERNEL = 0, TP_STATUS_USER = 1, TP_STATUS_LOSING = 4, TP_STATUS_CSUMNOTREADY = 8,
            TP_STATUS_VLAN_VALID = 0x10, TP_STATUS_VLAN_TPID_VALID = 0x40;
    static final int TP_STATUS_AVAILABLE = 0, TP_STATUS_SEND_REQUEST = 1, TP_STATUS_WRONG_FORMAT = 4;
    static final int TX_DATA = 32;
    static final int ENOBUFS = 105, EAGAIN = 11;

    // tpacket2_hdr field offsets
    private static final long STATUS = 0, LEN = 4, SNAPLEN = 8, MAC = 12, VLAN_TCI = 24, VLAN_TPID = 26;
    private static final VarHandle STATUS_VH = JAVA_INT.varHandle();

    final int fd;
    private final String device;
    private final MemorySegment rings;
    private final int frameSize;
    private final int frames;
    private final long txBase;
    private int rxHead;
    private int txHead;
    /** Frames completed with a fixed checksum, and tx frames the kernel refused (WRONG_FORMAT). */
    long checksumsCompleted;
    long txWrongFormat;
    long kickErrors;
    int lastKickErrno;
    private boolean oversizeSaid;

    private PacketSocket(String device, int fd, MemorySegment rings, int frameSize, int frames) {
        this.device = device;
        this.fd = fd;
        this.rings = rings;
        this.frameSize = frameSize;
        this.frames = frames;
        this.txBase = (long) frameSize * frames;
    }

    /**
     * Opens a socket on interface {@code ifindex} with rings of {@code frames} frames of {@code frameSize}
     * bytes each way; joins fanout group {@code fanoutId} when {@code fanout} (several queues).
     */
    static PacketSocket open(String device, String ifname, int ifindex, int frameSize, int frames, boolean fanout, int fanoutId) {
        int fd;
        try {
            // protocol 0: receives nothing until bound to the one interface below
            fd = LibC.socket(LibC.AF_PACKET, LibC.SOCK_RAW | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, 0, "AF_PACKET, SOCK_RAW");
        } catch (ErrnoException e) {
            if (e.errno() == 1 || e.errno() == 13) {
                throw new ErrnoException(e.call(), e.errno(), device + ": packet sockets need CAP_NET_RAW: run as root, or grant it"
                        + " (e.g. sudo setcap cap_net_raw,cap_net_admin+ep \"$(readlink -f \"$(command -v java)\")\")");
            }
            throw e;
        }
        MemorySegment rings = null;
        try (Arena arena = Arena.ofConfined()) {
            setInt(fd, PACKET_VERSION, TPACKET_V2, "PACKET_VERSION TPACKET_V2", arena);
            // A port's rx is what arrives on the wire, not what it sent (and a fanout sibling's transmissions)
            setInt(fd, PACKET_IGNORE_OUTGOING, 1, "PACKET_IGNORE_OUTGOING", arena);
            // tx straight to the driver, as a NIC port does: no qdisc in between (DPDK's qdisc_bypass option)
            setInt(fd, PACKET_QDISC_BYPASS, 1, "PACKET_QDISC_BYPASS", arena);
            // a frame the kernel refuses is skipped (and counted by us) instead of stopping the whole tx ring
            setInt(fd, PACKET_LOSS, 1, "PACKET_LOSS", arena);
            MemorySegment req = arena.allocate(16, 4);
            int blockSize = Math.max(frameSize, 4096);
            int framesPerBlock = blockSize / frameSize;
            req.set(JAVA_INT, 0, blockSize);
            req.set(JAVA_INT, 4, frames / framesPerBlock);
            req.set(JAVA_INT, 8, frameSize);
            req.set(JAVA_INT, 12, frames);
            LibC.setsockopt(fd, SOL_PACKET, PACKET_RX_RING, req, "PACKET_RX_RING " + frames + " x " + frameSize + " bytes");
            LibC.setsockopt(fd, SOL_PACKET, PACKET_TX_RING, req, "PACKET_TX_RING " + frames + " x " + frameSize + " bytes");
            rings = LibC.mmap(2L * frameSize * frames, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, fd, 0);
            MemorySegment sll = arena.allocate(20, 4); // struct sockaddr_ll
            sll.set(JAVA_SHORT, 0, (short) LibC.AF_PACKET);
            sll.set(JAVA_SHORT, 2, Short.reverseBytes((short) ETH_P_ALL));
            sll.set(JAVA_INT, 4, ifindex);
            LibC.bind(fd, sll, "AF_PACKET, ETH_P_ALL, " + ifname + " (index " + ifindex + ")");
            if (fanout) {
                // PACKET_FANOUT_HASH spreads by flow hash, as RSS does; the group id is the port's own
                setInt(fd, PACKET_FANOUT, (fanoutId & 0xFFFF) | PACKET_FANOUT_HASH << 16, "PACKET_FANOUT hash, group " + fanoutId, arena);
            }
            return new PacketSocket(device, fd, rings, frameSize, frames);
        } catch (RuntimeException e) {
            if (rings != null) {
                LibC.munmap(rings);
            }
            LibC.close(fd);
            throw e;
        }
    }

    private static void setInt(int fd, int option, int value, String what, Arena arena) {
        MemorySegment v = arena.allocate(JAVA_INT);
        v.set(JAVA_INT, 0, value);
        LibC.setsockopt(fd, SOL_PACKET, option, v, what);
    }

    /** Promiscuous membership of this socket (the kernel counts it per socket and drops it on close). */
    void promiscuous(int ifindex, boolean on) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mreq = arena.allocate(16, 4); // struct packet_mreq
            mreq.set(JAVA_INT, 0, ifindex);
            mreq.set(JAVA_SHORT, 4, (short) PACKET_MR_PROMISC);
            LibC.setsockopt(fd, SOL_PACKET, on ? PACKET_ADD_MEMBERSHIP : PACKET_DROP_MEMBERSHIP, mreq,
                    on ? "PACKET_ADD_MEMBERSHIP PACKET_MR_PROMISC" : "PACKET_DROP_MEMBERSHIP PACKET_MR_PROMISC");
        }
    }

    /** {@code PACKET_STATISTICS}: frames dropped since the last call (the kernel resets it on reading). */
    long takeDrops() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(8, 4); // struct tpacket_stats {tp_packets, tp_drops}
            LibC.getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, st, "PACKET_STATISTICS");
            return st.get(JAVA_INT, 4) & 0xFFFF_FFFFL;
        }
    }

    private int status(long frame) {
        return (int) STATUS_VH.getAcquire(rings, frame);
    }

    private void release(long frame, int status) {
        STATUS_VH.setRelease(rings, frame, status);
    }

    /** Whether the next rx frame belongs to us (a poll would find a packet). */
    boolean rxReady() {
        return (status((long) rxHead * frameSize) & TP_STATUS_USER) != 0;
    }

    /** Hands every frame received so far back to the kernel unread (start: stale frames from before). */
    void discardRx() {
        while (rxReady()) {
            release((long) rxHead * frameSize, TP_STATUS_KERNEL);
            rxHead = rxHead + 1 == frames ? 0 : rxHead + 1;
        }
    }

    /**
     * Copies up to {@code batch.remaining()} frames from the rx ring into buffers of {@code pool}; frames
     * longer than {@code maxFrame} (a GSO frame larger than the MTU) or than a buffer are dropped and counted.
     */
    int rx(PacketBatch batch, PacketPool pool, int port, int maxFrame, QueueCounters c) {
        int want = batch.remaining();
        int size = batch.size();
        int[] handles = batch.handles();
        int got = 0;
        long bytes = 0;
        MemorySegment mem = pool.memory();
        int room = pool.dataRoom();
        while (got < want) {
            long frame = (long) rxHead * frameSize;
            int status = status(frame);
            if ((status & TP_STATUS_USER) == 0) {
                break;
            }
            int len = rings.get(JAVA_INT, frame + LEN);
            int snap = rings.get(JAVA_INT, frame + SNAPLEN);
            boolean tagged = (status & TP_STATUS_VLAN_VALID) != 0;
            int out = tagged ? len + 4 : len;
            if (snap < len || out > room || len > maxFrame + (tagged ? 4 : 0)) {
                c.drops++;
                if (!oversizeSaid) {
                    sayOversize(len, Math.min(room, maxFrame));
                }
            } else {
                int h = pool.alloc();
                if (h == PacketPool.NO_PACKET) {
                    c.errors++;
                    break; // leave the frame in the ring for the next poll
                }
                long src = frame + (rings.get(JAVA_SHORT, frame + MAC) & 0xFFFF);
                long dst = pool.dataOffset(h);
                if (tagged) {
                    // the kernel took the tag out (tp_vlan_tci); a port hands the frame over as it was on the wire
                    int tpid = (status & TP_STATUS_VLAN_TPID_VALID) != 0 ? rings.get(JAVA_SHORT, frame + VLAN_TPID) & 0xFFFF : 0x8100;
                    int tci = rings.get(JAVA_SHORT, frame + VLAN_TCI) & 0xFFFF;
                    MemorySegment.copy(rings, src, mem, dst, 12);
                    mem.set(JAVA_BYTE, dst + 12, (byte) (tpid >>> 8));
                    mem.set(JAVA_BYTE, dst + 13, (byte) tpid);
                    mem.set(JAVA_BYTE, dst + 14, (byte) (tci >>> 8));
                    mem.set(JAVA_BYTE, dst + 15, (byte) tci);
                    MemorySegment.copy(rings, src + 12, mem, dst + 16, len - 12);
                } else {
                    MemorySegment.copy(rings, src, mem, dst, len);
                }
                if ((status & TP_STATUS_CSUMNOTREADY) != 0 && L4Checksum.complete(mem, dst, out)) {
                    checksumsCompleted++;
                }
                pool.setLength(h, out);
                pool.setPort(h, port);
                handles[size + got++] = h;
                bytes += out;
            }
            release(frame, TP_STATUS_KERNEL);
            rxHead = rxHead + 1 == frames ? 0 : rxHead + 1;
        }
        batch.setSize(size + got);
        c.packets += got;
        c.bytes += bytes;
        return got;
    }

    /**
     * Copies packets from the front of {@code batch} into free tx frames, frees them, and kicks the kernel
     * once. Packets longer than {@code maxFrame} are dropped (counted): the kernel would refuse them.
     */
    int tx(PacketBatch batch, int maxFrame, QueueCounters c) {
        int n = batch.size();
        int[] handles = batch.handles();
        int taken = 0;
        int queued = 0;
        long bytes = 0;
        int limit = Math.min(maxFrame, frameSize - TX_DATA);
        PacketPool p = null;
        while (taken < n) {
            long frame = txBase + (long) txHead * frameSize;
            int status = status(frame);
            if (status != TP_STATUS_AVAILABLE) {
                if ((status & TP_STATUS_WRONG_FORMAT) == 0) {
                    break; // still being sent: the ring is full
                }
                txWrongFormat++;
                c.errors++;
            }
            int h = handles[taken];
            if (p == null || p.id() != (h >>> 24)) {
                p = PacketPool.of(h);
            }
            int len = p.packetLength(h);
            taken++;
            if (len > limit) {
                c.drops++;
                if (status != TP_STATUS_AVAILABLE) {
                    release(frame, TP_STATUS_AVAILABLE);
                }
                continue;
            }
            Frames.copyChain(p, h, rings, frame + TX_DATA);
            rings.set(JAVA_INT, frame + LEN, len);
            release(frame, TP_STATUS_SEND_REQUEST);
            txHead = txHead + 1 == frames ? 0 : txHead + 1;
            queued++;
            bytes += len;
        }
        if (taken == 0) {
            return 0;
        }
        PacketPool.freeAll(handles, 0, taken);
        batch.removeFirst(taken);
        if (queued > 0) {
            long rc = LibC.sendOrErrno(fd, MemorySegment.NULL, 0, LibC.MSG_DONTWAIT);
            if (rc < 0 && rc != -EAGAIN && rc != -ENOBUFS) {
                // e.g. ENETDOWN: the frames stay queued in the ring; the next kick sends them if the link returns
                kickErrors++;
                lastKickErrno = (int) -rc;
            }
        }
        c.packets += queued;
        c.bytes += bytes;
        return taken;
    }

    /**
     * Says once per queue why frames are dropped: nearly always a GSO/TSO frame from a veth or TAP peer
     * (the stack hands over up to 64 KiB unsegmented). Not per packet: the count is in the stats.
     */
    private void sayOversize(int len, int max) {
        oversizeSaid = true;
        System.err.println(device + ": dropped a " + len + "-byte frame, larger than the " + max + " bytes a frame may have here;"
                + " the sending side hands over unsegmented GSO/TSO frames. Turn TCP segmentation offload off on the sender"
                + " (ethtool -K IF tso off: the kernel then segments in software before the frame leaves; without ethtool,"
                + " ip link set dev IF gso_max_segs 1). Counted in RX-errors"
                + " (rx_qN_oversize_drops); said once per queue");
    }

    @Override
    public void close() {
        LibC.munmap(rings);
        LibC.close(fd);
    }
}
