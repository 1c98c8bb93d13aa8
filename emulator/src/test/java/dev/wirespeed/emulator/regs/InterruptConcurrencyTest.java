/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.regs;

import dev.wirespeed.core.device.Bar;
import dev.wirespeed.core.os.EventFd;
import dev.wirespeed.emulator.pf.EmulatedPf;
import dev.wirespeed.emulator.pf.PfConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.wirespeed.emulator.Facts.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A device thread raising queue causes while the driver thread arms, drains and re-arms the vector
 * (the interrupt idle strategy's loop, facts §5.4). Whatever the interleaving, no cause may be left
 * latched on an enabled vector, and every burst of causes after an arm must wake the driver.
 */
class InterruptConcurrencyTest {
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS) // hang guard only
    void noCauseIsStrandedOnAnEnabledVectorUnderConcurrentRaisesAndRearms() throws Exception {
        try (EmulatedPf pf = new EmulatedPf(new PfConfig()); EventFd fd = EventFd.create()) {
            Bar bar = pf.vf(0).bar(0);
            InterruptUnit unit = pf.vf(0).registers().interrupts();
            pf.vf(0).interrupts().bind(0, fd);
            bar.write32(VTIVAR0, 0x80); // rx queue 0 → vector 0
            bar.write32(VTEIAM, 1);
            AtomicBoolean stop = new AtomicBoolean();
            CountDownLatch started = new CountDownLatch(1);
            Thread device = Thread.ofPlatform().name("device").start(() -> {
                started.countDown();
                while (!stop.get()) {
                    unit.raiseRxQueue(0);
                }
            });
            started.await();
            long wakeUps = 0;
            for (int i = 0; i < 20_000; i++) {
                bar.write32(VTEIMS, 1); // arm
                wakeUps += fd.drain();
                if ((i & 7) == 0) {
                    bar.write32(VTEIMC, 1);
                }
            }
            stop.set(true);
            device.join();
            bar.write32(VTEIMS, 1);
            // quiescent: an enabled vector may not keep a latched cause (it would have fired)
            assertThat(bar.read32(VTEIMS) & bar.read32(VTEICS) & 1).isZero();
            unit.raiseRxQueue(0);
            assertThat(fd.drain() + wakeUps).isGreaterThan(0);
            assertThat(unit.firedCount(0)).isGreaterThanOrEqualTo(wakeUps);
        }
    }
}
