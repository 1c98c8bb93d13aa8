/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.device;

import dev.wirespeed.core.os.LibC;
import dev.wirespeed.core.os.MappedMemory;
import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;

import static org.assertj.core.api.Assertions.assertThat;

class MappedBarTest {
    @Test
    void registersAreLittleEndian32BitWordsVisibleThroughAnyMappingOfTheSameMemory() {
        int fd = LibC.memfdCreate("bar", LibC.MFD_CLOEXEC);
        try {
            LibC.ftruncate(fd, 16384);
            try (MappedMemory cpu = MappedMemory.mapShared(fd, 16384, 0); MappedMemory device = MappedMemory.mapShared(fd, 16384, 0)) {
                Bar bar = new MappedBar(cpu.segment(), "BAR0 of test");
                bar.write32(0x1018, 0x12345678);
                assertThat(device.segment().get(ValueLayout.JAVA_INT, 0x1018)).isEqualTo(0x12345678);
                assertThat(device.segment().get(ValueLayout.JAVA_BYTE, 0x1018)).isEqualTo((byte) 0x78);
                device.segment().set(ValueLayout.JAVA_INT, 0x8, 0xCAFEBABE);
                assertThat(bar.read32(0x8)).isEqualTo(0xCAFEBABE);
                assertThat(bar.size()).isEqualTo(16384);
                assertThat(bar.name()).isEqualTo("BAR0 of test");
            }
        } finally {
            LibC.close(fd);
        }
    }

    /**
     * uio_msi (issue 13) and vfio invalidate a removed device's BAR mappings: the next access is SIGBUS, which the
     * JVM reports as an InternalError. Played here with a mapping whose memory is truncated away.
     */
    @Test
    void anAccessToAMappingTakenAwayIsADeviceGoneExceptionThatSaysWhatHappened() {
        int fd = LibC.memfdCreate("bar", LibC.MFD_CLOEXEC);
        try {
            LibC.ftruncate(fd, 16384);
            try (MappedMemory cpu = MappedMemory.mapShared(fd, 16384, 0)) {
                Bar bar = new MappedBar(cpu.segment(), "BAR0 of test");
                bar.write32(0x8, 1);
                LibC.ftruncate(fd, 0); // the pages behind the mapping are gone: SIGBUS on the next access
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> bar.read32(0x8)).isInstanceOf(DeviceGoneException.class)
                        .hasMessageContaining("BAR0 of test").hasMessageContaining("removed from its driver");
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> bar.write32(0x8, 2)).isInstanceOf(DeviceGoneException.class);
            }
        } finally {
            LibC.close(fd);
        }
    }
}
