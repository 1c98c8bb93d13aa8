/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.pf;

import dev.wirespeed.core.packet.MacAddress;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The multicast hash of facts §3.5 for each filter type, on address 01:00:5e:00:a5:c3 (b4 = 0xa5, b5 = 0xc3). */
class VfFilterTest {
    private static int hash(int type) {
        return VfFilter.hash(MacAddress.parse("01:00:5e:00:a5:c3").value(), type);
    }

    @Test
    void hashTakesTheTwelveBitsEachFilterTypeNames() {
        assertThat(hash(0)).isEqualTo(((0xa5 >> 4) | (0xc3 << 4)) & 0xFFF); // MAC bits 47:36
        assertThat(hash(1)).isEqualTo(((0xa5 >> 3) | (0xc3 << 5)) & 0xFFF); // 46:35
        assertThat(hash(2)).isEqualTo(((0xa5 >> 2) | (0xc3 << 6)) & 0xFFF); // 45:34
        assertThat(hash(3)).isEqualTo((0xa5 | (0xc3 << 8)) & 0xFFF); // 43:32
        assertThat(hash(0)).isEqualTo(0xC3A);
        assertThat(hash(3)).isEqualTo(0x3A5);
    }
}
