/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.uio;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The command word against the layout {@code driver/uapi/uio_msi.h} documents: bit 31 zero, op in bits
 * 30-28 (0 = INTx control, 1 = set eventfd), vector in 27-20, fd in 19-0 with all ones meaning -1.
 * Expected words are computed here from that description, not from {@link UioMsiAbi}'s constants, so a
 * shift or mask copied wrongly into the library fails.
 */
class UioMsiAbiTest {
    /** UIO_MSI_CMD_SET_EVENTFD(vector, fd) per the header's documented layout. */
    static int expectedSetWord(int vector, int fd) {
        int fdField = fd == -1 ? 0b1111_1111_1111_1111_1111 : fd;
        return (1 << 28) + (vector << 20) + fdField;
    }

    @Test
    void theHeadersExampleWordsAreEncodedExactly() {
        assertThat(UioMsiAbi.setEventFd(0, 0)).isEqualTo(0x10000000);
        assertThat(UioMsiAbi.setEventFd(4, 7)).isEqualTo(0x10400007);
        assertThat(UioMsiAbi.setEventFd(255, 0xffffe)).isEqualTo(0x1ffffffe);
        assertThat(UioMsiAbi.setEventFd(4, -1)).isEqualTo(0x104fffff);
        assertThat(UioMsiAbi.CMD_INTX_MASK).isZero();
        assertThat(UioMsiAbi.CMD_INTX_UNMASK).isEqualTo(1);
    }

    @Property
    void everyEncodableBindingHasBit31ClearAndDecodesBack(@ForAll @IntRange(min = 0, max = 255) int vector,
                                                          @ForAll @IntRange(min = -1, max = 0xffffe) int fd) {
        int word = UioMsiAbi.setEventFd(vector, fd);
        assertThat(word).isEqualTo(expectedSetWord(vector, fd)).isPositive();
        assertThat((word >>> 28) & 7).isEqualTo(1);
        assertThat((word >>> 20) & 0xff).isEqualTo(vector);
        assertThat(word & 0xfffff).isEqualTo(fd == -1 ? 0xfffff : fd);
    }

    @Test
    void unencodableArgumentsAreRefusedInsteadOfTruncated() {
        assertThatThrownBy(() -> UioMsiAbi.setEventFd(256, 3)).hasMessageContaining("vector 256 cannot be encoded");
        assertThatThrownBy(() -> UioMsiAbi.setEventFd(0, 0xfffff)).hasMessageContaining("file descriptor 1048575 cannot be encoded");
        assertThatThrownBy(() -> UioMsiAbi.setEventFd(0, -2)).hasMessageContaining("cannot be encoded");
    }
}
