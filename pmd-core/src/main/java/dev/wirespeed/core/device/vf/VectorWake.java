/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.device.vf;

import dev.wirespeed.core.device.Bar;
import dev.wirespeed.core.idle.WakeSource;
import dev.wirespeed.core.os.EventFd;

/**
 * The MSI-X vector of one or more rx queues as an idle strategy's wake source, the same on the Intel VF
 * families: EICR (write 1 to clear), EIMS (unmask), EIMC (mask), one bit per vector.
 *
 * <p>Arming first clears the vector's cause: one latched while the vector was masked (frames the
 * thread has since polled) would otherwise fire at once and wake the thread for nothing. Then EIMS
 * unmasks it, and a register read makes sure the device has the posted write before the strategy's
 * {@link #hasWork()} re-check (Linux flushes the same way: IXGBE_WRITE_FLUSH, e1e_flush). A frame that
 * arrived just before arming is found by that re-check. On the chips the vector masks itself when it
 * fires (EIAM); {@link #disarm()} writes EIMC for when the thread found work before sleeping, and for
 * QEMU's igb model, which ignores EIAM.
 *
 * <p>Queues that share a vector share its eventfd; any of them with work keeps the thread awake.
 */
public final class VectorWake implements WakeSource {
    /** A family's interrupt registers: cause, mask set, mask clear, and a register to read as a flush. */
    public record Registers(int eicr, int eims, int eimc, int flush) {
    }

    private final Bar bar;
    private final Registers regs;
    private final int bit;
    private final EventFd eventFd;
    private final AdvancedRxRing[] queues;

    public VectorWake(Bar bar, Registers regs, int vector, EventFd eventFd, AdvancedRxRing... queues) {
        this.bar = bar;
        this.regs = regs;
        this.bit = 1 << vector;
        this.eventFd = eventFd;
        this.queues = queues.clone();
    }

    @Override
    public EventFd eventFd() {
        return eventFd;
    }

    @Override
    public void arm() {
        bar.write32(regs.eicr(), bit);
        bar.write32(regs.eims(), bit);
        bar.read32(regs.flush());
    }

    @Override
    public void disarm() {
        bar.write32(regs.eimc(), bit);
    }

    @Override
    public boolean hasWork() {
        for (AdvancedRxRing q : queues) {
            if (q.hasWork()) {
                return true;
            }
        }
        return false;
    }
}
