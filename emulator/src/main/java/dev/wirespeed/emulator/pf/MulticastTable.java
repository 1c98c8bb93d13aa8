/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.pf;

import java.util.Arrays;

/**
 * The chip's one multicast table array (MTA, 4096 hash bits), shared by the PF and every VF. A VF's
 * SET_MULTICAST sets bits in it (Linux ixgbe_set_vf_multicasts, DPDK ixgbe_vf_set_multicast); a pool with
 * VMOLR.ROMPE then accepts any multicast whose hash bit is set, whoever set it. Linux rebuilds the table
 * from every VF's current list whenever the PF re-syncs its receive mode (ixgbe_set_rx_mode →
 * ixgbe_restore_vf_multicasts, which a VF reset causes); DPDK only ever adds bits. Guarded by the PF lock.
 *
 * <p>{@link #snapshot()} hands the DMA engine an array that is never written again, made once per change.
 */
final class MulticastTable {
    private final boolean[] bits = new boolean[4096];
    private boolean[] snapshot = new boolean[4096];
    private boolean dirty;

    void set(int hash) {
        if (!bits[hash & 0xFFF]) {
            bits[hash & 0xFFF] = true;
            dirty = true;
        }
    }

    /** Linux's re-sync: clear, then the hashes of every VF (the PF's own list is empty in this model). */
    void rebuild(VfState[] vfs) {
        Arrays.fill(bits, false);
        for (VfState s : vfs) {
            for (int h : s.multicastHashes) {
                bits[h & 0xFFF] = true;
            }
        }
        dirty = true;
    }

    boolean isSet(int hash) {
        return bits[hash & 0xFFF];
    }

    /** An immutable copy for the filters (the same array until the table changes). */
    boolean[] snapshot() {
        if (dirty) {
            snapshot = bits.clone();
            dirty = false;
        }
        return snapshot;
    }
}
