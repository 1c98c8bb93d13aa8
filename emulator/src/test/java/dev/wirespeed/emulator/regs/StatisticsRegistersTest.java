/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.regs;

import dev.wirespeed.core.device.Bar;
import dev.wirespeed.emulator.pf.EmulatedPf;
import dev.wirespeed.emulator.pf.PfConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static dev.wirespeed.emulator.Facts.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Statistics registers (facts §1.2, §1.3): 32-bit packet and 36-bit octet counters, not clear-on-read, wrapping. */
class StatisticsRegistersTest {
    private EmulatedPf pf;
    private Bar bar;
    private VfStatistics stats;

    @BeforeEach
    void setUp() {
        pf = new EmulatedPf(new PfConfig());
        bar = pf.vf(0).bar(0);
        stats = pf.vf(0).registers().statistics();
    }

    @AfterEach
    void tearDown() {
        pf.close();
    }

    private long octets(int lsb, int msb) {
        long low = Integer.toUnsignedLong(bar.read32(lsb)); // LSB first, then MSB (facts §1.3)
        return ((long) bar.read32(msb) << 32) | low;
    }

    @Test
    void countersReadWhatTheDeviceCountedAndAreNotClearedByReading() {
        stats.addReceived(3, 3 * 64, 1);
        stats.addTransmitted(2, 2 * 1514);
        for (int i = 0; i < 2; i++) {
            assertThat(bar.read32(VFGPRC)).isEqualTo(3);
            assertThat(bar.read32(VFMPRC)).isEqualTo(1);
            assertThat(octets(VFGORC_LSB, VFGORC_MSB)).isEqualTo(192);
            assertThat(bar.read32(VFGPTC)).isEqualTo(2);
            assertThat(octets(VFGOTC_LSB, VFGOTC_MSB)).isEqualTo(3028);
        }
    }

    @Test
    void packetCountersWrapAt2To32() {
        stats.addReceived((1L << 32) - 1, 0, 0);
        assertThat(bar.read32(VFGPRC)).isEqualTo(-1);
        stats.addReceived(2, 0, 0);
        assertThat(bar.read32(VFGPRC)).isEqualTo(1);
    }

    @Test
    void octetCountersAre36BitsWideAndWrapAt2To36() {
        stats.addTransmitted(0, (1L << 36) - 10);
        assertThat(octets(VFGOTC_LSB, VFGOTC_MSB)).isEqualTo((1L << 36) - 10);
        assertThat(bar.read32(VFGOTC_MSB)).isEqualTo(0xF); // 4 valid MSB bits
        stats.addTransmitted(0, 15);
        assertThat(octets(VFGOTC_LSB, VFGOTC_MSB)).isEqualTo(5);
    }

    @Test
    void softwareWrapCorrectionRecoversTheTrueTotalFromRandomIncrements() {
        // facts §1.3: a driver adds 2^32 / 2^36 when a reading goes down; polled often enough it recovers the total
        SplittableRandom rnd = new SplittableRandom(42);
        long lastPkts = 0, basePkts = 0, lastOct = 0, baseOct = 0;
        for (int i = 0; i < 2000; i++) {
            long p = rnd.nextLong(1L << 28); // each poll sees less than one wrap of either counter
            stats.addReceived(p, p * 60 + rnd.nextLong(1L << 34), 0);
            long pkts = Integer.toUnsignedLong(bar.read32(VFGPRC));
            long oct = octets(VFGORC_LSB, VFGORC_MSB);
            if (pkts < lastPkts) {
                basePkts += 1L << 32;
            }
            if (oct < lastOct) {
                baseOct += 1L << 36;
            }
            lastPkts = pkts;
            lastOct = oct;
            assertThat(basePkts + pkts).isEqualTo(stats.receivedPackets());
            assertThat(baseOct + oct).isEqualTo(stats.receivedOctets());
        }
    }

    @Test
    void countersAreReadOnlyAndExistOnlyAtQueueZerosOffsets() {
        stats.addReceived(7, 700, 0);
        bar.write32(VFGPRC, 0);
        assertThat(bar.read32(VFGPRC)).isEqualTo(7);
        assertThat(bar.read32(VFGPRC + 0x40)).isZero(); // queue 1's slot: nothing there (facts §1.2)
        assertThat(pf.vf(0).registers().ignoredAccesses().reads()).containsKey(VFGPRC + 0x40);
    }

    @Test
    void aVfResetDoesNotClearTheCounters() {
        // facts §1.3: the VF cannot clear its counters; "the VF stats registers never have a truly virgin
        // starting point" (FreeBSD ixv_save_stats) [inference]
        stats.addReceived(4, 400, 0);
        bar.write32(VFCTRL, VFCTRL_RST);
        assertThat(bar.read32(VFGPRC)).isEqualTo(4);
    }

    @Test
    void aPfResetClearsEveryCounter() {
        // the device reset of PF down/up: Linux re-baselines its copies afterwards (ixgbe_clear_vf_stats_counters) [inference]
        stats.addReceived(4, 400, 2);
        stats.addTransmitted(3, 300);
        assertThat(octets(VFGORC_LSB, VFGORC_MSB)).isEqualTo(400);
        pf.beginReset();
        pf.completeReset();
        assertThat(new int[]{bar.read32(VFGPRC), bar.read32(VFMPRC), bar.read32(VFGPTC)}).containsExactly(0, 0, 0);
        assertThat(octets(VFGORC_LSB, VFGORC_MSB)).isZero();
        assertThat(octets(VFGOTC_LSB, VFGOTC_MSB)).isZero();
        stats.addReceived(1, 64, 0);
        assertThat(bar.read32(VFGPRC)).as("and count on from 0").isEqualTo(1);
    }
}
