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
 * Prints per-port and total rates, as text (like DPDK's l2fwd) or as one JSON object per line for scripts:
 * periodic reports over the interval since the previous one, the final report over the whole run.
 * Every rate comes from the port's own counters ({@link PortStats}: packets and bytes, rx and tx), so the
 * Mpps and Gbit/s of a direction describe the same frames; the totals after the bar are l2fwd's counts
 * (received, sent, dropped by its tx). Each port also shows why frames were lost before l2fwd saw them,
 * with testpmd's names ({@code show port stats}): RX-missed (no free descriptor), RX-errors, RX-nombuf (no
 * buffer to refill the ring) and TX-errors ({@link LossCounters}).
 */
final class StatsPrinter {
    enum Format { TEXT, JSON }

    /** A port's counters as of one report. */
    private static final class Snapshot {
        long rxPackets, txPackets, rxBytes, txBytes;

        void take(PortStats s) {
            rxPackets = s.ipackets;
            txPackets = s.opackets;
            rxBytes = s.ibytes;
            txBytes = s.obytes;
        }
    }

    private final Port[] ports;
    private final ForwardCounters[] counters;
    private final Format format;
    private final PrintStream out;
    private final Snapshot[] atStart, atLast;
    private final PortStats scratch = new PortStats();
    private final PortStats totals = new PortStats(); // only the loss counters are summed
    private long lastNanos;
    private final long startNanos;

    StatsPrinter(Port[] ports, ForwardCounters[] counters, Format format, PrintStream out) {
        this.ports = ports;
        this.counters = counters;
        this.format = format;
        this.out = out;
        this.atStart = new Snapshot[ports.length];
        this.atLast = new Snapshot[ports.length];
        for (int i = 0; i < ports.length; i++) {
            atStart[i] = new Snapshot();
            atStart[i].take(ports[i].stats(scratch));
            atLast[i] = new Snapshot();
            atLast[i].take(scratch);
        }
        this.startNanos = this.lastNanos = System.nanoTime();
    }

    /** Prints the rates over the interval since the last report; {@code extra} is appended (idle counters). */
    void print(String title, String extra) {
        print(title, extra, false);
    }

    /** Prints the final report: the rates are the run's averages, not the last interval's. */
    void printFinal(String extra) {
        print("final", extra, true);
    }

    private void print(String title, String extra, boolean wholeRun) {
        long now = System.nanoTime();
        double seconds = Math.max(1e-9, (now - (wholeRun ? startNanos : lastNanos)) / 1e9);
        lastNanos = now;
        StringBuilder sb = new StringBuilder();
        long totalRx = 0, totalTx = 0, totalDrop = 0;
        totals.clear();
        double totalRxPps = 0, totalTxPps = 0, totalRxGbps = 0, totalTxGbps = 0;
        if (format == Format.TEXT) {
            sb.append("\n== ").append(title).append(String.format(Locale.ROOT, " (%.1f s%s) ", (now - startNanos) / 1e9,
                    wholeRun ? ", rates averaged over the run" : "")).append("=".repeat(40)).append('\n');
        } else {
            sb.append(String.format(Locale.ROOT, "{\"event\":\"%s\",\"uptime_s\":%.3f,\"interval_s\":%.3f,\"ports\":[", title,
                    (now - startNanos) / 1e9, seconds));
        }
        for (int i = 0; i < ports.length; i++) {
            ForwardCounters c = counters[i];
            long rx = c.rxPackets, tx = c.txPackets, drop = c.dropped;
            PortStats st = ports[i].stats(scratch);
            Snapshot from = wholeRun ? atStart[i] : atLast[i];
            double rxPps = (st.ipackets - from.rxPackets) / seconds, txPps = (st.opackets - from.txPackets) / seconds;
            double rxGbps = (st.ibytes - from.rxBytes) * 8 / seconds / 1e9, txGbps = (st.obytes - from.txBytes) * 8 / seconds / 1e9;
            atLast[i].take(st);
            LossCounters.addTo(totals, st);
            totalRx += rx;
            totalTx += tx;
            totalDrop += drop;
            totalRxPps += rxPps;
            totalTxPps += txPps;
            totalRxGbps += rxGbps;
            totalTxGbps += txGbps;
            if (format == Format.TEXT) {
                sb.append(String.format(Locale.ROOT, "port %-2d %s  | rx %,d  tx %,d  dropped %,d%s%n",
                        ports[i].id(), rates(rxPps, rxGbps, txPps, txGbps), rx, tx, drop, LossCounters.text(st)));
            } else {
                sb.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                        "{\"id\":%d,%s,\"rx_packets\":%d,\"tx_packets\":%d,\"dropped\":%d%s}",
                        ports[i].id(), ratesJson(rxPps, rxGbps, txPps, txGbps), rx, tx, drop, LossCounters.json(st)));
            }
        }
        if (format == Format.TEXT) {
            sb.append(String.format(Locale.ROOT, "total   %s  | rx %,d  tx %,d  dropped %,d%s%n",
                    rates(totalRxPps, totalRxGbps, totalTxPps, totalTxGbps), totalRx, totalTx, totalDrop, LossCounters.text(totals)));
            if (!extra.isEmpty()) {
                sb.append(extra).append('\n');
            }
        } else {
            sb.append(String.format(Locale.ROOT,
                    "],\"total\":{%s,\"rx_packets\":%d,\"tx_packets\":%d,\"dropped\":%d%s}%s}",
                    ratesJson(totalRxPps, totalRxGbps, totalTxPps, totalTxGbps), totalRx, totalTx, totalDrop, LossCounters.json(totals),
                    extra.isEmpty() ? "" : "," + extra));
        }
        out.print(sb);
        if (format == Format.JSON) {
            out.println();
        }
        out.flush();
    }

    /** Each direction's packet and bit rate, labelled: {@code rx 1.000 Mpps 0.67 Gbit/s  tx …}. */
    private static String rates(double rxPps, double rxGbps, double txPps, double txGbps) {
        return String.format(Locale.ROOT, "rx %8.3f Mpps %6.2f Gbit/s  tx %8.3f Mpps %6.2f Gbit/s", rxPps / 1e6, rxGbps, txPps / 1e6, txGbps);
    }

    private static String ratesJson(double rxPps, double rxGbps, double txPps, double txGbps) {
        return String.format(Locale.ROOT, "\"rx_mpps\":%.4f,\"rx_gbps\":%.4f,\"tx_mpps\":%.4f,\"tx_gbps\":%.4f",
                rxPps / 1e6, rxGbps, txPps / 1e6, txGbps);
    }
}
