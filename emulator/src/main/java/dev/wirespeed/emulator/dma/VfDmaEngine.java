/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.dma;

import dev.wirespeed.emulator.EmulatedVf;
import dev.wirespeed.emulator.pf.EmulatedPf;
import dev.wirespeed.emulator.pf.VfFilter;
import dev.wirespeed.emulator.regs.QueueRegisters;
import dev.wirespeed.emulator.regs.VfRegisterMap;
import dev.wirespeed.emulator.wire.WireEnd;

import java.util.Objects;

/**
 * The DMA engine of one emulated VF, connected to a wire: each {@link #doWork()} polls the tx rings
 * (TDH..TDT) and the wire's inbound frames, as the chip's DMA would, without allocating or locking in
 * the common case. Run it on a {@link DeviceThread}, or call {@link #doWork()} from a test to step it
 * deterministically. Only one thread may run an engine.
 */
public final class VfDmaEngine {
    private final EmulatedPf pf;
    private final int vfIndex;
    private final WireEnd wire;
    private final EngineCounters counters = new EngineCounters();
    private final RxPath rx;
    private final TxPath[] tx = new TxPath[VfRegisterMap.QUEUE_COUNT];
    private final boolean[] txWasOn = new boolean[VfRegisterMap.QUEUE_COUNT];
    private VfFilter filter;
    private int filterVersion;

    public VfDmaEngine(EmulatedPf pf, int vfIndex, WireEnd wire) {
        this.pf = Objects.requireNonNull(pf, "pf");
        this.wire = Objects.requireNonNull(wire, "wire");
        this.vfIndex = vfIndex;
        EmulatedVf vf = pf.vf(vfIndex);
        DmaWindow window = new DmaWindow(vf.dma());
        FaultSink faults = reason -> {
            counters.dmaFaults++;
            pf.reportDmaFault(vfIndex, reason);
        };
        rx = new RxPath(vf.registers(), window, wire.inbound(), counters, faults);
        for (int q = 0; q < tx.length; q++) {
            tx[q] = new TxPath(q, vf.registers(), window, wire.outbound(), counters, faults);
        }
        filterVersion = pf.filterVersion();
        filter = pf.filter(vfIndex);
    }

    /** One pass over the tx rings and the wire; returns the amount of work done (0 = idle). */
    public int doWork() {
        int v = pf.filterVersion();
        if (v != filterVersion) {
            filterVersion = v;
            filter = pf.filter(vfIndex);
        }
        int work = 0;
        EmulatedVf vf = pf.vf(vfIndex);
        for (int q = 0; q < tx.length; q++) {
            QueueRegisters regs = vf.registers().queue(q);
            boolean on = regs.txEnabled();
            if (on && !txWasOn[q]) {
                tx[q].restart();
            }
            txWasOn[q] = on;
            if (on) {
                work += tx[q].poll(filter);
            }
        }
        work += rx.poll(filter);
        return work;
    }

    public EngineCounters counters() {
        return counters;
    }

    public WireEnd wire() {
        return wire;
    }

    public int vfIndex() {
        return vfIndex;
    }
}
