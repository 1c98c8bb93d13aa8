/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.uio;

import dev.wirespeed.core.testing.SeededCases;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The command word against the layout {@code driver/uapi/uio_msi.h} documents: bit 31 zero, op in bits
 * 30-28 (0 = INTx control, 1 = set eventfd, 2 = unbind), vector in 27-20, fd in 19-0 (every value an fd;
 * issue 13 point 9 retired the old all-ones "unbind" sentinel, which is a valid fd).
 * Expected words are computed here from that description, not from {@link UioMsiAbi}'s constants, so a
 * shift or mask copied wrongly into the library fails.
 */
class UioMsiAbiTest {
    /** UIO_MSI_CMD_SET_EVENTFD(vector, fd) per the header's documented layout. */
    static int expectedSetWord(int vector, int fd) {
        return (1 << 28) + (vector << 20) + fd;
    }

    @Test
    void theHeadersExampleWordsAreEncodedExactly() {
        assertThat(UioMsiAbi.setEventFd(0, 0)).isEqualTo(0x10000000);
        assertThat(UioMsiAbi.setEventFd(4, 7)).isEqualTo(0x10400007);
        assertThat(UioMsiAbi.setEventFd(255, 0xffffe)).isEqualTo(0x1ffffffe);
        assertThat(UioMsiAbi.setEventFd(4, 0xfffff)).as("fd 1048575 is an fd, not 'unbind'").isEqualTo(0x104fffff);
        assertThat(UioMsiAbi.unbindEventFd(4)).isEqualTo(0x20400000);
        assertThat(UioMsiAbi.unbindEventFd(255)).isEqualTo(0x2ff00000);
        assertThat(UioMsiAbi.CMD_INTX_MASK).isZero();
        assertThat(UioMsiAbi.CMD_INTX_UNMASK).isEqualTo(1);
    }

    @Test
    void everyEncodableBindingHasBit31ClearAndDecodesBack() {
        SeededCases.forAll(g -> everyEncodableBindingHasBit31ClearAndDecodesBack(g.between(0, 255), g.between(0, 0xfffff)));
    }

    private static void everyEncodableBindingHasBit31ClearAndDecodesBack(int vector, int fd) {
        int word = UioMsiAbi.setEventFd(vector, fd);
        assertThat(word).as("vector %d, fd %d", vector, fd).isEqualTo(expectedSetWord(vector, fd)).isPositive();
        assertThat((word >>> 28) & 7).isEqualTo(1);
        assertThat((word >>> 20) & 0xff).isEqualTo(vector);
        assertThat(word & 0xfffff).isEqualTo(fd);
    }

    @Test
    void unencodableArgumentsAreRefusedInsteadOfTruncated() {
        assertThatThrownBy(() -> UioMsiAbi.setEventFd(256, 3)).hasMessageContaining("vector 256 cannot be encoded");
        assertThatThrownBy(() -> UioMsiAbi.setEventFd(0, 0x100005)).hasMessageContaining("file descriptor 1048581 cannot be encoded");
        assertThatThrownBy(() -> UioMsiAbi.setEventFd(0, -1)).hasMessageContaining("file descriptor -1 cannot be encoded");
        assertThatThrownBy(() -> UioMsiAbi.unbindEventFd(256)).hasMessageContaining("vector 256 cannot be encoded");
    }
}
