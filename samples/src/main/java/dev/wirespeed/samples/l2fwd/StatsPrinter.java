/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.samples.l2fwd;

import dev.wirespeed.core.port.Port;
import dev.wirespeed.core.port.PortStats;
import dev.wirespeed.samples.common.LossCounters;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Prints per-port and total rates since the previous call, as text (like DPDK's l2fwd) or as one JSON
 * object per line for scripts. Each port also shows why frames were lost before l2fwd saw them, with
 * testpmd's names ({@code show port stats}): RX-missed (no free descriptor), RX-errors, RX-nombuf (no
 * buffer to refill the ring) and TX-errors, read from the port's {@link PortStats} ({@link LossCounters}).
 */
final class StatsPrinter {
    enum Format { TEXT, JSON }

    private final Port[] ports;
    private final ForwardCounters[] counters;
    private final Format format;
    private final PrintStream out;
    private final long[] lastRx;
    private final long[] lastTx;
    private final long[] lastRxBytes;
    private final PortStats scratch = new PortStats();
    private final PortStats totals = new PortStats(); // only the loss counters are summed
    private long lastNanos;
    private final long startNanos;

    StatsPrinter(Port[] ports, ForwardCounters[] counters, Format format, PrintStream out) {
        this.ports = ports;
        this.counters = counters;
        this.format = format;
        this.out = out;
        this.lastRx = new long[ports.length];
        this.lastTx = new long[ports.length];
        this.lastRxBytes = new long[ports.length];
        this.startNanos = this.lastNanos = System.nanoTime();
    }

    /** Prints the rates over the interval since the last call; {@code extra} is appended (idle counters). */
    void print(String title, String extra) {
        long now = System.nanoTime();
        double seconds = Math.max(1e-9, (now - lastNanos) / 1e9);
        lastNanos = now;
        StringBuilder sb = new StringBuilder();
        long totalRx = 0, totalTx = 0, totalDrop = 0;
        totals.clear();
        double totalRxPps = 0, totalTxPps = 0, totalGbps = 0;
        if (format == Format.TEXT) {
            sb.append("\n== ").append(title).append(String.format(Locale.ROOT, " (%.1f s) ", (now - startNanos) / 1e9))
                    .append("=".repeat(40)).append('\n');
        } else {
            sb.append(String.format(Locale.ROOT, "{\"event\":\"%s\",\"uptime_s\":%.3f,\"ports\":[", title, (now - startNanos) / 1e9));
        }
        for (int i = 0; i < ports.length; i++) {
            ForwardCounters c = counters[i];
            long rx = c.rxPackets, tx = c.txPackets, drop = c.dropped;
            PortStats st = ports[i].stats(scratch);
            long rxBytes = st.ibytes;
            LossCounters.addTo(totals, st);
            double rxPps = (rx - lastRx[i]) / seconds, txPps = (tx - lastTx[i]) / seconds;
            double gbps = (rxBytes - lastRxBytes[i]) * 8 / seconds / 1e9;
            lastRx[i] = rx;
            lastTx[i] = tx;
            lastRxBytes[i] = rxBytes;
            totalRx += rx;
            totalTx += tx;
            totalDrop += drop;
            totalRxPps += rxPps;
            totalTxPps += txPps;
            totalGbps += gbps;
            if (format == Format.TEXT) {
                sb.append(String.format(Locale.ROOT,
                        "port %-2d rx %8.3f Mpps  tx %8.3f Mpps  %7.2f Gbit/s  | rx %,d  tx %,d  dropped %,d%s%n",
                        ports[i].id(), rxPps / 1e6, txPps / 1e6, gbps, rx, tx, drop, LossCounters.text(st)));
            } else {
                sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                        "{\"id\":%d,\"rx_mpps\":%.4f,\"tx_mpps\":%.4f,\"rx_gbps\":%.4f,\"rx_packets\":%d,\"tx_packets\":%d,\"dropped\":%d%s}",
                        ports[i].id(), rxPps / 1e6, txPps / 1e6, gbps, rx, tx, drop, LossCounters.json(st)));
            }
        }
        if (format == Format.TEXT) {
            sb.append(String.format(Locale.ROOT,
                    "total   rx %8.3f Mpps  tx %8.3f Mpps  %7.2f Gbit/s  | rx %,d  tx %,d  dropped %,d%s%n",
                    totalRxPps / 1e6, totalTxPps / 1e6, totalGbps, totalRx, totalTx, totalDrop, LossCounters.text(totals)));
            if (!extra.isEmpty()) {
                sb.append(extra).append('\n');
            }
        } else {
            sb.append(String.format(Locale.ROOT,
                    "],\"total\":{\"rx_mpps\":%.4f,\"tx_mpps\":%.4f,\"rx_gbps\":%.4f,\"rx_packets\":%d,\"tx_packets\":%d,\"dropped\":%d%s}%s}",
                    totalRxPps / 1e6, totalTxPps / 1e6, totalGbps, totalRx, totalTx, totalDrop, LossCounters.json(totals),
                    extra.isEmpty() ? "" : "," + extra));
        }
        out.print(sb);
        if (format == Format.JSON) {
            out.println();
        }
        out.flush();
    }
}
