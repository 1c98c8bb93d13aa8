/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.igbvf;

import dev.wirespeed.core.device.Bar;

/**
 * The VF's nine statistics registers (facts §6.1) as 64-bit totals. All are 32 bits wide, octets too,
 * never cleared by reading; each {@link #update()} adds the difference to the last reading modulo 2^32
 * (DPDK's UPDATE_VF_STAT), so a wrap between two readings is harmless if they are less than one wrap
 * apart (34 s of octets at 1 Gbit/s). A PF reset may zero them (QEMU's model does): after one the
 * port calls {@link #rebase()} instead, so that the drop does not read as 4 GiB.
 */
final class VfCounters {
    /** Register order; the totals array follows it. */
    static final int[] REGISTERS = {Regs.GPRC, Regs.GORC, Regs.GPTC, Regs.GOTC, Regs.MPRC, Regs.GPRLBC, Regs.GORLBC, Regs.GPTLBC, Regs.GOTLBC};
    static final int RX_PACKETS = 0, RX_BYTES = 1, TX_PACKETS = 2, TX_BYTES = 3;
    /** The first counter PortStats has no field for; the extended statistics name it and those after it. */
    static final int FIRST_EXTRA = 4;
    static final String[] NAMES = {"rx_good_packets", "rx_good_bytes", "tx_good_packets", "tx_good_bytes", "rx_multicast_packets",
            "rx_loopback_packets", "rx_loopback_bytes", "tx_loopback_packets", "tx_loopback_bytes"};

    private final Bar bar;
    private final int[] last = new int[REGISTERS.length];
    private final long[] totals = new long[REGISTERS.length];

    VfCounters(Bar bar) {
        this.bar = bar;
        rebase();
    }

    synchronized void rebase() {
        for (int i = 0; i < REGISTERS.length; i++) {
            last[i] = bar.read32(REGISTERS[i]);
        }
    }

    synchronized void update() {
        for (int i = 0; i < REGISTERS.length; i++) {
            int now = bar.read32(REGISTERS[i]);
            totals[i] += Integer.toUnsignedLong(now - last[i]);
            last[i] = now;
        }
    }

    synchronized long get(int which) {
        return totals[which];
    }
}
