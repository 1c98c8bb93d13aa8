/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

import dev.wirespeed.emulator.pf.PfConfig;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 16 point 15: a reset episode is logged at its start (warning) and at its end (recovered), not only its start. */
class ResetLogTest {
    @Test
    void aResetIsLoggedWhenItIsNeededAndAgainWhenThePortRecovered() {
        Logger logger = Logger.getLogger(IxgbeVfPort.class.getName());
        List<LogRecord> records = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
        try (EmulatorRig rig = new EmulatorRig(new PfConfig())) {
            IxgbeVfPort port = rig.open();
            port.start();
            port.recover("asked by the test");
            port.stop();
            assertThat(records).extracting(LogRecord::getLevel).containsExactly(Level.WARNING, Level.INFO);
            assertThat(records.get(0).getMessage()).isEqualTo(port.name() + ": the VF must be reset: asked by the test");
            assertThat(records.get(1).getMessage()).isEqualTo(port.name() + ": recovered: reset and brought up again after: asked by the test");
        } finally {
            logger.removeHandler(capture);
        }
    }
}
