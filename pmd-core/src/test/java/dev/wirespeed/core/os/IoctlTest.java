/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.os;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Request numbers checked against values the kernel headers define. */
class IoctlTest {
    @Test
    void matchesWellKnownKernelRequestNumbers() {
        assertThat(Ioctl.iow('T', 202, 4)).isEqualTo(0x400454caL);   // TUNSETIFF
        assertThat(Ioctl.ior('T', 210, 4)).isEqualTo(0x800454d2L);   // TUNGETIFF
        assertThat(Ioctl.io(';', 100)).isEqualTo(0x3b64L);           // VFIO_GET_API_VERSION
        assertThat(Ioctl.iowr('f', 1, 8)).isEqualTo(0xc0086601L);    // an _IOWR with an 8-byte argument
    }

    @Test
    void rejectsFieldsThatDoNotFit() {
        assertThatThrownBy(() -> Ioctl.iow(256, 1, 4)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8 bits");
        assertThatThrownBy(() -> Ioctl.iow(1, 1, 1 << 14)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("14 bits");
    }
}
