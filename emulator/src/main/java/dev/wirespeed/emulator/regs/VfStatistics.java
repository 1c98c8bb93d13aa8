/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.regs;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The VF's statistics registers (facts §1.2, §1.3): GPRC, MPRC, GPTC are 32-bit packet counters,
 * GORC and GOTC 36-bit octet counters split into LSB and MSB registers. They are never cleared on
 * read, and wrap. The DMA engine adds to them; the driver reads them through the BAR.
 *
 * <p>Counts are kept as 64-bit totals and reduced on read (mod 2^32, mod 2^36), so wrapping is exact.
 * Adding is lock-free (atomic add). An octet counter is read as LSB then MSB (facts §1.3); reading
 * the LSB latches the matching MSB so that the pair is one consistent value [? datasheet latching].
 */
public final class VfStatistics {
    private static final VarHandle RX_PACKETS, RX_OCTETS, RX_MULTICAST, TX_PACKETS, TX_OCTETS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            RX_PACKETS = l.findVarHandle(VfStatistics.class, "rxPackets", long.class);
            RX_OCTETS = l.findVarHandle(VfStatistics.class, "rxOctets", long.class);
            RX_MULTICAST = l.findVarHandle(VfStatistics.class, "rxMulticast", long.class);
            TX_PACKETS = l.findVarHandle(VfStatistics.class, "txPackets", long.class);
            TX_OCTETS = l.findVarHandle(VfStatistics.class, "txOctets", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final long MASK36 = (1L << 36) - 1;

    @SuppressWarnings("unused") private volatile long rxPackets, rxOctets, rxMulticast, txPackets, txOctets;
    private volatile int gorcMsbLatch, gotcMsbLatch;

    /** Counts good received packets: {@code multicast} of them were multicast. */
    public void addReceived(long packets, long octets, long multicast) {
        RX_PACKETS.getAndAdd(this, packets);
        RX_OCTETS.getAndAdd(this, octets);
        if (multicast != 0) { // most frames are unicast: adding 0 would still cost a locked instruction
            RX_MULTICAST.getAndAdd(this, multicast);
        }
    }

    public void addTransmitted(long packets, long octets) {
        TX_PACKETS.getAndAdd(this, packets);
        TX_OCTETS.getAndAdd(this, octets);
    }

    int gprc() {
        return (int) rxPackets;
    }

    int mprc() {
        return (int) rxMulticast;
    }

    int gptc() {
        return (int) txPackets;
    }

    int gorcLsb() {
        long v = rxOctets & MASK36;
        gorcMsbLatch = (int) (v >>> 32);
        return (int) v;
    }

    int gorcMsb() {
        return gorcMsbLatch;
    }

    int gotcLsb() {
        long v = txOctets & MASK36;
        gotcMsbLatch = (int) (v >>> 32);
        return (int) v;
    }

    int gotcMsb() {
        return gotcMsbLatch;
    }

    /** Totals since the device was created, unreduced (for tests and the emulator's own reporting). */
    public long receivedPackets() {
        return rxPackets;
    }

    public long receivedOctets() {
        return rxOctets;
    }

    public long transmittedPackets() {
        return txPackets;
    }

    public long transmittedOctets() {
        return txOctets;
    }
}
