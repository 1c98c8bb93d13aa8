/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.os;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.BitSet;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/** Pins the calling thread to CPUs ({@code sched_setaffinity}) and reports where it runs. */
public final class CpuAffinity {
    private CpuAffinity() {
    }

    /** Restricts the calling thread to {@code cpus}. Fails with EINVAL if none of them is online. */
    public static void pinCurrentThread(BitSet cpus) {
        if (cpus.isEmpty() || cpus.length() > LibC.CPU_SET_BYTES * 8) {
            throw new IllegalArgumentException("CPU set must name CPUs 0.." + (LibC.CPU_SET_BYTES * 8 - 1) + ": " + cpus);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(LibC.CPU_SET_BYTES);
            byte[] bytes = cpus.toByteArray();
            MemorySegment.copy(bytes, 0, mask, JAVA_BYTE, 0, bytes.length);
            LibC.schedSetAffinity(0, mask);
        }
    }

    public static void pinCurrentThread(int cpu) {
        BitSet set = new BitSet();
        set.set(cpu);
        pinCurrentThread(set);
    }

    /** The CPUs the calling thread may run on. */
    public static BitSet currentThreadAffinity() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(LibC.CPU_SET_BYTES);
            LibC.schedGetAffinity(0, mask);
            return BitSet.valueOf(mask.toArray(JAVA_BYTE));
        }
    }

    /** The CPU the calling thread is running on right now. */
    public static int currentCpu() {
        return LibC.schedGetCpu();
    }
}
