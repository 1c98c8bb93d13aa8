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
            String p = "rx_q" + q.index() + "_";
            x.put(p + "packets", q.counters.packets);
            x.put(p + "bytes", q.counters.bytes);
            x.put(p + "errors", q.frameErrors);
            x.put(p + "mbuf_allocation_errors", q.allocFailures);
            x.put(p + "own_echoes_dropped", q.echoesDropped);
        }
        for (AdvancedTxRing q : tx) {
            String p = "tx_q" + q.index() + "_";
            x.put(p + "packets", q.counters.packets);
            x.put(p + "bytes", q.counters.bytes);
            x.put(p + "oversized_dropped", q.oversized);
            x.put(p + "runts_dropped", q.runts);
        }
    }
}
