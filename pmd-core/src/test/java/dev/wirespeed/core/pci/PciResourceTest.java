/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.pci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PciResourceTest {
    @Test
    void sixtyFourBitMemoryBarAsAVirtioDeviceReportsIt() {
        PciResource r = PciResource.parse(0, "0x0000004000080000 0x00000040000fffff 0x0000000000140204");
        assertThat(r.start()).isEqualTo(0x4000080000L);
        assertThat(r.size()).isEqualTo(0x80000);
        assertThat(r.isMemory()).isTrue();
        assertThat(r.is64Bit()).isTrue();
        assertThat(r.isPrefetchable()).isFalse();
        assertThat(r.isIo()).isFalse();
        assertThat(r).hasToString("BAR0 64-bit memory at 0x4000080000, 524288 bytes");
    }

    @Test
    void ioPortBar() {
        PciResource r = PciResource.parse(4, "0x000000000000e000 0x000000000000e01f 0x0000000000040101");
        assertThat(r.isIo()).isTrue();
        assertThat(r.isMemory()).isFalse();
        assertThat(r.size()).isEqualTo(32);
        assertThat(r.name()).isEqualTo("BAR4");
    }

    @Test
    void prefetchable32BitMemory() {
        PciResource r = PciResource.parse(2, "0x00000000e0000000 0x00000000efffffff 0x0000000000042208");
        assertThat(r.isPrefetchable()).isTrue();
        assertThat(r.is64Bit()).isFalse();
        assertThat(r.size()).isEqualTo(256L << 20);
    }

    @Test
    void allZeroIsAbsent() {
        PciResource r = PciResource.parse(6, FakeSysfs.ABSENT);
        assertThat(r.size()).isZero();
        assertThat(r.isPresent()).isFalse();
        assertThat(r).hasToString("ROM (unused)");
        assertThat(new PciResource(7, 0, 0, 0).name()).isEqualTo("resource7");
    }

    @Test
    void addressesAboveTheSignedRangeParseUnsigned() {
        PciResource r = PciResource.parse(0, "0xfffffff000000000 0xfffffff000003fff 0x0000000000140204");
        assertThat(r.start()).isEqualTo(0xfffffff000000000L);
        assertThat(r.size()).isEqualTo(0x4000);
    }

    @Test
    void malformedLinesAreRejectedShowingTheExpectedForm() {
        assertThatThrownBy(() -> PciResource.parse(0, "0x1000 0x1fff"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected '0x<start> 0x<end> 0x<flags>', found '0x1000 0x1fff'");
        assertThatThrownBy(() -> PciResource.parse(0, "0x1000 1fff 0x200"))
                .hasMessage("expected '0x<start> 0x<end> 0x<flags>' in hexadecimal, found '1fff' in '0x1000 1fff 0x200'");
        assertThatThrownBy(() -> PciResource.parse(0, "0x1000 0x1fffg 0x200")).hasMessageContaining("'0x1fffg'");
    }
}
