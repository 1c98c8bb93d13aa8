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
        try {
            return (int) INT.getVolatile(registers, offset);
        } catch (InternalError e) { // SIGBUS on a mapping the kernel invalidated; costs nothing until it happens
            throw gone("read of 0x" + Long.toHexString(offset), e);
        }
    }

    @Override
    public void write32(long offset, int value) {
        try {
            INT.setRelease(registers, offset, value);
        } catch (InternalError e) {
            throw gone("write of 0x" + Long.toHexString(offset), e);
        }
    }

    /**
     * The JVM turns a fault in a memory access (SIGBUS: the kernel zapped the mapping, as uio_msi and vfio-pci
     * do when the device is unbound or unplugged) into an InternalError; said here in the device's terms.
     */
    private DeviceGoneException gone(String access, InternalError cause) {
        return new DeviceGoneException(name + ": the register " + access + " faulted: the device was removed from its driver"
                + " (unbound or unplugged) while this process had it open, and its register window is gone; stop and close"
                + " the port, and rebind the device before opening it again", cause);
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
