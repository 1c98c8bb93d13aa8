/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.port;

import java.util.Map;

/**
 * A port's basic counters, named as in DPDK's {@code rte_eth_stats}. A mutable holder the caller keeps
 * and passes to {@link Port#stats(PortStats)}, so reading stats in a loop allocates nothing.
 */
public final class PortStats {
    /** Packets received and handed to the application. */
    public long ipackets;
    /** Packets transmitted. */
    public long opackets;
    public long ibytes;
    public long obytes;
    /** Packets the device dropped because no rx descriptor was ready (the application was too slow). */
    public long imissed;
    /** Received packets with errors. */
    public long ierrors;
    /** Transmit errors. */
    public long oerrors;
    /** Times an rx buffer could not be allocated from the pool. */
    public long rxNombuf;

    public void clear() {
        ipackets = opackets = ibytes = obytes = imissed = ierrors = oerrors = rxNombuf = 0;
    }

    public void copyFrom(PortStats o) {
        ipackets = o.ipackets;
        opackets = o.opackets;
        ibytes = o.ibytes;
        obytes = o.obytes;
        imissed = o.imissed;
        ierrors = o.ierrors;
        oerrors = o.oerrors;
        rxNombuf = o.rxNombuf;
    }

    /** Adds the counters under DPDK's basic xstats names (rx_good_packets, …), in that order. */
    public Map<String, Long> putNamed(Map<String, Long> into) {
        into.put("rx_good_packets", ipackets);
        into.put("tx_good_packets", opackets);
        into.put("rx_good_bytes", ibytes);
        into.put("tx_good_bytes", obytes);
        into.put("rx_missed_errors", imissed);
        into.put("rx_errors", ierrors);
        into.put("tx_errors", oerrors);
        into.put("rx_mbuf_allocation_errors", rxNombuf);
        return into;
    }

    @Override
    public String toString() {
        return "ipackets=" + ipackets + " opackets=" + opackets + " ibytes=" + ibytes + " obytes=" + obytes
                + " imissed=" + imissed + " ierrors=" + ierrors + " oerrors=" + oerrors + " rx_nombuf=" + rxNombuf;
    }
}
