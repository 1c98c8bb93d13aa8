/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.device;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * A BAR mapped into our address space (through {@code /dev/uioN}, VFIO or sysfs {@code resourceN}).
 *
 * <p>Why release/acquire is enough on x86-64: the CPU keeps stores in program order (TSO) and MMIO
 * pages are uncached, so a store to a register cannot pass earlier stores to write-back memory. What can
 * reorder them is the JIT; a release store forbids it from sinking earlier stores below the register
 * write, and an acquire (here: volatile) load keeps register reads from being hoisted or merged.
 */
public final class MappedBar implements Bar {
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();

    private final MemorySegment registers;
    private final String name;

    public MappedBar(MemorySegment registers, String name) {
        this.registers = Objects.requireNonNull(registers, "registers");
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public int read32(long offset) {
        return (int) INT.getVolatile(registers, offset);
    }

    @Override
    public void write32(long offset, int value) {
        INT.setRelease(registers, offset, value);
    }

    @Override
    public long size() {
        return registers.byteSize();
    }

    @Override
    public String name() {
        return name;
    }

    /** The mapped window itself, for backends and tests. */
    public MemorySegment segment() {
        return registers;
    }

    @Override
    public String toString() {
        return name + " (" + registers.byteSize() + " bytes)";
    }
}
