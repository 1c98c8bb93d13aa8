/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.port;

import dev.wirespeed.core.idle.WakeSource;
import dev.wirespeed.core.packet.MacAddress;
import dev.wirespeed.core.packet.PacketBatch;

import java.util.Map;

/**
 * A network port with rx and tx queues, moved in bursts. Open one with {@link Ports#open}.
 *
 * <p>Threads: each queue is polled by one thread at a time (a port's queue 0 and 1 may be polled by two
 * threads). {@link #rx} and {@link #tx} allocate nothing and take no locks. Control calls (start, stop,
 * modes, stats) come from a control thread; stats may be read while traffic flows.
 */
public interface Port extends AutoCloseable {
    /** The number packets are stamped with ({@code PacketPool#port}) and l2fwd prints. */
    int id();

    /** The device string it was opened with, e.g. {@code null:size=64}. */
    String name();

    int rxQueueCount();

    int txQueueCount();

    /**
     * Receives up to {@code batch.remaining()} packets from rx queue {@code queue}, appending them to the
     * batch; returns how many were appended (0 when none are waiting).
     */
    int rx(int queue, PacketBatch batch);

    /**
     * Queues packets from the front of {@code batch} for transmission on tx queue {@code queue}; returns how
     * many were taken and removes them from the batch. What the ring could not take stays in the batch, in
     * order, still owned by the caller (retry later or free it).
     */
    int tx(int queue, PacketBatch batch);

    /** Starts the queues (rx rings filled with buffers). */
    void start();

    /** Stops the queues and returns every buffer the port held to its pool. */
    void stop();

    boolean isStarted();

    MacAddress macAddress();

    /** Requests promiscuous mode; returns whether it is now on (a VF's PF may refuse). */
    boolean setPromiscuous(boolean enabled);

    boolean isPromiscuous();

    /** Requests all-multicast mode; returns whether it is now on. */
    boolean setAllMulticast(boolean enabled);

    int mtu();

    LinkStatus linkStatus();

    /**
     * Whether the device under the port went away for good (a VF whose PF driver was unloaded or whose
     * SR-IOV was disabled, a function unbound from its kernel driver): bursts return 0 from then on and
     * the port only needs stopping and closing, which gives its buffers back. DPDK's
     * {@code rte_eth_dev_is_removed}. Ports whose device cannot vanish answer false.
     */
    default boolean isRemoved() {
        return false;
    }

    /** Fills {@code into} with the port's counters and returns it. */
    PortStats stats(PortStats into);

    /** Every counter by name (the basic ones, per-queue ones, and the driver's own), DPDK xstats style. */
    Map<String, Long> extendedStats();

    /**
     * The interrupt of rx queue {@code queue}, for the interrupt idle strategy: arm it, re-check the ring,
     * sleep on its eventfd. Needs {@link PortConfig#rxInterrupts()}.
     */
    WakeSource rxWakeSource(int queue);

    /** Stops the port if needed and releases the device. */
    @Override
    void close();
}
