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
 * <p>Neither reads nor a VF reset clear them (see {@link RegisterFile#resetRegisters()}); a PF (device)
 * reset does ({@link #clear()}).
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

    /**
     * The device reset of a PF down/up: every counter back to 0 [inference: Linux's PF re-baselines its
     * copies of the VF counters after its own reset because "they're not clear on read" (ixgbe_up_complete →
     * ixgbe_clear_vf_stats_counters); the 82599/X550 datasheets' reset tables were not available]. The DMA
     * engine is not running the VF's traffic then (the PF has its rx/tx off), so nothing is added meanwhile.
     */
    public void clear() {
        RX_PACKETS.setVolatile(this, 0L);
        RX_OCTETS.setVolatile(this, 0L);
        RX_MULTICAST.setVolatile(this, 0L);
        TX_PACKETS.setVolatile(this, 0L);
        TX_OCTETS.setVolatile(this, 0L);
        gorcMsbLatch = 0;
        gotcMsbLatch = 0;
    }

    /** Totals since the device was created or last reset, unreduced (for tests and the emulator's own reporting). */
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
