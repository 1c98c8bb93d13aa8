/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** VFLINKS decoding per chip, from the register bits of facts §1.1 and DPDK's ixgbe_read_vflinks. */
class ChipTest {
    private static final int UP = 1 << 30, NON_STD = 1 << 27;

    private static int code(int speedBits) {
        return UP | speedBits << 28;
    }

    @Test
    void everySpeedCodeOnEveryChip() {
        for (Chip c : Chip.values()) {
            boolean x550 = c.isX550Family();
            assertThat(c.decodeLinks(code(3)).speedMbps()).isEqualTo(10_000);
            assertThat(c.decodeLinks(code(2)).speedMbps()).isEqualTo(1_000);
            assertThat(c.decodeLinks(code(1)).speedMbps()).isEqualTo(100);
            assertThat(c.decodeLinks(code(3) | NON_STD).speedMbps()).as("%s 10G code + NON_STD", c).isEqualTo(x550 ? 2_500 : 10_000);
            assertThat(c.decodeLinks(code(1) | NON_STD).speedMbps()).as("%s 100M code + NON_STD", c).isEqualTo(c == Chip.X550 ? 5_000 : 100);
            // code 00: 10 Mb/s on every X550-family VF (issue 12: was 0 on X550 and X550EM_x), reserved (unknown, 0) before
            assertThat(c.decodeLinks(code(0)).speedMbps()).as("%s code 00", c).isEqualTo(x550 ? 10 : 0);
            assertThat(c.decodeLinks(code(0)).up()).isTrue();
            assertThat(c.decodeLinks(0).up()).isFalse();
        }
    }
}
