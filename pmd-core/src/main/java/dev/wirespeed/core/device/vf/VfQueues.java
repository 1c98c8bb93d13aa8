/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.device.vf;

import dev.wirespeed.core.port.PortStats;

import java.util.Map;

/**
 * What a VF port does to all its rings at once, the same for every Intel VF family: open or shut their
 * gates, give their buffers back, and report their software counters (as basic and named statistics).
 * Control path only.
 */
public final class VfQueues {
    private VfQueues() {
    }

    public static void openGates(AdvancedRxRing[] rx, AdvancedTxRing[] tx) {
        for (AdvancedRxRing q : rx) {
            q.gate.open();
        }
        for (AdvancedTxRing q : tx) {
            q.gate.open();
        }
    }

    /** Waits for running bursts to end, then keeps bursts out (they return 0) until {@link #openGates}. */
    public static void shutGates(String port, AdvancedRxRing[] rx, AdvancedTxRing[] tx) {
        for (AdvancedRxRing q : rx) {
            q.gate.shut(port + " rx queue " + q.index());
        }
        for (AdvancedTxRing q : tx) {
            q.gate.shut(port + " tx queue " + q.index());
        }
    }

    /** Every buffer the rings hold back to its pool; the device must no longer own the rings. */
    public static void releaseBuffers(AdvancedRxRing[] rx, AdvancedTxRing[] tx) {
        for (AdvancedRxRing q : rx) {
            q.releaseBuffers();
        }
        for (AdvancedTxRing q : tx) {
            q.releaseBuffers();
        }
    }

    /** Adds the rings' drops to {@code into}: bad frames (ierrors), empty pool (rxNombuf), unsendable packets (oerrors). */
    public static void addDrops(PortStats into, AdvancedRxRing[] rx, AdvancedTxRing[] tx) {
        for (AdvancedRxRing q : rx) {
            into.ierrors += q.frameErrors;
            into.rxNombuf += q.allocFailures;
        }
        for (AdvancedTxRing q : tx) {
            into.oerrors += q.oversized + q.runts;
        }
    }

    /** Per-queue named statistics: {@code rx_q<N>_packets}, {@code tx_q<N>_bytes}... */
    public static void putPerQueue(Map<String, Long> x, AdvancedRxRing[] rx, AdvancedTxRing[] tx) {
        for (AdvancedRxRing q : rx) {
            put(x, "rx_q" + q.index() + "_", RX_NAMES, q.counters.packets, q.counters.bytes, q.frameErrors, q.allocFailures, q.echoesDropped);
        }
        for (AdvancedTxRing q : tx) {
            put(x, "tx_q" + q.index() + "_", TX_NAMES, q.counters.packets, q.counters.bytes, q.oversized, q.runts);
        }
    }

    private static final String[] RX_NAMES = {"packets", "bytes", "errors", "mbuf_allocation_errors", "own_echoes_dropped"};
    private static final String[] TX_NAMES = {"packets", "bytes", "oversized_dropped", "runts_dropped"};

    /** Puts {@code prefix + names[i]} = {@code values[i]} for each name, in order. */
    public static void put(Map<String, Long> x, String prefix, String[] names, long... values) {
        for (int i = 0; i < names.length; i++) {
            x.put(prefix + names[i], values[i]);
        }
    }
}
