/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.igbvf;

import dev.wirespeed.core.packet.MacAddress;

import java.time.Duration;
import java.util.Objects;

/**
 * Driver settings that are not part of the generic {@link dev.wirespeed.core.port.PortConfig}.
 *
 * @param mailboxTimeout how long the PF may take to take or answer one message (Linux: 2000 × 500 µs = 1 s)
 * @param resetTimeout how long after CTRL.RST the PF may keep RSTI set before the VF gives up (Linux: 1 ms;
 *                     longer here so that a PF coming back up is waited for)
 * @param queueEnableTimeout how long RXDCTL/TXDCTL.ENABLE may take to change
 * @param watchdogPeriod how often the watchdog thread reads the mailbox, link and counters; 0 = no thread
 *                       (the application calls {@link IgbVfPort#poll()}). The octet counters wrap after
 *                       34 s at 1 Gbit/s, so it must be well under that
 * @param resetHoldoff least time between two resets of the VF by the watchdog (Linux: 10 s)
 * @param rxInterruptThrottle least time between two rx interrupts of a vector (EITR, ~1 µs units)
 * @param mac the MAC to ask the PF for, or null: the PF's, else a random locally administered one
 */
public record IgbVfOptions(Duration mailboxTimeout, Duration resetTimeout, Duration queueEnableTimeout,
                           Duration watchdogPeriod, Duration resetHoldoff, Duration rxInterruptThrottle, MacAddress mac) {
    public IgbVfOptions {
        positive("mailboxTimeout", mailboxTimeout);
        positive("resetTimeout", resetTimeout);
        positive("queueEnableTimeout", queueEnableTimeout);
        Objects.requireNonNull(resetHoldoff, "resetHoldoff");
        Objects.requireNonNull(rxInterruptThrottle, "rxInterruptThrottle");
        if (Objects.requireNonNull(watchdogPeriod, "watchdogPeriod").isNegative() || watchdogPeriod.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("watchdogPeriod " + watchdogPeriod + " must be 0 (off) or up to 10 s: the VF's 32-bit "
                    + "octet counters wrap after 34 s at 1 Gbit/s");
        }
        if (rxInterruptThrottle.isNegative() || rxInterruptThrottle.toNanos() / 1000 > Regs.EITR_INTERVAL_MAX) {
            throw new IllegalArgumentException("rxInterruptThrottle " + rxInterruptThrottle + " must be 0.." + Regs.EITR_INTERVAL_MAX + " µs (EITR)");
        }
        if (mac != null && (mac.isMulticast() || mac.isZero())) {
            throw new IllegalArgumentException("MAC " + mac + " cannot be a port's address: it is zero or multicast");
        }
    }

    private static void positive(String what, Duration d) {
        if (Objects.requireNonNull(d, what).isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + d);
        }
    }

    public static IgbVfOptions defaults() {
        return new IgbVfOptions(Duration.ofSeconds(1), Duration.ofMillis(200), Duration.ofMillis(200),
                Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ZERO, null);
    }

    public IgbVfOptions withMac(MacAddress m) {
        return new IgbVfOptions(mailboxTimeout, resetTimeout, queueEnableTimeout, watchdogPeriod, resetHoldoff, rxInterruptThrottle, m);
    }

    public IgbVfOptions withMailboxTimeout(Duration d) {
        return new IgbVfOptions(d, resetTimeout, queueEnableTimeout, watchdogPeriod, resetHoldoff, rxInterruptThrottle, mac);
    }

    public IgbVfOptions withWatchdog(Duration period, Duration holdoff) {
        return new IgbVfOptions(mailboxTimeout, resetTimeout, queueEnableTimeout, period, holdoff, rxInterruptThrottle, mac);
    }

    public IgbVfOptions withRxInterruptThrottle(Duration d) {
        return new IgbVfOptions(mailboxTimeout, resetTimeout, queueEnableTimeout, watchdogPeriod, resetHoldoff, d, mac);
    }

    /** EITR value: interval in µs at bits 14:2 (igbvf ethtool.c, Piggin's QEMU fix). */
    int eitr() {
        return (int) (rxInterruptThrottle.toNanos() / 1000) << Regs.EITR_INTERVAL_SHIFT;
    }
}
