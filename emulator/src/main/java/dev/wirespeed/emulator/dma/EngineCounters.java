/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.dma;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * What the DMA engine did with frames, beyond what the VF's own statistics registers show. Each rx
 * counter is written by the thread running receive, each tx counter by the one running transmit
 * (plain increments published through volatile fields); DMA faults, which both directions count, by
 * an atomic add. Read by anyone.
 */
public final class EngineCounters {
    private static final VarHandle DMA_FAULTS;

    static {
        try {
            DMA_FAULTS = MethodHandles.lookup().findVarHandle(EngineCounters.class, "dmaFaults", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    volatile long rxDelivered, rxFiltered, rxVfDisabled, rxQueueDisabled, rxNoDescriptor;
    volatile long txSent, txSpoofed, txVfDisabled, txWireFull;
    volatile long dmaFaults;

    /** Frames written to an rx ring. */
    public long rxDelivered() {
        return rxDelivered;
    }

    /** Frames the address or VLAN filters dropped. */
    public long rxFiltered() {
        return rxFiltered;
    }

    /** Frames dropped because the PF had the VF's rx off (VFRE). */
    public long rxVfDisabled() {
        return rxVfDisabled;
    }

    /** Frames dropped because the rx queue was not enabled. */
    public long rxQueueDisabled() {
        return rxQueueDisabled;
    }

    /** Frames dropped for want of descriptors with SRRCTL.DROP_EN set. */
    public long rxNoDescriptor() {
        return rxNoDescriptor;
    }

    public long txSent() {
        return txSent;
    }

    /** Frames anti-spoofing dropped (wrong source MAC, LLDP/PAUSE under spoofchk). */
    public long txSpoofed() {
        return txSpoofed;
    }

    /** Not counted any more: with the PF's VFTE off the tx queue stalls (TDH stays) instead of dropping. Always 0. */
    public long txVfDisabled() {
        return txVfDisabled;
    }

    /** Frames dropped because the wire's queue was full. */
    public long txWireFull() {
        return txWireFull;
    }

    void countDmaFault() {
        DMA_FAULTS.getAndAdd(this, 1L);
    }

    public long dmaFaults() {
        return dmaFaults;
    }

    /** Every frame the receive side took from its wire: delivered, or dropped for one of the reasons counted. */
    public long rxTaken() {
        return rxDelivered + rxFiltered + rxVfDisabled + rxQueueDisabled + rxNoDescriptor;
    }

    /** All counters, for messages. */
    @Override
    public String toString() {
        return "rx delivered " + rxDelivered + ", filtered " + rxFiltered + ", vf disabled " + rxVfDisabled
                + ", queue disabled " + rxQueueDisabled + ", no descriptor " + rxNoDescriptor + "; tx sent " + txSent
                + ", spoofed " + txSpoofed + ", vf disabled " + txVfDisabled + ", wire full " + txWireFull
                + "; dma faults " + dmaFaults();
    }
}
