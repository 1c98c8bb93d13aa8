/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.port.soft;

import dev.wirespeed.core.idle.WakeSource;
import dev.wirespeed.core.packet.HandleRing;
import dev.wirespeed.core.packet.PacketBatch;
import dev.wirespeed.core.port.LinkStatus;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.core.port.QueueCounters;


/**
 * One end of an in-process link, like DPDK's {@code net_ring}: open {@code ring:NAME} twice and what one
 * port transmits on queue q, the other receives on queue q. Packets cross as handles, with no copy; the
 * receiver frees them to their own pool, from whichever thread (see {@code PacketPool}).
 * Rx interrupts are supported, so a ring port can drive the interrupt idle strategy.
 */
public final class RingPort extends SoftPort {
    private final RingLink link;
    private final HandleRing[] incoming;
    private final HandleRing[] outgoing;
    private final RingWake[] myWakes;
    private final RingWake[] peerWakes;
    private final boolean rxInterrupts;
    private boolean closed;

    RingPort(int id, String name, String linkName, PortConfig config) {
        super(id, name, config, 0xB0_0000L);
        int queues = Math.max(config.rxQueues(), config.txQueues());
        this.link = RingLink.attach(linkName, queues, Math.max(config.rxRingSize(), config.txRingSize()), this);
        boolean a = link.sideOf(this) == 0;
        this.incoming = a ? link.bToA : link.aToB;
        this.outgoing = a ? link.aToB : link.bToA;
        this.myWakes = a ? link.wakeA : link.wakeB;
        this.peerWakes = a ? link.wakeB : link.wakeA;
        this.rxInterrupts = config.rxInterrupts();
    }

    @Override
    public int rx(int queue, PacketBatch batch) {
        QueueCounters c = rxCounters[queue];
        if (!started) {
            return 0;
        }
        int first = batch.size();
        int n = incoming[queue].poll(batch.handles(), first, batch.remaining());
        batch.setSize(first + n);
        c.packets += n;
        return n;
    }

    @Override
    public int tx(int queue, PacketBatch batch) {
        QueueCounters c = txCounters[queue];
        int size = batch.size();
        if (size == 0 || !started) {
            return 0;
        }
        int n = outgoing[queue].offer(batch.handles(), 0, size);
        if (n > 0) {
            peerWakes[queue].notifyArrival();
            batch.removeFirst(n);
            c.packets += n;
        }
        return n;
    }

    /** Stops and frees every packet waiting for this port to receive it. */
    @Override
    public void stop() {
        started = false;
        for (HandleRing ring : incoming) {
            RingLink.drain(ring);
        }
    }

    @Override
    public int mtu() {
        return PortConfig.MAX_MTU;
    }

    @Override
    public LinkStatus linkStatus() {
        return link.peerOf(this) == null ? LinkStatus.DOWN : new LinkStatus(true, 0, true);
    }

    @Override
    public WakeSource rxWakeSource(int queue) {
        if (!rxInterrupts) {
            throw new IllegalStateException(name() + ": rx interrupts are off; open the port with PortConfig.builder().rxInterrupts(true)");
        }
        return myWakes[queue];
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            stop();
            link.detach(this);
        }
    }
}
