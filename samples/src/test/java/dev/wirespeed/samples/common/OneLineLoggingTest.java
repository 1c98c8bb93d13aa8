/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.samples.common;

import org.junit.jupiter.api.Test;

import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 16 point 15: a driver's event is one line in the samples' voice, not java.util.logging's two. */
class OneLineLoggingTest {
    private static String format(Level level, String message, Throwable thrown) {
        LogRecord r = new LogRecord(level, message);
        r.setLoggerName("dev.wirespeed.ixgbevf.IxgbeVfPort");
        r.setThrown(thrown);
        return OneLineLogging.formatter("l2fwd").format(r);
    }

    @Test
    void aRecordIsOneLineWithTheProgramAndItsSeverity() {
        assertThat(format(Level.WARNING, "ixgbe-vf e000:00:10.0: the VF must be reset: the PF reset", null))
                .isEqualTo("l2fwd: warning: ixgbe-vf e000:00:10.0: the VF must be reset: the PF reset");
        assertThat(format(Level.INFO, "ixgbe-vf e000:00:10.0: recovered", null)).isEqualTo("l2fwd: ixgbe-vf e000:00:10.0: recovered");
        assertThat(format(Level.SEVERE, "ixgbe-vf e000:00:10.0: the device is gone", null)).startsWith("l2fwd: error: ");
    }

    @Test
    void anExceptionIsAddedToTheLineUnlessTheMessageSaysItAlready() {
        assertThat(format(Level.WARNING, "watchdog", new IllegalStateException("PF silent")))
                .isEqualTo("l2fwd: warning: watchdog: java.lang.IllegalStateException: PF silent");
        assertThat(format(Level.WARNING, "watchdog: PF silent", new IllegalStateException("PF silent")))
                .isEqualTo("l2fwd: warning: watchdog: PF silent");
        assertThat(format(Level.WARNING, "two\nlines", null)).isEqualTo("l2fwd: warning: two lines").doesNotContain("\n");
    }
}
