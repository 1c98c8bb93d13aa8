/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.igbvf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wirespeed.core.port.pci.PciDriver;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class ChipTest {
    @Test
    void supportsTheFourVfIdsAndNotThePfs() {
        IgbVfDriver d = new IgbVfDriver();
        assertThat(d.supports(0x8086, 0x10CA)).isTrue();
        assertThat(d.supports(0x8086, 0x152D)).isTrue();
        assertThat(d.supports(0x8086, 0x1520)).isTrue();
        assertThat(d.supports(0x8086, 0x152F)).isTrue();
        assertThat(d.supports(0x8086, 0x10C9)).as("82576 PF").isFalse();
        assertThat(d.supports(0x8086, 0x1521)).as("I350 PF").isFalse();
        assertThat(d.supports(0x8087, 0x10CA)).as("not Intel").isFalse();
    }

    @Test
    void foundThroughServiceLoader() {
        assertThat(ServiceLoader.load(PciDriver.class).stream().map(p -> p.get().name()))
                .contains("igb-vf");
    }

    @Test
    void queuePairsPerFamily() {
        assertThat(Chip.of(0x8086, 0x10CA).queuePairs()).isEqualTo(2);
        assertThat(Chip.of(0x8086, 0x1520).queuePairs()).isEqualTo(1);
        assertThat(Chip.I350.swapsLoopbackVlan()).isTrue();
        assertThat(Chip.I82576.swapsLoopbackVlan()).isFalse();
    }
}
