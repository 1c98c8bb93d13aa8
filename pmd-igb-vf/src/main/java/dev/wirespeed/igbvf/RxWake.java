/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.igbvf;

import dev.wirespeed.core.device.Bar;
import dev.wirespeed.core.device.vf.AdvancedRxRing;
import dev.wirespeed.core.idle.WakeSource;
import dev.wirespeed.core.os.EventFd;

/**
 * An rx queue's MSI-X vector as an idle strategy's wake source (facts §5.3, §5.4, §7.5). Arming clears
 * the vector's latched cause (VTEICR is write-1-to-clear) and unmasks it (VTEIMS); VTEIAC, set at
 * bring-up, clears the cause when the message goes out, so the next frame interrupts again. Disarming
 * masks it (VTEIMC): on the chip VTEIAM would have masked it when it fired, but QEMU's model ignores
 * VTEIAM, so the mask is always written explicitly. A frame that arrived just before arming is found
 * by the strategy's {@link #hasWork()} re-check.
 */
final class RxWake implements WakeSource {
    private final Bar bar;
    private final int bit;
    private final EventFd eventFd;
    private final AdvancedRxRing[] queues;

    RxWake(Bar bar, int vector, EventFd eventFd, AdvancedRxRing[] queues) {
        this.bar = bar;
        this.bit = 1 << vector;
        this.eventFd = eventFd;
        this.queues = queues;
    }

    @Override
    public EventFd eventFd() {
        return eventFd;
    }

    @Override
    public void arm() {
        bar.write32(Regs.EICR, bit);
        bar.write32(Regs.EIMS, bit);
        bar.read32(Regs.STATUS); // the unmask is posted: a read makes sure the device has it before the re-check (e1e_flush)
    }

    @Override
    public void disarm() {
        bar.write32(Regs.EIMC, bit);
    }

    /** Both rx queues of an 82576 VF share the rx vector (IVAR), so either one with work is a reason to stay awake. */
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
