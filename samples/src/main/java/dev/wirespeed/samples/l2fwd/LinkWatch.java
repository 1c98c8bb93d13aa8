/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.samples.l2fwd;

import dev.wirespeed.core.port.LinkStatus;
import dev.wirespeed.core.port.Port;
import dev.wirespeed.samples.common.Json;

import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * Reports each port's link going down or up while l2fwd runs, with the time since forwarding began, as
 * DPDK's l2fwd prints "Port N Link Up/Down": a link fault or an unplugged cable is otherwise only seen as
 * rates falling to zero. Polled from the main thread (a register read per port), never from an lcore.
 */
final class LinkWatch {
    private final Port[] ports;
    private final LinkStatus[] last;
    private final long startNanos;

    LinkWatch(Port[] ports, long startNanos) {
        this.ports = ports;
        this.startNanos = startNanos;
        last = new LinkStatus[ports.length];
        for (int i = 0; i < ports.length; i++) {
            last[i] = ports[i].linkStatus();
        }
    }

    /** Reads every port's link; for each change, hands {@code report} a text line and its JSON event. */
    void poll(long nowNanos, BiConsumer<String, String> report) {
        for (int i = 0; i < ports.length; i++) {
            LinkStatus now = ports[i].linkStatus();
            if (now.up() == last[i].up() && now.speedMbps() == last[i].speedMbps()) {
                continue;
            }
            last[i] = now;
            double at = (nowNanos - startNanos) / 1e9;
            report.accept(String.format(Locale.ROOT, "port %d: link %s (at %.1f s)", ports[i].id(), now, at),
                    String.format(Locale.ROOT, "{\"event\":\"link\",\"id\":%d,\"up\":%b,\"speed_mbps\":%d,\"at_s\":%.3f,\"link\":%s}",
                            ports[i].id(), now.up(), now.speedMbps(), at, Json.string(now.toString())));
        }
    }
}
