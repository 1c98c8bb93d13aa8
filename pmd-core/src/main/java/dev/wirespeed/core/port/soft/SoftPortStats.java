/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.port.soft;

import dev.wirespeed.core.port.PortStats;
import dev.wirespeed.core.port.QueueCounters;

import java.util.Map;

/** Extended-stats naming shared by the software ports, following DPDK's xstats names. */
final class SoftPortStats {
    private SoftPortStats() {
    }

    static void basic(PortStats s, Map<String, Long> x) {
        x.put("rx_good_packets", s.ipackets);
        x.put("tx_good_packets", s.opackets);
        x.put("rx_good_bytes", s.ibytes);
        x.put("tx_good_bytes", s.obytes);
        x.put("rx_missed_errors", s.imissed);
        x.put("rx_errors", s.ierrors);
        x.put("tx_errors", s.oerrors);
        x.put("rx_mbuf_allocation_errors", s.rxNombuf);
    }

    static void perQueue(String dir, QueueCounters[] counters, Map<String, Long> x) {
        for (int q = 0; q < counters.length; q++) {
            x.put(dir + "_q" + q + "_packets", counters[q].packets);
            x.put(dir + "_q" + q + "_bytes", counters[q].bytes);
            x.put(dir + "_q" + q + "_drops", counters[q].drops);
        }
    }
}
