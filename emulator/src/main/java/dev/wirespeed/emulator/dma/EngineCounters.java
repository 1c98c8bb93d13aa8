/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.dma;

/**
 * What the DMA engine did with frames, beyond what the VF's own statistics registers show. Written by
 * the device thread only (plain increments published through volatile fields), read by anyone.
 */
public final class EngineCounters {
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

    public long txVfDisabled() {
        return txVfDisabled;
    }

    /** Frames dropped because the wire's queue was full. */
    public long txWireFull() {
        return txWireFull;
    }

    public long dmaFaults() {
        return dmaFaults;
    }
}
