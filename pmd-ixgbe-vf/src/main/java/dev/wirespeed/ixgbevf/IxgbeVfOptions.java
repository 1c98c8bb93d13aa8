/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

import java.time.Duration;
import java.util.Objects;

/**
 * Driver settings beyond {@link dev.wirespeed.core.port.PortConfig}: timeouts, interrupt throttling and
 * the watchdog. The defaults follow the facts sheet (§3.7, §5.2) and suit real hardware.
 *
 * @param mailboxTimeout      longest wait for each mailbox step (lock, PF acknowledgement, reply); Linux and DPDK use 1 s
 * @param resetTimeout        longest wait for RSTD/RSTI after VFCTRL.RST; DPDK allows about 100 ms
 * @param queueEnableTimeout  longest wait for RXDCTL/TXDCTL.ENABLE to read back
 * @param rxInterruptThrottle minimum gap between two rx interrupts of one vector (EITR: a 9-bit interval in 2.048 µs steps, so 0..1046 µs; 0 = no throttling)
 * @param watchdogPeriod      how often the watchdog looks at the mailbox (PF reset, pings) and link; {@link Duration#ZERO} turns it
 *                            off, and then nothing notices a PF reset or a hang by itself, and {@code stats()} must be read at least
 *                            every 50 s or so, or the 36-bit octet counters wrap unseen at 10 Gbit/s
 * @param healthCheckPeriod   how often it reads the statistics registers and checks tx queues for a hang (Linux: 2 s)
 * @param pruneOwnEchoes      drop received broadcast/multicast frames whose source is the VF's own MAC: the chip's
 *                            switch sends a VF's group frames back to it (facts §8.6), and forwarding them again would
 *                            loop; Linux's VF drops them too (ixgbevf_clean_rx_irq, "proper VEPA multicast source
 *                            pruning"). Costs a read of each frame's first bytes; turn off only if the application
 *                            never sends group frames or wants its echoes. DPDK's ixgbevf PMD does not prune.
 * @param resetHoldoff        least time between two VF resets the watchdog starts by itself (after a PF reset or a
 *                            withdrawn CTS; a hung tx queue or {@code recover()} does not wait): Linux's VF waits 10 s
 *                            after its last reset (ixgbevf_watchdog_update_link, adapter->last_reset), so a PF that keeps
 *                            refusing is not hammered with resets. {@link Duration#ZERO}: reset as soon as the PF is up
 */
public record IxgbeVfOptions(Duration mailboxTimeout, Duration resetTimeout, Duration queueEnableTimeout,
                             Duration rxInterruptThrottle, Duration watchdogPeriod, Duration healthCheckPeriod,
                             boolean pruneOwnEchoes, Duration resetHoldoff) {
    public IxgbeVfOptions {
        Objects.requireNonNull(mailboxTimeout, "mailboxTimeout");
        Objects.requireNonNull(resetTimeout, "resetTimeout");
        Objects.requireNonNull(queueEnableTimeout, "queueEnableTimeout");
        Objects.requireNonNull(rxInterruptThrottle, "rxInterruptThrottle");
        Objects.requireNonNull(watchdogPeriod, "watchdogPeriod");
        Objects.requireNonNull(healthCheckPeriod, "healthCheckPeriod");
        Objects.requireNonNull(resetHoldoff, "resetHoldoff");
        if (resetHoldoff.isNegative()) {
            throw new IllegalArgumentException("resetHoldoff must be ≥ 0, got " + resetHoldoff);
        }
        positive("mailboxTimeout", mailboxTimeout);
        positive("resetTimeout", resetTimeout);
        positive("queueEnableTimeout", queueEnableTimeout);
        positive("healthCheckPeriod", healthCheckPeriod);
        if (rxInterruptThrottle.isNegative() || rxInterruptThrottle.toNanos() > 0xFF8L * 256) {
            throw new IllegalArgumentException("rxInterruptThrottle must be 0.." + 0xFF8L * 256 / 1000
                    + " µs (EITR's 9-bit interval in 2.048 µs steps), got " + rxInterruptThrottle);
        }
        if (watchdogPeriod.isNegative()) {
            throw new IllegalArgumentException("watchdogPeriod must be ≥ 0 (0 turns the watchdog off), got " + watchdogPeriod);
        }
    }

    private static void positive(String name, Duration d) {
        if (d.isZero() || d.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }

    public static IxgbeVfOptions defaults() {
        return new IxgbeVfOptions(Duration.ofSeconds(1), Duration.ofMillis(200), Duration.ofMillis(100),
                Duration.ofNanos(10_240), Duration.ofMillis(100), Duration.ofSeconds(2), true, Duration.ofSeconds(10));
    }

    public IxgbeVfOptions withMailboxTimeout(Duration d) {
        return new IxgbeVfOptions(d, resetTimeout, queueEnableTimeout, rxInterruptThrottle, watchdogPeriod, healthCheckPeriod, pruneOwnEchoes, resetHoldoff);
    }

    public IxgbeVfOptions withRxInterruptThrottle(Duration d) {
        return new IxgbeVfOptions(mailboxTimeout, resetTimeout, queueEnableTimeout, d, watchdogPeriod, healthCheckPeriod, pruneOwnEchoes, resetHoldoff);
    }

    public IxgbeVfOptions withWatchdog(Duration period, Duration healthCheck) {
        return new IxgbeVfOptions(mailboxTimeout, resetTimeout, queueEnableTimeout, rxInterruptThrottle, period, healthCheck, pruneOwnEchoes, resetHoldoff);
    }

    public IxgbeVfOptions withPruneOwnEchoes(boolean prune) {
        return new IxgbeVfOptions(mailboxTimeout, resetTimeout, queueEnableTimeout, rxInterruptThrottle, watchdogPeriod, healthCheckPeriod, prune, resetHoldoff);
    }

    public IxgbeVfOptions withResetHoldoff(Duration d) {
        return new IxgbeVfOptions(mailboxTimeout, resetTimeout, queueEnableTimeout, rxInterruptThrottle, watchdogPeriod, healthCheckPeriod,
                pruneOwnEchoes, d);
    }

    /** The EITR register value for the throttle: interval in bits 11:3 (units of 2.048 µs), CNT_WDIS set. */
    int eitrValue() {
        return (int) (rxInterruptThrottle.toNanos() / 256) & Regs.EITR_INTERVAL_MASK | Regs.EITR_CNT_WDIS;
    }
}
