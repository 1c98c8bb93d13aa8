/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.vdev.afpacket;

import dev.wirespeed.core.idle.WakeSource;
import dev.wirespeed.core.os.Errno;
import dev.wirespeed.core.os.LibC;
import dev.wirespeed.core.packet.PacketBatch;
import dev.wirespeed.core.packet.PacketPool;
import dev.wirespeed.core.port.LinkStatus;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.vdev.LevelTriggeredWake;
import dev.wirespeed.vdev.NetInterface;
import dev.wirespeed.vdev.VdevPort;

import java.util.Map;

/**
 * A Linux interface as a port through packet sockets: one socket per queue ({@code max(rxQueues, txQueues)}),
 * joined in a {@code PACKET_FANOUT} hash group when there are several, so the kernel spreads flows over
 * the rx queues as RSS would. Rx queue {@code q} and tx queue {@code q} use socket {@code q}.
 *
 * <p>Frames larger than the interface MTU (+ Ethernet header) are dropped and counted (rx: {@code ierrors},
 * {@code rx_qN_oversize_drops}): a veth or TAP peer with TSO/GSO on hands the packet socket unsegmented
 * TCP frames of up to 64 KiB, which no port with MTU-sized buffers can forward. Turn TCP segmentation
 * offload off on the sending interface ({@code ethtool -K IF tso off}: the kernel then segments in software
 * before the veth), or {@code ip link set dev IF gso_max_segs 1} where ethtool is missing (slower: the
 * stack then builds every segment on its own). Frames the stack left with a partial checksum
 * ({@code TP_STATUS_CSUMNOTREADY}) are completed here, so tx checksum offload may stay on.
 */
final class AfPacketPort extends VdevPort {
    private final String ifname;
    private final int ctl;
    private final int ifindex;
    private final PacketSocket[] sockets;
    private final PacketPool[] pools;
    private final NetInterface iface;
    private final int maxFrame;
    private final SocketWake[] wakes;
    private boolean promiscuous;
    private long kernelDrops;

    AfPacketPort(int id, String name, PortConfig config, NetInterface iface, int ctl, int ifindex, PacketSocket[] sockets, PacketPool[] pools) {
        super(id, name, config, iface.mac(), iface.mtu());
        this.ifname = iface.name();
        this.ctl = ctl;
        this.ifindex = ifindex;
        this.sockets = sockets;
        this.pools = pools;
        this.iface = iface;
        this.maxFrame = mtu() + 14;
        this.wakes = new SocketWake[config.rxQueues()];
        for (int q = 0; q < wakes.length; q++) {
            wakes[q] = new SocketWake(sockets[q], name + " rx queue " + q);
        }
    }

    @Override
    public int rx(int queue, PacketBatch batch) {
        if (!started || batch.remaining() == 0) {
            return 0;
        }
        return sockets[queue].rx(batch, pools[queue], id(), maxFrame, rxCounters[queue]);
    }

    @Override
    public int tx(int queue, PacketBatch batch) {
        if (!started || batch.isEmpty()) {
            return 0;
        }
        return sockets[queue].tx(batch, maxFrame, txCounters[queue]);
    }

    /** Refuses an interface that is administratively down: nothing would ever arrive, sends fail with ENETDOWN. */
    @Override
    public void start() {
        if (!iface.isUp()) {
            throw new IllegalStateException(name() + ": interface " + ifname + " is down; bring it up first: ip link set dev " + ifname + " up");
        }
        for (PacketSocket s : sockets) {
            s.discardRx();
        }
        started = true;
    }

    @Override
    public synchronized boolean setPromiscuous(boolean enabled) {
        if (enabled != promiscuous) {
            sockets[0].promiscuous(ifindex, enabled);
            promiscuous = enabled;
        }
        return enabled;
    }

    @Override
    public synchronized boolean isPromiscuous() {
        return promiscuous;
    }

    /** Up when the interface is up and has carrier (a veth whose peer is up); the speed is not known. */
    @Override
    public LinkStatus linkStatus() {
        return iface.isRunning() ? new LinkStatus(true, 0, true) : LinkStatus.DOWN;
    }

    @Override
    protected synchronized long kernelDrops() {
        for (PacketSocket s : sockets) {
            kernelDrops += s.takeDrops();
        }
        return kernelDrops;
    }

    @Override
    protected void driverStats(Map<String, Long> x) {
        long csum = 0, wrong = 0, kicks = 0;
        int lastErrno = 0;
        for (PacketSocket s : sockets) {
            csum += s.checksumsCompleted;
            wrong += s.txWrongFormat;
            kicks += s.kickErrors;
            lastErrno = s.lastKickErrno != 0 ? s.lastKickErrno : lastErrno;
        }
        x.put("rx_checksums_completed", csum);
        x.put("tx_wrong_format", wrong);
        x.put("tx_kick_errors", kicks);
        if (lastErrno != 0) {
            x.put("tx_kick_last_errno_" + Errno.name(lastErrno), (long) lastErrno);
        }
    }

    @Override
    public WakeSource rxWakeSource(int queue) {
        return wakes[queue];
    }

    @Override
    protected void release() {
        for (PacketSocket s : sockets) {
            s.close();
        }
        LibC.close(ctl);
    }

    /** Sleeps on the socket: readable while the rx ring holds a frame for us (the kernel's {@code packet_poll}). */
    private static final class SocketWake extends LevelTriggeredWake {
        private final PacketSocket socket;

        SocketWake(PacketSocket socket, String what) {
            super(socket.fd, what);
            this.socket = socket;
        }

        @Override
        public boolean hasWork() {
            return socket.rxReady();
        }
    }
}
