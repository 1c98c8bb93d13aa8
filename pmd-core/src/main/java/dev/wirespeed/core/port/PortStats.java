/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.port;

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

    @Override
    public String toString() {
        return "ipackets=" + ipackets + " opackets=" + opackets + " ibytes=" + ibytes + " obytes=" + obytes
                + " imissed=" + imissed + " ierrors=" + ierrors + " oerrors=" + oerrors + " rx_nombuf=" + rxNombuf;
    }
}
