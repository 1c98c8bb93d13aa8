/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.samples.common;

import java.io.PrintWriter;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The drivers report events (a PF reset, the recovery after it, a device gone) through System.Logger,
 * whose default backend is java.util.logging: two lines per event, a date and the logging class, then the
 * level and the message. The samples print them as the rest of their output, one line each:
 * {@code l2fwd: warning: ixgbe-vf e000:00:10.0: the VF must be reset: …}, on the human-text stream.
 */
public final class OneLineLogging {
    private OneLineLogging() {
    }

    /** Replaces the root logger's handlers by one that writes each record of level INFO or above as one line to {@code err}. */
    public static void install(String program, PrintWriter err) {
        Logger root = LogManager.getLogManager().getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (isLoggable(record)) {
                    err.println(getFormatter().format(record));
                    err.flush();
                }
            }

            @Override
            public void flush() {
                err.flush();
            }

            @Override
            public void close() {
                flush();
            }
        };
        handler.setLevel(Level.INFO);
        handler.setFormatter(formatter(program));
        root.addHandler(handler);
    }

    /** {@code program: [warning: |error: ]message[: exception]}, without line breaks. */
    static Formatter formatter(String program) {
        return new Formatter() {
            @Override
            public String format(LogRecord record) {
                int level = record.getLevel().intValue();
                String severity = level >= Level.SEVERE.intValue() ? "error: " : level >= Level.WARNING.intValue() ? "warning: " : "";
                String text = formatMessage(record);
                Throwable thrown = record.getThrown();
                if (thrown != null && (thrown.getMessage() == null || !text.contains(thrown.getMessage()))) {
                    text += ": " + thrown;
                }
                return (program + ": " + severity + text).replaceAll("\\s*\\R\\s*", " ");
            }
        };
    }
}
