/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.vdev.tap;

import dev.wirespeed.core.idle.WakeSource;
import dev.wirespeed.core.os.Errno;
import dev.wirespeed.core.os.ErrnoException;
import dev.wirespeed.core.os.LibC;
import dev.wirespeed.core.packet.PacketBatch;
import dev.wirespeed.core.packet.PacketPool;
import dev.wirespeed.core.port.LinkStatus;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.core.port.QueueCounters;
import dev.wirespeed.vdev.Frames;
import dev.wirespeed.vdev.LevelTriggeredWake;
import dev.wirespeed.vdev.NetInterface;
import dev.wirespeed.vdev.VdevPort;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Map;

/**
 * A TAP interface as a port, as DPDK's net_tap: what the kernel sends on the interface is received here,
 * what is transmitted here arrives in the kernel as if from a wire. One descriptor per queue
 * ({@code IFF_MULTI_QUEUE} when there are several: the kernel spreads flows over them).
 *
 * <p>One {@code read}/{@code write} per frame through a per-queue staging area of 64 KiB: a frame larger
 * than a buffer or the MTU is seen whole, dropped and counted rather than cut; copying into pool buffers
 * from there allocates nothing.
 */
final class TapPort extends VdevPort {
    private static final int STAGING = 65536;

    private final int[] fds;
    private final int ctl;
    private final NetInterface iface;
    private final PacketPool[] pools;
    private final int maxFrame;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment[] rxStaging;
    private final MemorySegment[] txStaging;
    private final FdWake[] wakes;
    private volatile long rxReadErrors;

    TapPort(int id, String name, PortConfig config, NetInterface iface, int ctl, int[] fds, PacketPool[] pools) {
        super(id, name, config, iface.mac(), iface.mtu());
        this.fds = fds;
        this.ctl = ctl;
        this.iface = iface;
        this.pools = pools;
        this.maxFrame = mtu() + 18; // a tagged frame of MTU bytes
        this.rxStaging = new MemorySegment[config.rxQueues()];
        this.wakes = new FdWake[config.rxQueues()];
        for (int q = 0; q < rxStaging.length; q++) {
            rxStaging[q] = arena.allocate(STAGING, 64);
            wakes[q] = new FdWake(fds[q], name + " rx queue " + q);
        }
        this.txStaging = new MemorySegment[config.txQueues()];
        for (int q = 0; q < txStaging.length; q++) {
            txStaging[q] = arena.allocate(STAGING, 64);
        }
    }

    @Override
    public int rx(int queue, PacketBatch batch) {
        int want = batch.remaining();
        if (!started || want == 0) {
            return 0;
        }
        QueueCounters c = rxCounters[queue];
        PacketPool pool = pools[queue];
        MemorySegment staging = rxStaging[queue];
        int fd = fds[queue];
        int room = Math.min(pool.dataRoom(), maxFrame);
        int[] handles = batch.handles();
        int size = batch.size();
        int got = 0;
        long bytes = 0;
        while (got < want) {
            long n = LibC.readOrErrno(fd, staging, STAGING);
            if (n <= 0) {
                if (n != -Errno.EAGAIN) {
                    rxReadErrors++;
                }
                break;
            }
            if (n > room) {
                c.drops++;
                continue;
            }
            int h = pool.alloc();
            if (h == PacketPool.NO_PACKET) {
                c.errors++; // the frame is lost: a TAP has no ring to leave it in
                break;
            }
            MemorySegment.copy(staging, 0, pool.memory(), pool.dataOffset(h), n);
            pool.setLength(h, (int) n);
            pool.setPort(h, id());
            handles[size + got++] = h;
            bytes += n;
        }
        batch.setSize(size + got);
        c.packets += got;
        c.bytes += bytes;
        return got;
    }

    @Override
    public int tx(int queue, PacketBatch batch) {
        int n = batch.size();
        if (!started || n == 0) {
            return 0;
        }
        QueueCounters c = txCounters[queue];
        MemorySegment staging = txStaging[queue];
        int fd = fds[queue];
        int[] handles = batch.handles();
        int sent = 0;
        long bytes = 0;
        PacketPool p = null;
        int i = 0;
        for (; i < n; i++) {
            int h = handles[i];
            if (p == null || p.id() != (h >>> 24)) {
                p = PacketPool.of(h);
            }
            int len = p.packetLength(h);
            if (len > maxFrame) {
                c.drops++;
                continue;
            }
            Frames.copyChain(p, h, staging, 0);
            long rc = LibC.writeOrErrno(fd, staging, len);
            if (rc == -Errno.EAGAIN) {
                break; // the kernel's queue is full: the rest stays in the batch
            }
            if (rc < 0) {
                c.errors++;
            } else {
                sent++;
                bytes += len;
            }
        }
        PacketPool.freeAll(handles, 0, i);
        batch.removeFirst(i);
        c.packets += sent;
        c.bytes += bytes;
        return i;
    }

    @Override
    public void start() {
        started = true;
    }

    /** The port receives every frame the kernel sends on the TAP: it is always promiscuous. */
    @Override
    public boolean setPromiscuous(boolean enabled) {
        return true;
    }

    @Override
    public boolean isPromiscuous() {
        return true;
    }

    /**
     * Up when the interface is up. A TAP moved into another network namespace (as the tests do) cannot be
     * looked up by name from here; its descriptor is still attached, so the link is reported up.
     */
    @Override
    public LinkStatus linkStatus() {
        try {
            return iface.isUp() ? new LinkStatus(true, 0, true) : LinkStatus.DOWN;
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENODEV) {
                return new LinkStatus(true, 0, true);
            }
            throw e;
        }
    }

    @Override
    protected long kernelDrops() {
        return 0; // the kernel's drops on a TAP show in its own counters (ip -s link show)
    }

    @Override
    protected void driverStats(Map<String, Long> x) {
        x.put("rx_read_errors", rxReadErrors);
    }

    @Override
    public WakeSource rxWakeSource(int queue) {
        return wakes[queue];
    }

    @Override
    protected void release() {
        for (int fd : fds) {
            LibC.close(fd);
        }
        LibC.close(ctl);
        arena.close();
    }

    /**
     * A TAP descriptor is readable while a frame waits. Whether one does cannot be asked without reading
     * it, and need not be: epoll reports an already readable descriptor at once, so no wake-up is lost.
     */
    private static final class FdWake extends LevelTriggeredWake {
        FdWake(int fd, String what) {
            super(fd, what);
        }

        @Override
        public boolean hasWork() {
            return false;
        }
    }
}
