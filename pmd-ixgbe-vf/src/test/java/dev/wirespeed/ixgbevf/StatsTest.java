/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

import dev.wirespeed.core.port.PortStats;
import dev.wirespeed.emulator.pf.PfConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** 32-bit packet and 36-bit octet counters into 64-bit totals (facts §1.3). */
class StatsTest {
    @Test
    void countersWrapIntoSixtyFourBitTotalsStartingAtZero() {
        try (EmulatorRig rig = new EmulatorRig(new PfConfig())) {
            var hw = rig.vf.registers().statistics();
            hw.addReceived(1_000, 64_000, 10);          // before the port opens: not ours
            IxgbeVfPort port = rig.open();
            PortStats s = port.stats(new PortStats());
            assertThat(s.ipackets).isZero();
            assertThat(s.ibytes).isZero();
            hw.addReceived(0xFFFF_FF00L, 0xF_FFFF_FF00L, 0xFFFF_FF00L);
            hw.addTransmitted(0xFFFF_FF00L, 0xF_FFFF_FF00L);
            port.stats(s);
            hw.addReceived(0x200, 0x400, 0x200);       // every counter wraps
            hw.addTransmitted(0x200, 0x400);
            port.stats(s);
            assertThat(s.ipackets).isEqualTo(0xFFFF_FF00L + 0x200);
            assertThat(s.ibytes).isEqualTo(0xF_FFFF_FF00L + 0x400);
            assertThat(s.opackets).isEqualTo(0xFFFF_FF00L + 0x200);
            assertThat(s.obytes).isEqualTo(0xF_FFFF_FF00L + 0x400);
            assertThat(port.extendedStats()).containsEntry("rx_multicast_packets", 0xFFFF_FF00L + 0x200);
            // many wraps, each seen by a reading in between
            for (int i = 0; i < 5; i++) {
                hw.addReceived(0xC000_0000L, 0xC_0000_0000L, 0);
                port.stats(s);
            }
            assertThat(s.ipackets).isEqualTo(0xFFFF_FF00L + 0x200 + 5 * 0xC000_0000L);
            assertThat(s.ibytes).isEqualTo(0xF_FFFF_FF00L + 0x400 + 5 * 0xC_0000_0000L);
        }
    }
}
