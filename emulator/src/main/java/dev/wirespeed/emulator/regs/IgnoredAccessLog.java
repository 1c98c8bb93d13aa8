/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.regs;

import java.util.Map;
import java.util.TreeMap;

/**
 * Counts BAR accesses the model ignored: reads of offsets it does not implement (they return 0), writes
 * to such offsets and to read-only registers (dropped). A driver touching a register the facts do
 * not describe is usually a bug in one of the two readings; tests assert on this log.
 */
public final class IgnoredAccessLog {
    private static final System.Logger LOG = System.getLogger(IgnoredAccessLog.class.getName());

    private final String barName;
    private final Map<Integer, Long> reads = new TreeMap<>();
    private final Map<Integer, Long> writes = new TreeMap<>();

    IgnoredAccessLog(String barName) {
        this.barName = barName;
    }

    synchronized void read(int offset) {
        if (reads.merge(offset, 1L, Long::sum) == 1L) {
            LOG.log(System.Logger.Level.DEBUG, () -> barName + ": read of unmodelled offset 0x" + Integer.toHexString(offset) + " returns 0");
        }
    }

    synchronized void write(int offset, int value) {
        if (writes.merge(offset, 1L, Long::sum) == 1L) {
            LOG.log(System.Logger.Level.DEBUG, () -> barName + ": write of 0x" + Integer.toHexString(value)
                    + " to unmodelled or read-only offset 0x" + Integer.toHexString(offset) + " ignored");
        }
    }

    /** Ignored reads by offset. */
    public synchronized Map<Integer, Long> reads() {
        return Map.copyOf(reads);
    }

    /** Ignored writes by offset. */
    public synchronized Map<Integer, Long> writes() {
        return Map.copyOf(writes);
    }

    public synchronized long total() {
        return reads.values().stream().mapToLong(Long::longValue).sum() + writes.values().stream().mapToLong(Long::longValue).sum();
    }
}
