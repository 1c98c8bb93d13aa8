/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

import dev.wirespeed.core.device.InterruptMode;
import dev.wirespeed.core.device.PciFunction;
import dev.wirespeed.core.packet.PacketPool;
import dev.wirespeed.core.port.PortConfig;

/** The VF's limits on a {@link PortConfig}, each refused with what is allowed and how to fix it. */
final class ConfigCheck {
    private ConfigCheck() {
    }

    /** Checks that need no PF: ring sizes, MTU, pool, queue counts against the 8 the VF has, interrupts. */
    static void check(String name, Chip chip, PortConfig config, PciFunction function) {
        ring(name, "rx", config.rxRingSize());
        ring(name, "tx", config.txRingSize());
        if (config.mtu() > IxgbeVfPort.MAX_MTU) {
            throw new IllegalArgumentException(name + ": MTU " + config.mtu() + " is too large: an " + chip
                    + " VF takes frames up to " + IxgbeVfPort.MAX_FRAME + " bytes with CRC, so the MTU can be at most " + IxgbeVfPort.MAX_MTU);
        }
        for (PacketPool pool : config.requireRxPools(name)) {
            if (pool.dataRoom() < 1024) {
                throw new IllegalArgumentException(name + ": packet pool '" + pool.name() + "' has " + pool.dataRoom()
                        + "-byte buffers; the VF receives into whole KiB (SRRCTL.BSIZEPACKET), so buffers need at least 1024 bytes of data room");
            }
        }
        byte[] key = config.rssKey();
        if (key != null && !chip.isX550Family()) {
            throw new IllegalArgumentException(name + ": an " + chip + " VF cannot choose its RSS key: its PF hashes with one key for"
                    + " all its VFs (only X550-family VFs have their own, VFRSSRK); leave PortConfig.rssKey unset");
        }
        if (key != null && key.length != Regs.RSS_KEY_BYTES) {
            throw new IllegalArgumentException(name + ": the RSS key is " + key.length + " bytes; an " + chip + " VF's is "
                    + Regs.RSS_KEY_BYTES + " (VFRSSRK, 10 registers)");
        }
        queues(name, "rx", config.rxQueues(), Regs.QUEUES);
        queues(name, "tx", config.txQueues(), Regs.QUEUES);
        if (Integer.bitCount(config.rxQueues()) != 1) {
            throw new IllegalArgumentException(name + ": " + config.rxQueues() + " rx queues: RSS spreads over a power of two "
                    + "(PSRTYPE.RQPL), so use 1, 2, 4 or 8");
        }
        if (config.rxInterrupts()) {
            int needed = new VectorPlan(true, config.rxQueues()).used();
            if (function.interrupts().mode() != InterruptMode.MSIX || function.interrupts().count() < needed) {
                throw new IllegalArgumentException(name + ": rx interrupts need " + needed + " MSI-X vectors, but the device offers "
                        + function.interrupts().count() + " (" + function.interrupts().mode() + ", backend " + function.backend()
                        + "); the VF has no INTx. Turn rx interrupts off or use a backend that provides MSI-X");
            }
        }
    }

    /** Checks against what GET_QUEUES granted. */
    static void checkQueues(String name, PortConfig config, VfBringUp.Queues granted) {
        queues(name, "rx", config.rxQueues(), granted.rxQueues());
        queues(name, "tx", config.txQueues(), granted.txQueues());
        int classes = granted.trafficClasses();
        if (classes > 1 && config.txQueues() > 1) {
            throw new IllegalArgumentException(name + ": the PF runs DCB with " + classes
                    + " traffic classes, where a VF transmits on one queue only; use txQueues(1)");
        }
        if (classes > 1 && config.rxQueues() != classes) {
            // each class's frames arrive on the pool queue of that class's index (the PF's user-priority map);
            // with fewer queues enabled, frames of the other priorities would land on disabled queues and be lost
            throw new IllegalArgumentException(name + ": the PF runs DCB with " + classes + " traffic classes, and each class's"
                    + " frames arrive on an rx queue of their own (as Linux's VF, which opens one rx queue per class); use rxQueues("
                    + classes + ") and poll them all, or ask the PF's administrator to turn DCB off");
        }
    }

    private static void queues(String name, String dir, int n, int max) {
        if (n > max) {
            throw new IllegalArgumentException(name + ": " + n + " " + dir + " queues requested, but the PF gives this VF at most " + max
                    + (max == Regs.QUEUES ? " (the VF has 8 queue pairs)" : " (GET_QUEUES; the PF's pool mode decides: 2 with more than 32 pools, 4 otherwise, 8 with DCB)"));
        }
    }

    private static void ring(String name, String dir, int size) {
        if (size < IxgbeVfPort.MIN_RING || size > IxgbeVfPort.MAX_RING || size % IxgbeVfPort.RING_STEP != 0) {
            throw new IllegalArgumentException(name + ": " + dir + " ring size " + size + " is invalid: the VF takes "
                    + IxgbeVfPort.MIN_RING + ".." + IxgbeVfPort.MAX_RING + " descriptors in steps of " + IxgbeVfPort.RING_STEP
                    + " (the ring length register counts 128-byte units), e.g. " + nearest(size));
        }
    }

    private static int nearest(int size) {
        int s = Math.max(IxgbeVfPort.MIN_RING, Math.min(IxgbeVfPort.MAX_RING, size));
        return s / IxgbeVfPort.RING_STEP * IxgbeVfPort.RING_STEP;
    }
}
