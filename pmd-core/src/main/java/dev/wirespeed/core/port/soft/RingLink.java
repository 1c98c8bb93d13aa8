/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.port.soft;

import dev.wirespeed.core.packet.HandleRing;
import dev.wirespeed.core.packet.PacketPool;

import java.util.HashMap;
import java.util.Map;

/**
 * The in-process "cable" behind two {@code ring:NAME} ports: per queue, one handle ring in each direction.
 * The first port opened on a name is side A, the second side B; A's tx queue q feeds B's rx queue q.
 */
final class RingLink {
    private static final Map<String, RingLink> LINKS = new HashMap<>(); // guarded by LINKS

    final String name;
    final int queues;
    final HandleRing[] aToB;
    final HandleRing[] bToA;
    /** Rx interrupts of side A's and side B's queues, signalled by the other side's tx. */
    final RingWake[] wakeA;
    final RingWake[] wakeB;
    private final RingPort[] sides = new RingPort[2];

    private RingLink(String name, int queues, int ringSize) {
        this.name = name;
        this.queues = queues;
        aToB = new HandleRing[queues];
        bToA = new HandleRing[queues];
        wakeA = new RingWake[queues];
        wakeB = new RingWake[queues];
        for (int q = 0; q < queues; q++) {
            aToB[q] = new HandleRing(ringSize);
            bToA[q] = new HandleRing(ringSize);
            wakeA[q] = new RingWake(bToA[q]);
            wakeB[q] = new RingWake(aToB[q]);
        }
    }

    /** Attaches {@code port} to the link called {@code name}; returns its side (0 = A, 1 = B). */
    static RingLink attach(String name, int queues, int ringSize, RingPort port) {
        synchronized (LINKS) {
            RingLink link = LINKS.computeIfAbsent(name, n -> new RingLink(n, queues, ringSize));
            if (queues > link.queues) {
                throw new IllegalArgumentException("ring:" + name + ": the link was created with " + link.queues
                        + " queue(s); a port on it cannot use " + queues);
            }
            if (link.sides[0] == null) {
                link.sides[0] = port;
            } else if (link.sides[1] == null) {
                link.sides[1] = port;
            } else {
                throw new IllegalArgumentException("ring:" + name + " already connects two ports (" + link.sides[0].name()
                        + " and " + link.sides[1].name() + "); use another name");
            }
            return link;
        }
    }

    int sideOf(RingPort port) {
        synchronized (LINKS) {
            return sides[0] == port ? 0 : 1;
        }
    }

    RingPort peerOf(RingPort port) {
        synchronized (LINKS) {
            return sides[0] == port ? sides[1] : sides[0];
        }
    }

    /** Detaches a port; the last one out frees whatever is still in the rings and removes the link. */
    void detach(RingPort port) {
        synchronized (LINKS) {
            if (sides[0] == port) {
                sides[0] = null;
            } else if (sides[1] == port) {
                sides[1] = null;
            }
            if (sides[0] == null && sides[1] == null) {
                for (int q = 0; q < queues; q++) {
                    drain(aToB[q]);
                    drain(bToA[q]);
                    wakeA[q].close();
                    wakeB[q].close();
                }
                LINKS.remove(name);
            }
        }
    }

    /** Frees every packet left in {@code ring}; called by its consumer (or when no consumer is left). */
    static int drain(HandleRing ring) {
        int[] buf = new int[64];
        int total = 0;
        int n;
        while ((n = ring.poll(buf, 0, buf.length)) > 0) {
            PacketPool.freeAll(buf, 0, n);
            total += n;
        }
        return total;
    }
}
