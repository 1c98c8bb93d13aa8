/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.regs;

import dev.wirespeed.core.device.Bar;
import dev.wirespeed.core.os.EventFd;
import dev.wirespeed.emulator.pf.EmulatedPf;
import dev.wirespeed.emulator.pf.PfConfig;
import dev.wirespeed.emulator.time.ManualDeviceClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.wirespeed.emulator.Facts.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Posted BAR writes: a write reaches the device model a little later, a read first lands every write
 * issued before it (PCIe: a read does not pass posted writes). What this is for: the race of a driver that
 * writes EICR (clear) and EIMS and then checks a descriptor's DD bit with no register read in between.
 */
class PostedWritesTest {
    private static final long DELAY = 2_000;
    private final ManualDeviceClock clock = new ManualDeviceClock();
    private EmulatedPf pf;
    private Bar bar;
    private InterruptUnit irq;
    private EventFd fd;

    private void open(PfConfig config) {
        pf = new EmulatedPf(config.clock(clock));
        bar = pf.vf(0).bar(0);
        irq = pf.vf(0).interruptUnit();
        fd = EventFd.create();
        irq.bind(0, fd);
    }

    @AfterEach
    void tearDown() {
        pf.close();
        fd.close();
    }

    @Test
    void withoutPostingAWriteTakesEffectInsideTheCall() {
        open(new PfConfig());
        bar.write32(VTEIMS, 1);
        assertThat(irq.readEims()).isEqualTo(1);
        assertThat(pf.vf(0).registers().postedWritesPending()).isZero();
    }

    @Test
    void aPostedWriteLandsAfterItsDelay() {
        open(new PfConfig().postedWrites(DELAY));
        bar.write32(VTEIMS, 1);
        assertThat(irq.readEims()).as("the device has not seen it yet").isZero();
        clock.advance(DELAY - 1);
        assertThat(irq.readEims()).isZero();
        clock.advance(1);
        assertThat(irq.readEims()).isEqualTo(1);
    }

    @Test
    void aReadLandsEveryEarlierWriteFirstAndInOrder() {
        open(new PfConfig().postedWrites(DELAY));
        bar.write32(VTEIMS, 0b011);
        bar.write32(VTEIMC, 0b001);
        bar.write32(VFPSRTYPE, 1);
        bar.write32(VFPSRTYPE, 2);
        assertThat(pf.vf(0).registers().postedWritesPending()).isEqualTo(4);
        assertThat(bar.read32(VFSTATUS)).isZero();
        assertThat(irq.readEims()).as("set, then clear: applied in order").isEqualTo(0b010);
        assertThat(pf.vf(0).registers().psrtype()).isEqualTo(2);
        assertThat(pf.vf(0).registers().postedWritesPending()).isZero();
    }

    /** The driver's arm sequence: clear the cause, unmask, then look at memory. A packet arrives meanwhile. */
    private long armThenPacketArrives(boolean readBeforeLooking) {
        bar.write32(VTIVAR0, 0x80); // rx queue 0 → vector 0 (facts §5.1)
        bar.read32(VFSTATUS);       // set-up done
        bar.write32(VTEICR, 1);     // clear a stale cause (write 1 to clear)
        bar.write32(VTEIMS, 1);     // unmask vector 0
        if (readBeforeLooking) {
            bar.read32(VFSTATUS);   // flushes the two writes
        }
        // the driver looks at the next descriptor: no DD yet. Then the device writes a packet back:
        irq.raiseRxQueue(0);
        clock.advance(DELAY);       // whatever is still posted lands
        return fd.drain();
    }

    @Test
    void withPostedWritesTheWakeUpIsLostUnlessARegisterReadComesBeforeTheCheck() {
        open(new PfConfig().postedWrites(DELAY));
        assertThat(armThenPacketArrives(false)).as("the late EICR clear wipes the new cause: no interrupt").isZero();
        pf.close();
        fd.close();
        open(new PfConfig().postedWrites(DELAY));
        assertThat(armThenPacketArrives(true)).as("a read in between: the writes landed first").isEqualTo(1);
    }

    @Test
    void withoutPostedWritesTheRaceIsHidden() {
        open(new PfConfig());
        assertThat(armThenPacketArrives(false)).isEqualTo(1);
    }
}
