/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.samples.l2fwd;

import dev.wirespeed.core.idle.InterruptIdleConfig;
import dev.wirespeed.core.idle.InterruptIdleStrategy;
import dev.wirespeed.core.idle.WakeSource;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import picocli.CommandLine;

import java.util.List;
import java.util.Locale;

/** What a forwarding thread does after an empty poll. */
enum IdleMode {
    /** Poll continuously (PAUSE between polls): lowest latency, one full core per thread. */
    SPIN,
    /** Spin, then yield, then park for 1 µs doubling to 1 ms (Agrona's defaults). */
    BACKOFF,
    /** Spin for 100 µs, then arm the rx interrupts and sleep on their eventfds until a packet arrives. */
    INTERRUPT;

    /** @param wakeSources the rx interrupts of the ports the thread polls (used by INTERRUPT only) */
    IdleStrategy create(List<WakeSource> wakeSources) {
        return switch (this) {
            case SPIN -> new BusySpinIdleStrategy();
            case BACKOFF -> new BackoffIdleStrategy(10, 5, 1_000, 1_000_000);
            case INTERRUPT -> new InterruptIdleStrategy(wakeSources, InterruptIdleConfig.defaults());
        };
    }

    static final class Converter implements CommandLine.ITypeConverter<IdleMode> {
        @Override
        public IdleMode convert(String value) {
            try {
                return IdleMode.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("expected spin, backoff or interrupt, got '" + value + "'");
            }
        }
    }
}
