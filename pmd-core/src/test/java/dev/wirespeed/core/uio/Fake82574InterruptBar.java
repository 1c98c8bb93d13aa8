/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.uio;

import dev.wirespeed.core.device.Bar;
import dev.wirespeed.core.os.EventFd;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import static dev.wirespeed.core.uio.E1000eRegisters.ICR;
import static dev.wirespeed.core.uio.E1000eRegisters.ICS;
import static dev.wirespeed.core.uio.E1000eRegisters.IMC;
import static dev.wirespeed.core.uio.E1000eRegisters.IMS;

/**
 * The interrupt block of an 82574L as its datasheet describes it, for one MSI-X vector: ICS sets causes
 * in ICR, ICR writes clear them, IMS/IMC unmask/mask, and whenever a cause is both pending and unmasked
 * the vector fires (signals the bound eventfd), also when unmasking a cause that is already pending.
 * Every write is recorded, with what a probe answered at that moment (to check orderings).
 */
final class Fake82574InterruptBar implements Bar {
    record Write(int offset, int value, boolean probe) {
    }

    private final List<Write> writes = new ArrayList<>();
    private int icr;
    private int ims;
    private EventFd vector;
    private BooleanSupplier probe = () -> false;
    private volatile int slowOffset = -1;
    private volatile long slowMillis;

    /** The eventfd vector 0 signals, or null: interrupts go nowhere (an unbound vector). */
    synchronized void bindVector(EventFd eventFd) {
        this.vector = eventFd;
    }

    synchronized void probe(BooleanSupplier probe) {
        this.probe = probe;
    }

    /** Writes to {@code offset} take {@code millis} before they land, like a writer descheduled mid-write. */
    void slowWrites(int offset, long millis) {
        slowMillis = millis;
        slowOffset = offset;
    }

    synchronized int icr() {
        return icr;
    }

    synchronized int ims() {
        return ims;
    }

    synchronized List<Write> writes() {
        return List.copyOf(writes);
    }

    @Override
    public synchronized int read32(long offset) {
        return switch ((int) offset) {
            case ICR -> {
                int v = icr;
                icr = 0; // reading ICR clears it
                yield v;
            }
            case IMS -> ims;
            default -> 0;
        };
    }

    @Override
    public void write32(long offset, int value) {
        if (offset == slowOffset) {
            try {
                Thread.sleep(slowMillis); // not holding the lock: other threads' writes go on meanwhile
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        land(offset, value);
    }

    private synchronized void land(long offset, int value) {
        writes.add(new Write((int) offset, value, probe.getAsBoolean()));
        switch ((int) offset) {
            case ICS -> icr |= value;
            case ICR -> icr &= ~value;
            case IMS -> ims |= value;
            case IMC -> ims &= ~value;
            default -> {
            }
        }
        if ((icr & ims) != 0 && vector != null && (offset == ICS || offset == IMS)) {
            vector.signal();
        }
    }

    @Override
    public long size() {
        return 128 * 1024;
    }

    @Override
    public String name() {
        return "BAR0 of a fake 82574L";
    }
}
