/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.jmh;

import dev.wirespeed.core.dma.AnonymousDmaDomain;
import dev.wirespeed.core.idle.InterruptIdleConfig;
import dev.wirespeed.core.idle.InterruptIdleStrategy;
import dev.wirespeed.core.lcore.Lcore;
import dev.wirespeed.core.packet.PacketPool;
import dev.wirespeed.core.port.Port;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.core.port.Ports;
import dev.wirespeed.emulator.port.EmulatedPort;
import dev.wirespeed.emulator.wire.FrameQueue;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * One frame arriving at an idle emulated 82599 VF, to an lcore polling it through the real VF driver:
 * either with the interrupt idle strategy (l2fwd's {@code --idle interrupt}: the port opened with rx
 * interrupts, default spin phase, then arm the queue's interrupt and sleep in {@code epoll_wait}), or
 * busy-spinning.
 *
 * <p><b>Where the frame enters.</b> The port is {@code emu:wire=sink,mac=…}: nothing produces into its
 * inbound wire queue, so the benchmark thread can be that queue's single producer. It stamps
 * {@link System#nanoTime()} into a 60-byte frame addressed to the port and offers it to
 * {@code EmulatedDevice.wire().inbound()}: the moment the frame is on the port's wire, exactly where a
 * {@code pair:} peer's device thread would put it after its own tx DMA. Sending through a second emulated
 * port instead would add the peer's driver tx path and a second device thread (and its naps) to every
 * sample, which is not "a frame arrives at the port". From there the measured path is the whole receive
 * side: the emulator's device thread notices the frame, DMAs it into an rx buffer, writes the descriptor
 * back, raises the queue's cause (interrupt case: the vector fires and writes the eventfd), the lcore wakes
 * from {@code epoll_wait} (or its busy poll sees DD), the driver's {@code rx} returns the packet, and the
 * agent records now minus the stamp it reads from the packet's data.
 *
 * <p><b>The device thread is part of it.</b> The emulator's device thread polls its wire and rings; when
 * idle it first spins (some 10^5 passes, milliseconds) and then naps in 20 µs parks, which in practice
 * last longer (timer slack, scheduling). At the default pacing (the lcore's 100 µs spin phase, its arm,
 * then {@code settleMicros}) the device thread is usually still in its spin phase when the frame arrives,
 * so its naps hardly show. {@code napping = true} waits before each frame until the device thread is seen
 * parked (its thread state is {@code TIMED_WAITING}), so every sample includes waking from a nap: the
 * latency an emulated port shows after a real pause in traffic. On this 2-core machine the device thread,
 * when it spins, competes with the lcore and the sender for the two cores.
 */
final class EmulatedPortWakeUp implements WakeUpScenario {
    private static final int FRAME = 60;
    private static final long STAMP_OFFSET = 14; // right after the Ethernet header
    private static final ValueLayout.OfLong STAMP = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort SHORT_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** Used when the device thread cannot be found by name: long enough for the device thread to be napping. */
    private static final long FALLBACK_NAP_WAIT_NANOS = 50_000_000;

    private final LatencyProbe probe = new LatencyProbe();
    private final AnonymousDmaDomain dma;
    private final PacketPool pool;
    private final EmulatedPort port;
    private final FrameQueue wire;
    private final WatchedWakeSource wake;
    private final Lcore lcore;
    private final long settleNanos;
    private final MemorySegment frame = Arena.ofAuto().allocate(64, 64);
    private final BooleanSupplier consumerAsleep;
    private final Thread deviceThread;
    private final boolean napping;
    private final BooleanSupplier deviceNapping = this::deviceNapping;

    /**
     * @param interrupt   true: interrupt idle strategy with its default config; false: busy-spin
     * @param napping     true: before each frame, also wait until the emulator's device thread naps
     * @param settleNanos for the interrupt case, how long after the arm to send, so the lcore is really in
     *                    {@code epoll_wait}; for busy-spin, a pause between frames
     */
    EmulatedPortWakeUp(boolean interrupt, boolean napping, long settleNanos) {
        this.settleNanos = settleNanos;
        this.napping = napping;
        dma = new AnonymousDmaDomain("emu-wake-up");
        pool = PacketPool.create("emu-wake-up", dma, 2048);
        PortConfig cfg = PortConfig.builder().rxPool(pool).rxRingSize(512).txRingSize(128).rxInterrupts(interrupt).build();
        EmulatedPort p = null;
        WatchedWakeSource w = null;
        Lcore l = null;
        try {
            p = (EmulatedPort) Ports.open("emu:wire=sink,mac=02:00:00:00:02:00", cfg);
            p.start(); // fills the rx ring from the pool on this thread; the lcore adopts the pool below
            Port driver = p.driverPort();
            w = interrupt ? new WatchedWakeSource(driver.rxWakeSource(0)) : null;
            Lcore.Builder b = Lcore.builder(interrupt ? "emu-wake-up-interrupt" : "emu-wake-up-spin",
                    new StampRecordingAgent(driver, pool, probe));
            b.idleStrategy(interrupt
                    ? new InterruptIdleStrategy(List.of(w), InterruptIdleConfig.defaults())
                    : new BusySpinIdleStrategy());
            l = b.start();
        } catch (RuntimeException e) {
            if (p != null) {
                p.close();
            }
            pool.close();
            dma.close();
            throw e;
        }
        port = p;
        wake = w;
        lcore = l;
        wire = port.device().wire().inbound();
        consumerAsleep = interrupt ? wake::isArmed : () -> true;
        deviceThread = napping ? findDeviceThread("emu-" + port.device().vf().address()) : null;
        if (napping && deviceThread == null) {
            System.out.println("note: emulator device thread 'emu-" + port.device().vf().address() + "' not found;"
                    + " waiting " + FALLBACK_NAP_WAIT_NANOS / 1_000_000 + " ms before each frame instead of watching it nap");
        }
        long dst = port.macAddress().value(); // the port's own MAC: passes the unicast filter
        long src = 0x0277_7300_0002L;
        frame.set(INT_BE, 0, (int) (dst >>> 16));
        frame.set(SHORT_BE, 4, (short) dst);
        frame.set(INT_BE, 6, (int) (src >>> 16));
        frame.set(SHORT_BE, 10, (short) src);
        frame.set(SHORT_BE, 12, (short) 0x88B5); // local experimental EtherType
    }

    private static Thread findDeviceThread(String name) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name)) {
                return t;
            }
        }
        return null;
    }

    private boolean deviceNapping() {
        return deviceThread.getState() == Thread.State.TIMED_WAITING;
    }

    @Override
    public void awaitConsumerIdle() {
        Spin.until(consumerAsleep, "the lcore to arm its rx interrupt and sleep");
        if (napping) {
            if (deviceThread != null) {
                Spin.until(deviceNapping, "the emulator's device thread to nap");
            } else {
                Spin.forNanos(FALLBACK_NAP_WAIT_NANOS);
            }
        }
        Spin.forNanos(settleNanos);
    }

    @Override
    public void send() {
        frame.set(STAMP, STAMP_OFFSET, System.nanoTime());
        if (!wire.offer(frame, 0, FRAME)) {
            throw new IllegalStateException("the emulated port's inbound wire queue is full: the device thread does not take"
                    + " frames off the wire");
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
        try {
            lcore.close();
            pool.adopt(); // the lcore owned it; the port's stop frees the ring's buffers from here
            port.close();
            if (!pool.isFull()) {
                throw new IllegalStateException("emulated-port wake-up: " + pool.inUse() + " packet buffers still in use after"
                        + " the port closed");
            }
        } finally {
            pool.close();
            dma.close();
        }
    }

    /**
     * The lcore's work: poll rx queue 0 of the driver's port and, for each frame, record now minus the
     * stamp the sender wrote into the frame's bytes (a frame from the wire has no user data); then free
     * it (the lcore owns the pool, as rx refills from it).
     */
    private static final class StampRecordingAgent extends LatencyRecordingAgent {
        private final PacketPool pool;

        StampRecordingAgent(Port port, PacketPool pool, LatencyProbe probe) {
            super(port, probe);
            this.pool = pool;
        }

        @Override
        public void onStart() {
            pool.adopt(); // rx refills its ring from the pool on this thread from now on
        }

        @Override
        long sentAt(int handle) {
            return pool.memory().get(STAMP, pool.dataOffset(handle) + STAMP_OFFSET);
        }

        @Override
        public String roleName() {
            return "emu-wake-up-consumer";
        }
    }
}
