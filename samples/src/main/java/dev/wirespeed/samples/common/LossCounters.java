/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.samples.common;

import dev.wirespeed.core.port.PortStats;

import java.util.Locale;

/**
 * Why a port lost frames before the application saw them, or after it handed them over, under testpmd's
 * names ({@code show port stats}): RX-missed (no free rx descriptor), RX-errors, RX-nombuf (no pool buffer
 * to refill the ring) and TX-errors. Without them a loss shows only as a lower count.
 */
public final class LossCounters {
    private LossCounters() {
    }

    /** Text form, starting with two spaces: {@code "  RX-missed 0  RX-errors 0  RX-nombuf 0  TX-errors 0"}. */
    public static String text(PortStats s) {
        return String.format(Locale.ROOT, "  RX-missed %,d  RX-errors %,d  RX-nombuf %,d  TX-errors %,d",
                s.imissed, s.ierrors, s.rxNombuf, s.oerrors);
    }

    /** JSON members, each preceded by a comma: {@code ,"rx_missed":0,"rx_errors":0,"rx_nombuf":0,"tx_errors":0}. */
    public static String json(PortStats s) {
        return String.format(Locale.ROOT, ",\"rx_missed\":%d,\"rx_errors\":%d,\"rx_nombuf\":%d,\"tx_errors\":%d",
                s.imissed, s.ierrors, s.rxNombuf, s.oerrors);
    }

    /** Adds {@code s}'s loss counters to {@code total}'s. */
    public static void addTo(PortStats total, PortStats s) {
        total.imissed += s.imissed;
        total.ierrors += s.ierrors;
        total.rxNombuf += s.rxNombuf;
        total.oerrors += s.oerrors;
    }
}
