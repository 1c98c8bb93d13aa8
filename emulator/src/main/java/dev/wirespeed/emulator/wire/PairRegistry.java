/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.wire;

import java.util.HashMap;
import java.util.Map;

/**
 * The process-wide cables behind {@code wire=pair:NAME}: the first port opened on a name takes one end,
 * the second the other; a third is refused. When both ends are released the name is free again.
 *
 * <p>Each end is used by one port, whose device thread is the only producer of its outbound queue and
 * the only consumer of its inbound queue, so the two device threads of a pair never share a role on
 * a queue.
 */
public final class PairRegistry {
    private static final Map<String, Cable> CABLES = new HashMap<>(); // guarded by CABLES

    private PairRegistry() {
    }

    private static final class Cable {
        final WireEnd[] ends;
        final boolean[] taken = new boolean[2];

        Cable(String name, int depth) {
            ends = WireEnd.pair(name, depth);
        }
    }

    /** Takes a free end of the cable {@code name}, creating the cable with {@code depth}-frame queues if needed. */
    public static WireEnd attach(String name, int depth) {
        synchronized (CABLES) {
            Cable c = CABLES.computeIfAbsent(name, n -> new Cable(n, depth));
            if (c.ends[0].inbound().capacity() != depth) {
                throw new IllegalArgumentException("wire=pair:" + name + " was opened with depth=" + c.ends[0].inbound().capacity()
                        + "; the other end must use the same depth, not " + depth);
            }
            for (int i = 0; i < 2; i++) {
                if (!c.taken[i]) {
                    c.taken[i] = true;
                    return c.ends[i];
                }
            }
            throw new IllegalArgumentException("wire=pair:" + name + " already connects two ports; close one of them or use another name");
        }
    }

    /** Gives an end back; call only after the port's device thread has stopped. */
    public static void release(String name, WireEnd end) {
        synchronized (CABLES) {
            Cable c = CABLES.get(name);
            if (c == null) {
                return;
            }
            for (int i = 0; i < 2; i++) {
                if (c.ends[i] == end) {
                    c.taken[i] = false;
                }
            }
            if (!c.taken[0] && !c.taken[1]) {
                CABLES.remove(name);
            }
        }
    }
}
