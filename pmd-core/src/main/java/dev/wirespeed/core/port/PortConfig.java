/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.port;

import dev.wirespeed.core.packet.PacketPool;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;

/**
 * How to set a port up: queue counts, ring sizes, MTU, offloads, rx interrupts and the pools rx buffers
 * come from (one for the port, and optionally one of its own for any rx queue, as DPDK's
 * {@code rte_eth_rx_queue_setup} takes a mempool per queue: a queue polled by its own thread then
 * allocates from a pool that thread owns). Generic limits are checked here with messages that say what
 * is allowed; each driver checks its own (an 82599 VF ring is 64–4096 descriptors in steps of 8, for
 * instance).
 */
public final class PortConfig {
    public static final int MAX_QUEUES = 64;
    public static final int MIN_MTU = 68;
    public static final int MAX_MTU = 65535 - 18;

    private final int portId;
    private final int rxQueues;
    private final int txQueues;
    private final int rxRingSize;
    private final int txRingSize;
    private final int mtu;
    private final boolean rxInterrupts;
    private final Set<Offload> offloads;
    private final PacketPool rxPool;
    private final PacketPool[] queuePools; // per rx queue; null entries take rxPool
    private final byte[] rssKey; // null: the driver's choice

    private PortConfig(Builder b) {
        portId = b.portId;
        rxQueues = b.rxQueues;
        txQueues = b.txQueues;
        rxRingSize = b.rxRingSize;
        txRingSize = b.txRingSize;
        mtu = b.mtu;
        rxInterrupts = b.rxInterrupts;
        offloads = Set.copyOf(b.offloads);
        rxPool = b.rxPool;
        queuePools = Arrays.copyOf(b.queuePools, rxQueues);
        rssKey = b.rssKey == null ? null : b.rssKey.clone();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration, to derive a variant. */
    public Builder toBuilder() {
        Builder b = new Builder().portId(portId).rxQueues(rxQueues).txQueues(txQueues).rxRingSize(rxRingSize)
                .txRingSize(txRingSize).mtu(mtu).rxInterrupts(rxInterrupts).rxPool(rxPool);
        b.offloads.addAll(offloads);
        System.arraycopy(queuePools, 0, b.queuePools, 0, queuePools.length);
        b.rssKey = rssKey;
        return b;
    }

    /** The port id packets are stamped with, or -1 to let {@link Ports} number ports in opening order. */
    public int portId() {
        return portId;
    }

    public int rxQueues() {
        return rxQueues;
    }

    public int txQueues() {
        return txQueues;
    }

    public int rxRingSize() {
        return rxRingSize;
    }

    public int txRingSize() {
        return txRingSize;
    }

    /** Largest IP packet (L3 bytes) the port must carry; the frame adds 14 bytes of header (18 tagged). */
    public int mtu() {
        return mtu;
    }

    public boolean rxInterrupts() {
        return rxInterrupts;
    }

    public Set<Offload> offloads() {
        return offloads;
    }

    public boolean has(Offload offload) {
        return offloads.contains(offload);
    }

    /** The port's rx pool, for every rx queue without one of its own; null for a port that never receives. */
    public PacketPool rxPool() {
        return rxPool;
    }

    /** Where rx queue {@code queue}'s buffers come from: its own pool if it has one, else the port's (maybe null). */
    public PacketPool rxPool(int queue) {
        Objects.checkIndex(queue, rxQueues);
        PacketPool own = queuePools[queue];
        return own != null ? own : rxPool;
    }

    /**
     * The Toeplitz key receive-side scaling hashes with (a copy), or null for the driver's choice (a random
     * key, as Linux picks one per boot). A key of one's own makes the spread repeatable, or symmetric: with
     * the 16-bit pattern 0x6d5a repeated, both directions of a flow land on the same queue.
     */
    public byte[] rssKey() {
        return rssKey == null ? null : rssKey.clone();
    }

    /** The rx pool of every queue, or a clear error naming the port and queue when one has none. */
    public PacketPool[] requireRxPools(String port) {
        PacketPool[] pools = new PacketPool[rxQueues];
        for (int q = 0; q < rxQueues; q++) {
            pools[q] = rxPool(q);
            if (pools[q] == null) {
                throw new IllegalArgumentException(port + ": PortConfig has no rx pool" + (rxQueues > 1 ? " for rx queue " + q : "")
                        + "; set one with PortConfig.builder().rxPool(pool)" + (rxQueues > 1 ? " or .rxPool(" + q + ", pool)" : ""));
            }
        }
        return pools;
    }

    @Override
    public String toString() {
        return "PortConfig[rxq=" + rxQueues + ", txq=" + txQueues + ", rx ring=" + rxRingSize + ", tx ring=" + txRingSize
                + ", mtu=" + mtu + ", rx interrupts=" + rxInterrupts + ", offloads=" + offloads
                + ", pool=" + (rxPool == null ? "none" : rxPool.name()) + queuePoolNames()
                + (rssKey == null ? "" : ", rss key=" + HexFormat.of().formatHex(rssKey)) + "]";
    }

    private String queuePoolNames() {
        StringBuilder b = new StringBuilder();
        for (int q = 0; q < queuePools.length; q++) {
            if (queuePools[q] != null) {
                b.append(", rxq ").append(q).append(" pool=").append(queuePools[q].name());
            }
        }
        return b.toString();
    }

    public static final class Builder {
        private int portId = -1;
        private int rxQueues = 1;
        private int txQueues = 1;
        private int rxRingSize = 1024;
        private int txRingSize = 1024;
        private int mtu = 1500;
        private boolean rxInterrupts;
        private final EnumSet<Offload> offloads = EnumSet.noneOf(Offload.class);
        private PacketPool rxPool;
        private final PacketPool[] queuePools = new PacketPool[MAX_QUEUES];
        private byte[] rssKey;

        private Builder() {
        }

        public Builder portId(int id) {
            if (id < -1 || id > 0xFFFF) {
                throw new IllegalArgumentException("port id must be 0..65535 (or -1 for automatic), got " + id);
            }
            portId = id;
            return this;
        }

        public Builder rxQueues(int n) {
            rxQueues = checkQueues("rx", n);
            return this;
        }

        public Builder txQueues(int n) {
            txQueues = checkQueues("tx", n);
            return this;
        }

        public Builder rxRingSize(int n) {
            rxRingSize = checkRing("rx", n);
            return this;
        }

        public Builder txRingSize(int n) {
            txRingSize = checkRing("tx", n);
            return this;
        }

        public Builder mtu(int mtu) {
            if (mtu < MIN_MTU || mtu > MAX_MTU) {
                throw new IllegalArgumentException("MTU must be " + MIN_MTU + ".." + MAX_MTU + " bytes, got " + mtu);
            }
            this.mtu = mtu;
            return this;
        }

        public Builder rxInterrupts(boolean enabled) {
            rxInterrupts = enabled;
            return this;
        }

        public Builder offload(Offload... wanted) {
            for (Offload o : wanted) {
                offloads.add(Objects.requireNonNull(o, "offload"));
            }
            return this;
        }

        /** The pool for every rx queue that has none of its own. */
        public Builder rxPool(PacketPool pool) {
            rxPool = pool;
            return this;
        }

        /** A pool for rx queue {@code queue} alone (null: back to the port's); the queue must exist when the configuration is built. */
        public Builder rxPool(int queue, PacketPool pool) {
            if (queue < 0 || queue >= MAX_QUEUES) {
                throw new IllegalArgumentException("rx queue for a pool must be 0.." + (MAX_QUEUES - 1) + ", got " + queue);
            }
            queuePools[queue] = pool;
            return this;
        }

        /**
         * The RSS key (null: the driver's choice). Its length is the device's: 40 bytes on the 82599 family.
         * Not every device lets a port choose (an 82599 or X540 VF hashes with its PF's key): the driver says so.
         */
        public Builder rssKey(byte[] key) {
            if (key != null && key.length == 0) {
                throw new IllegalArgumentException("an RSS key must not be empty (null: the driver's choice)");
            }
            rssKey = key == null ? null : key.clone();
            return this;
        }

        public PortConfig build() {
            for (int q = rxQueues; q < MAX_QUEUES; q++) {
                if (queuePools[q] != null) {
                    throw new IllegalArgumentException("rx pool '" + queuePools[q].name() + "' is set for rx queue " + q + ", but the port has "
                            + rxQueues + " rx queue" + (rxQueues == 1 ? "" : "s") + "; raise rxQueues or drop that pool");
                }
            }
            return new PortConfig(this);
        }

        private static int checkQueues(String dir, int n) {
            if (n < 1 || n > MAX_QUEUES) {
                throw new IllegalArgumentException(dir + " queue count must be 1.." + MAX_QUEUES + ", got " + n);
            }
            return n;
        }

        private static int checkRing(String dir, int n) {
            if (n < 1 || n > 65536) {
                throw new IllegalArgumentException(dir + " ring size must be 1..65536 descriptors, got " + n);
            }
            return n;
        }
    }
}
