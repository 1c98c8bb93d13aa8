/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.jmh;

import dev.wirespeed.core.dma.AnonymousDmaDomain;
import dev.wirespeed.core.idle.InterruptIdleConfig;
import dev.wirespeed.core.idle.InterruptIdleStrategy;
import dev.wirespeed.core.lcore.Lcore;
import dev.wirespeed.core.packet.PacketBatch;
import dev.wirespeed.core.packet.PacketPool;
import dev.wirespeed.core.port.Port;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.core.port.Ports;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * One packet over a {@code ring:} port pair to an lcore polling the far end, as an application would run:
 * either with the interrupt idle strategy (the setup of l2fwd's {@code --idle interrupt}: default spin
 * phase, then arm the ring port's rx interrupt and sleep in {@code epoll_wait}), or busy-spinning.
 *
 * <p>The benchmark thread owns the packet pool and sends; the lcore receives, records the latency from
 * the send timestamp in the packet's user data, and frees the packet back across threads.
 */
final class RingPortWakeUp implements WakeUpScenario {
    private static int links; // distinct link names, in case a previous trial's ports linger

    private final LatencyProbe probe = new LatencyProbe();
    private final AnonymousDmaDomain dma;
    private final PacketPool pool;
    private final Port sender;
    private final Port receiver;
    private final WatchedWakeSource wake;
    private final Lcore lcore;
    private final long settleNanos;
    private final PacketBatch batch = new PacketBatch(1);
    private final BooleanSupplier asleep;

    /**
     * @param interrupt   true: interrupt idle strategy with its default config; false: busy-spin
     * @param settleNanos for the interrupt case, how long after the arm to send, so the lcore is really in
     *                    {@code epoll_wait}; for busy-spin, a pause between packets
     */
    RingPortWakeUp(boolean interrupt, long settleNanos) {
        this.settleNanos = settleNanos;
        dma = new AnonymousDmaDomain("wake-up");
        pool = PacketPool.create("wake-up", dma, 256);
        String link;
        synchronized (RingPortWakeUp.class) {
            link = "ring:wake-up-bench-" + links++;
        }
        PortConfig cfg = PortConfig.builder().rxPool(pool).rxInterrupts(true).build();
        sender = Ports.open(link, cfg.toBuilder().portId(0).build());
        receiver = Ports.open(link, cfg.toBuilder().portId(1).build());
        sender.start();
        receiver.start();
        wake = new WatchedWakeSource(receiver.rxWakeSource(0));
        Lcore.Builder b = Lcore.builder(interrupt ? "wake-up-interrupt" : "wake-up-spin",
                new LatencyRecordingAgent(receiver, probe));
        b.idleStrategy(interrupt
                ? new InterruptIdleStrategy(List.of(wake), InterruptIdleConfig.defaults())
                : new BusySpinIdleStrategy());
        lcore = b.start();
        asleep = interrupt ? wake::isArmed : () -> true;
    }

    @Override
    public void awaitConsumerIdle() {
        Spin.until(asleep, "the lcore to arm its rx interrupt and sleep");
        Spin.forNanos(settleNanos);
    }

    @Override
    public void send() {
        int h = pool.alloc();
        if (h == PacketPool.NO_PACKET) {
            throw new IllegalStateException("wake-up pool ran dry: the consumer does not free what it receives");
        }
        pool.setLength(h, 64);
        pool.setUserData(h, System.nanoTime());
        batch.add(h);
        if (sender.tx(0, batch) != 1) {
            batch.freeAll();
            throw new IllegalStateException("ring port refused a packet: the consumer does not drain its ring");
        }
    }

    @Override
    public Thread consumerThread() {
        return lcore.thread();
    }

    @Override
    public LatencyProbe probe() {
        return probe;
    }

    @Override
    public IdleStrategy idleStrategy() {
        return lcore.idleStrategy();
    }

    @Override
    public void close() {
        lcore.close();
        sender.close();
        receiver.close();
        pool.close();
        dma.close();
    }
}
