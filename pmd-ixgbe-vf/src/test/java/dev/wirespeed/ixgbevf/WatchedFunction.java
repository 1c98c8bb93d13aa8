/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

import dev.wirespeed.core.device.Bar;
import dev.wirespeed.core.device.InterruptVectors;
import dev.wirespeed.core.device.PciFunction;
import dev.wirespeed.core.dma.DmaDomain;
import dev.wirespeed.core.pci.PciAddress;

import java.util.function.IntUnaryOperator;

/**
 * An emulated VF seen through a BAR0 the test can watch and bend: it counts VF resets, can run something
 * as VFCTRL.RST is written, and can change what VFMAILBOX reads, to play a PF that behaves differently
 * from the emulator's without touching the emulator.
 */
final class WatchedFunction implements PciFunction, Bar {
    private static final int VFCTRL = 0x0000, VFCTRL_RST = 1 << 26, VFMAILBOX = 0x02FC; // facts §1.1, §3.1

    private final PciFunction vf;
    private final Bar bar;
    int vfResets;
    Runnable onVfReset = () -> { };
    IntUnaryOperator mailboxReads = IntUnaryOperator.identity();
    /** Plays an unbind under uio_msi: removed() says so, and every register access faults as a zapped mapping does. */
    volatile boolean unbound;

    WatchedFunction(PciFunction vf) {
        this.vf = vf;
        this.bar = vf.bar(0);
    }

    @Override
    public boolean removed() {
        return unbound;
    }

    private void faultIfUnbound(long offset) {
        if (unbound) {
            throw new dev.wirespeed.core.device.DeviceGoneException("test BAR: access to 0x" + Long.toHexString(offset) + " after unbind",
                    new InternalError("a fault occurred in an unsafe memory access operation"));
        }
    }

    @Override
    public int read32(long offset) {
        faultIfUnbound(offset);
        int v = bar.read32(offset);
        return offset == VFMAILBOX ? mailboxReads.applyAsInt(v) : v;
    }

    @Override
    public void write32(long offset, int value) {
        faultIfUnbound(offset);
        if (offset == VFCTRL && (value & VFCTRL_RST) != 0) {
            vfResets++;
            onVfReset.run();
        }
        bar.write32(offset, value);
    }

    @Override
    public long size() {
        return bar.size();
    }

    @Override
    public String name() {
        return bar.name();
    }

    @Override
    public PciAddress address() {
        return vf.address();
    }

    @Override
    public int vendorId() {
        return vf.vendorId();
    }

    @Override
    public int deviceId() {
        return vf.deviceId();
    }

    @Override
    public Bar bar(int index) {
        return this;
    }

    @Override
    public DmaDomain dma() {
        return vf.dma();
    }

    @Override
    public InterruptVectors interrupts() {
        return vf.interrupts();
    }

    @Override
    public String backend() {
        return vf.backend();
    }

    @Override
    public void close() {
        vf.close();
    }
}
