/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.samples.l2fwd;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import picocli.CommandLine;

import java.util.Locale;

/** What a forwarding thread does after an empty poll. */
enum IdleMode {
    /** Poll continuously (PAUSE between polls): lowest latency, one full core per thread. */
    SPIN,
    /** Spin, then yield, then park for 1 µs doubling to 1 ms (Agrona's defaults). */
    BACKOFF;

    IdleStrategy create() {
        return switch (this) {
            case SPIN -> new BusySpinIdleStrategy();
            case BACKOFF -> new BackoffIdleStrategy(10, 5, 1_000, 1_000_000);
        };
    }

    static final class Converter implements CommandLine.ITypeConverter<IdleMode> {
        @Override
        public IdleMode convert(String value) {
            try {
                return IdleMode.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("expected spin or backoff, got '" + value + "'");
            }
        }
    }
}
