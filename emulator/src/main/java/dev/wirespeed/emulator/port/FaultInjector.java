/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.port;

import dev.wirespeed.emulator.dma.VfDmaEngine;
import dev.wirespeed.emulator.pf.EmulatedPf;
import dev.wirespeed.emulator.pf.LinkState;
import dev.wirespeed.emulator.pf.MailboxFault;

/**
 * Every fault an emulated port can suffer, for tests and for the {@code fault=} option: the PF resetting,
 * the physical link dropping, the administrator disabling the VF, mailbox replies going missing or
 * arriving malformed, late rx write-back, rx running out of buffers, a tx queue hanging, the device
 * vanishing from the bus. Safe to call from any thread while the port runs.
 */
public final class FaultInjector {
    private final EmulatedPf pf;
    private final VfDmaEngine engine;
    private final int vf;
    private final LinkState configuredLinkState;

    FaultInjector(EmulatedPf pf, VfDmaEngine engine, int vf, LinkState configuredLinkState) {
        this.pf = pf;
        this.engine = engine;
        this.vf = vf;
        this.configuredLinkState = configuredLinkState;
    }

    /** PF reset begins: RSTI, CTS lost, rx/tx off, mailbox requests unanswered (facts §3.6). */
    public void beginPfReset() {
        pf.beginReset();
    }

    /** PF reset ends: RSTD; the VF must reset itself. */
    public void completePfReset() {
        pf.completeReset();
    }

    /** Physical link down (or up again): VFLINKS follows, every VF gets a control message. */
    public void link(boolean up) {
        pf.setLink(up);
    }

    /** Administrative disable ({@code ip link set … vf N state disable}) or back to the configured state. */
    public void disable(boolean disabled) {
        pf.setVfLinkState(vf, disabled ? LinkState.DISABLE : configuredLinkState);
    }

    /** The VF's next mailbox request meets {@code fault}; repeated calls queue several. */
    public void mailbox(MailboxFault fault) {
        pf.injectMailboxFault(vf, fault);
    }

    /** Rx write-back (DD) lags the data by {@code polls} engine rounds; 0 restores immediate write-back. */
    public void delayRxWriteBack(int polls) {
        engine.delayRxWriteBack(polls);
    }

    /** Rx sees no free descriptors, whatever RDT says. */
    public void exhaustRx(boolean exhausted) {
        engine.exhaustRx(exhausted);
    }

    /** Tx queue {@code queue} stops moving TDH. */
    public void stallTx(int queue, boolean stalled) {
        engine.stallTx(queue, stalled);
    }

    /** Surprise removal: BAR reads return all ones, writes vanish. */
    public void removed(boolean gone) {
        pf.vf(vf).registers().setRemoved(gone);
    }
}
