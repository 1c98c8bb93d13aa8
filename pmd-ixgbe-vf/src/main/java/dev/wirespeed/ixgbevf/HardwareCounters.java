/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

import dev.wirespeed.core.device.Bar;

/**
 * The VF's statistics registers (facts §1.3) turned into 64-bit totals. The registers cannot be cleared
 * and wrap: packet counters at 2^32, octet counters at 2^36 (a 32-bit LSB plus 4 bits of MSB). Each
 * {@link #update()} adds the difference to the previous reading modulo the counter's width, so a
 * wrap between two readings is harmless as long as readings are less than one wrap apart (about
 * 55 s for octets at 10 Gbit/s; the port's watchdog reads every 2 s). Totals start at 0 when the
 * port opens.
 */
final class HardwareCounters {
    private static final long MASK_32 = (1L << 32) - 1;
    private static final long MASK_36 = (1L << 36) - 1;

    private final Bar bar;
    private long lastGprc, lastGorc, lastMprc, lastGptc, lastGotc;
    private long rxPackets, rxBytes, rxMulticast, txPackets, txBytes;

    HardwareCounters(Bar bar) {
        this.bar = bar;
        rebase();
    }

    /**
     * Takes the registers' current values as the new starting point, without counting the difference:
     * after a VF reset, which may have cleared them (Linux's VF re-reads its last_* values after every
     * reset, ixgbevf_init_last_counter_stats). Call {@link #update()} before the reset so nothing counted
     * until then is lost.
     */
    synchronized void rebase() {
        lastGprc = read32(Regs.GPRC);
        lastGorc = read36(Regs.GORC_LSB, Regs.GORC_MSB);
        lastMprc = read32(Regs.MPRC);
        lastGptc = read32(Regs.GPTC);
        lastGotc = read36(Regs.GOTC_LSB, Regs.GOTC_MSB);
    }

    synchronized void update() {
        long v = read32(Regs.GPRC);
        rxPackets += (v - lastGprc) & MASK_32;
        lastGprc = v;
        v = read36(Regs.GORC_LSB, Regs.GORC_MSB);
        rxBytes += (v - lastGorc) & MASK_36;
        lastGorc = v;
        v = read32(Regs.MPRC);
        rxMulticast += (v - lastMprc) & MASK_32;
        lastMprc = v;
        v = read32(Regs.GPTC);
        txPackets += (v - lastGptc) & MASK_32;
        lastGptc = v;
        v = read36(Regs.GOTC_LSB, Regs.GOTC_MSB);
        txBytes += (v - lastGotc) & MASK_36;
        lastGotc = v;
    }

    private long read32(int reg) {
        return Integer.toUnsignedLong(bar.read32(reg));
    }

    /** LSB first, then MSB (facts §1.3); only the MSB's low 4 bits count. */
    private long read36(int lsb, int msb) {
        long low = Integer.toUnsignedLong(bar.read32(lsb));
        long high = bar.read32(msb) & 0xFL;
        return high << 32 | low;
    }

    synchronized long rxPackets() {
        return rxPackets;
    }

    synchronized long rxBytes() {
        return rxBytes;
    }

    synchronized long rxMulticast() {
        return rxMulticast;
    }

    synchronized long txPackets() {
        return txPackets;
    }

    synchronized long txBytes() {
        return txBytes;
    }
}
