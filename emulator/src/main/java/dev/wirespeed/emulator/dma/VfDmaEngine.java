/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.dma;

import dev.wirespeed.emulator.EmulatedVf;
import dev.wirespeed.emulator.pf.EmulatedPf;
import dev.wirespeed.emulator.pf.VfFilter;
import dev.wirespeed.emulator.regs.QueueRegisters;
import dev.wirespeed.emulator.regs.VfRegisterMap;
import dev.wirespeed.emulator.wire.FrameQueue;
import dev.wirespeed.emulator.wire.FrameSink;
import dev.wirespeed.emulator.wire.RxFrames;
import dev.wirespeed.emulator.wire.WireEnd;

import java.util.Objects;

/**
 * The DMA engine of one emulated VF, connected to a wire: each {@link #doWork()} polls the tx rings
 * (TDH..TDT) and the wire's inbound frames, as the chip's DMA would, without allocating or locking in
 * the common case. Run it on a {@link DeviceThread}, or call {@link #doWork()} from a test to step it
 * deterministically. Only one thread at a time may run an engine (or each of its halves, below).
 *
 * <p>The two halves may also run on two threads ({@link #receiveWork()} on one, {@link #transmitWork()}
 * on another), as the chip's rx and tx DMA run side by side: each direction then has a core of its own.
 * What they share is safe for that: the VF's registers, interrupt unit and statistics (locks, volatiles,
 * atomic adds), the PF (locked), the counters (each written by one direction; DMA faults by an atomic
 * add) and, on a loopback wire, one queue with transmit its only producer and receive its only consumer.
 * Each half has its own DMA window and copy of the PF's rules, and reports its own DMA faults. An engine
 * behind a {@link PfSwitch} is never split: the switch runs its engines whole, on one thread.
 */
public final class VfDmaEngine implements DeviceWork {
    private final EmulatedPf pf;
    private final int vfIndex;
    private final String wireName;
    private final EngineCounters counters = new EngineCounters();
    private final RxPath rx;
    private final TxPath[] tx = new TxPath[VfRegisterMap.QUEUE_COUNT];
    private final Half rxHalf, txHalf;
    private final DeviceWork receiveWork = this::receivePass, transmitWork = this::transmitPass;

    /** A VF with a wire of its own (its PF has no switch): the engine receives from and sends to {@code wire}. */
    public VfDmaEngine(EmulatedPf pf, int vfIndex, WireEnd wire) {
        this(pf, vfIndex, wire.name(), wire.inbound(), null, wire.outbound());
    }

    /**
     * A VF whose far end is not a queue: it receives what {@code in} holds (e.g. a traffic generator, read
     * in place; null = nothing arrives) and hands what it transmits to {@code out} (e.g. a verifying sink).
     */
    public VfDmaEngine(EmulatedPf pf, int vfIndex, String wireName, RxFrames in, FrameSink out) {
        this(pf, vfIndex, wireName, in, null, out);
    }

    /** A VF behind its PF's switch: frames from sibling VFs arrive on {@code internal}, transmitted ones go to {@code out}. */
    VfDmaEngine(EmulatedPf pf, int vfIndex, WireEnd wire, FrameQueue internal, FrameSink out) {
        this(pf, vfIndex, wire.name(), null, internal, out);
    }

    private VfDmaEngine(EmulatedPf pf, int vfIndex, String wireName, RxFrames in, RxFrames internal, FrameSink out) {
        this.pf = Objects.requireNonNull(pf, "pf");
        this.wireName = Objects.requireNonNull(wireName, "wireName");
        Objects.requireNonNull(out, "out");
        this.vfIndex = vfIndex;
        EmulatedVf vf = pf.vf(vfIndex);
        rxHalf = new Half();
        txHalf = new Half();
        // a window each: a DmaWindow caches its last translation and is not thread-safe
        rx = new RxPath(vf.registers(), new DmaWindow(vf.dma()), in, internal, counters, rxHalf, rxHalf::currentFilter);
        DmaWindow txWindow = new DmaWindow(vf.dma());
        for (int q = 0; q < tx.length; q++) {
            tx[q] = new TxPath(q, vf.registers(), txWindow, out, counters, txHalf, txHalf::currentFilter);
        }
    }

    /** One pass over the tx rings and the wire; returns the amount of work done (0 = idle). */
    @Override
    public int doWork() {
        return transmitPass() + receivePass();
    }

    /** The receive half alone (wire → rx rings), to run on a thread of its own; see the class comment. */
    public DeviceWork receiveWork() {
        return receiveWork;
    }

    /** The transmit half alone (tx rings → wire), to run on a thread of its own; see the class comment. */
    public DeviceWork transmitWork() {
        return transmitWork;
    }

    private int transmitPass() {
        int work = 0;
        EmulatedVf vf = pf.vf(vfIndex);
        for (int q = 0; q < tx.length; q++) {
            QueueRegisters regs = vf.registers().queue(q);
            if (regs.txEnabled()) {
                work += tx[q].poll();
            }
        }
        txHalf.reportFault();
        return work;
    }

    private int receivePass() {
        int work = rx.poll();
        rxHalf.reportFault();
        return work;
    }

    /** Fault: tx queue {@code q} stops making progress (TDH stays put) until released, as a hung tx unit would. */
    public void stallTx(int q, boolean stalled) {
        if (q < 0 || q >= tx.length) {
            throw new IllegalArgumentException("tx queue " + q + " out of range 0.." + (tx.length - 1));
        }
        tx[q].stalled = stalled;
    }

    /**
     * Fault: the rx path sees no free descriptors whatever RDT says, as if software stopped refilling:
     * frames are dropped (DROP_EN) or wait on the wire.
     */
    public void exhaustRx(boolean exhausted) {
        rx.exhaustFault = exhausted;
    }

    /**
     * Fault: rx descriptor write-back (the status dword with DD) lags the data by {@code polls} engine
     * rounds; RDH still advances at once. 0 restores immediate write-back. A driver must not read a
     * descriptor before DD (facts §2.1).
     */
    public void delayRxWriteBack(int polls) {
        if (polls < 0) {
            throw new IllegalArgumentException("write-back delay must be ≥ 0 polls: " + polls);
        }
        rx.writeBackDelay = polls;
    }

    /**
     * The PF's switching decisions for this VF, as the receive half last saw them (see {@link Half#currentFilter}).
     * For the {@link PfSwitch}, which runs on the thread that runs this whole engine.
     */
    VfFilter currentFilter() {
        return rxHalf.currentFilter();
    }

    /**
     * What one direction keeps for itself, so that receive and transmit can run on different threads: its
     * copy of the PF's rules, and the first DMA fault of its pass.
     */
    private final class Half implements FaultSink {
        private VfFilter filter = pf.filter(vfIndex);
        private int filterVersion = pf.filterVersion();
        private String faultToReport;

        /**
         * The PF's switching decisions for this VF, refreshed when the PF's state changed. The rx and tx paths
         * ask for it after they see work (a frame peeked, TDT read), not at the start of a pass: a PF change
         * made before a frame arrived must apply to that frame even if the device thread was descheduled
         * between the start of its pass and the frame's arrival.
         */
        VfFilter currentFilter() {
            int v = pf.filterVersion();
            if (v != filterVersion) {
                filterVersion = v;
                filter = pf.filter(vfIndex);
            }
            return filter;
        }

        @Override
        public void dmaFault(String reason) {
            counters.countDmaFault();
            if (faultToReport == null) {
                faultToReport = reason;
            }
        }

        /**
         * Tells the PF about the pass's fault, after the pass: outside the rx and tx bursts, since the PF takes
         * its lock and resets the VF, and a VF reset waits for a burst in flight (BurstFence) holding that lock.
         */
        void reportFault() {
            String fault = faultToReport;
            if (fault != null) {
                faultToReport = null;
                pf.reportDmaFault(vfIndex, fault);
            }
        }
    }

    public EngineCounters counters() {
        return counters;
    }

    /** What the VF's wire is, for messages: e.g. {@code loopback}, {@code pair:A/a}, {@code gen+sink}. */
    public String wireName() {
        return wireName;
    }

    public int vfIndex() {
        return vfIndex;
    }
}
