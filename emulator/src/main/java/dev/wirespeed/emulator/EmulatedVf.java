/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator;

import dev.wirespeed.core.device.Bar;
import dev.wirespeed.core.device.InterruptVectors;
import dev.wirespeed.core.device.PciFunction;
import dev.wirespeed.core.dma.AnonymousDmaDomain;
import dev.wirespeed.core.pci.PciAddress;
import dev.wirespeed.emulator.mailbox.VfMailbox;
import dev.wirespeed.emulator.regs.InterruptUnit;
import dev.wirespeed.emulator.regs.RegisterFile;
import dev.wirespeed.emulator.time.DeviceClock;

import java.util.function.IntSupplier;

/**
 * One emulated VF as a driver opens it: identity, BAR0 (the register file), its own DMA domain and three
 * MSI-X vectors. Created by {@link dev.wirespeed.emulator.pf.EmulatedPf}, which owns the mailbox's far end.
 *
 * <p>Each VF has its own DMA domain, as an IOMMU would give it: a descriptor pointing into another VF's
 * memory is a DMA fault, not a silent copy.
 */
public final class EmulatedVf implements PciFunction {
    private final PciAddress address;
    private final Flavour flavour;
    private final InterruptUnit interrupts;
    private final VfMailbox mailbox;
    private final RegisterFile registers;
    private final AnonymousDmaDomain dma;
    private volatile boolean closed;

    /**
     * @param pfLock       the owning PF's lock, shared with the mailbox
     * @param links        the VFLINKS value, from the PF's link
     * @param resetHandler the PF's handling of VFCTRL.RST
     */
    public EmulatedVf(PciAddress address, Flavour flavour, DeviceClock clock, Object pfLock, IntSupplier links, Runnable resetHandler) {
        this.address = address;
        this.flavour = flavour;
        this.interrupts = new InterruptUnit(clock);
        this.mailbox = new VfMailbox(pfLock, interrupts::raiseMisc);
        this.registers = new RegisterFile("BAR0 of emulated VF " + address, flavour, interrupts, mailbox, links, resetHandler);
        this.dma = new AnonymousDmaDomain("emulated VF " + address);
    }

    @Override
    public PciAddress address() {
        return address;
    }

    @Override
    public int vendorId() {
        return Flavour.VENDOR_INTEL;
    }

    @Override
    public int deviceId() {
        return flavour.vfDeviceId();
    }

    @Override
    public Bar bar(int index) {
        if (closed) {
            throw new IllegalStateException("emulated VF " + address + " is closed");
        }
        return switch (index) {
            case 0 -> registers;
            case 3 -> throw new IllegalArgumentException("emulated VF " + address
                    + ": BAR3 holds the MSI-X table, which the emulator does not expose; bind vectors through interrupts()");
            default -> throw new IllegalArgumentException("emulated VF " + address + " has no BAR" + index + ": registers are in BAR0");
        };
    }

    @Override
    public AnonymousDmaDomain dma() {
        return dma;
    }

    @Override
    public InterruptVectors interrupts() {
        return interrupts;
    }

    @Override
    public String backend() {
        return "emulator";
    }

    public Flavour flavour() {
        return flavour;
    }

    /** The register file behind BAR0, with the model's inner parts for tests and the DMA engine. */
    public RegisterFile registers() {
        return registers;
    }

    public VfMailbox mailbox() {
        return mailbox;
    }

    public InterruptUnit interruptUnit() {
        return interrupts;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            for (int v = 0; v < interrupts.count(); v++) {
                interrupts.unbind(v);
            }
            dma.close();
        }
    }

    @Override
    public String toString() {
        return "EmulatedVf[" + address + ", " + flavour.key() + "]";
    }
}
