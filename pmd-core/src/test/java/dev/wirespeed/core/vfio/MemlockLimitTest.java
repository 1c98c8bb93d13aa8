/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.vfio;

import dev.wirespeed.core.dma.DmaException;
import dev.wirespeed.core.os.LibC;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MemlockLimitTest {
    static final long MIB = 1 << 20;

    @Test
    void tooLowALimitIsOneMessageWithTheFix() {
        MemlockLimit limit = new MemlockLimit(8 * MIB, false);
        assertThatCode(() -> limit.check(6 * MIB, 2 * MIB, "pool")).doesNotThrowAnyException();
        assertThatThrownBy(() -> limit.check(8 * MIB, 2 * MIB, "rings of port 0"))
                .isInstanceOf(DmaException.class)
                .hasMessageContaining("rings of port 0 (2048 KiB)")
                .hasMessageContaining("RLIMIT_MEMLOCK), which is 8192 KiB, 8192 KiB of it already in use; need at least 10240 KiB")
                .hasMessageContaining("ulimit -l unlimited")
                .hasMessageContaining("/etc/security/limits.conf")
                .hasMessageNotContaining("\n");
    }

    @Test
    void unlimitedOrIpcLockIsNeverRefused() {
        assertThatCode(() -> new MemlockLimit(LibC.RLIM_INFINITY, false).check(1L << 40, 1L << 40, "x")).doesNotThrowAnyException();
        assertThatCode(() -> new MemlockLimit(0, true).check(0, 1L << 30, "x")).doesNotThrowAnyException();
    }

    @Test
    void capIpcLockIsReadFromTheEffectiveSet(@TempDir Path tmp) throws IOException {
        Path status = tmp.resolve("status");
        Files.writeString(status, "Name:\tjava\nCapInh:\t0000000000000000\nCapEff:\t0000000000004000\n");
        assertThat(MemlockLimit.hasIpcLock(status)).isTrue();
        Files.writeString(status, "Name:\tjava\nCapEff:\t0000000000003fff\n");
        assertThat(MemlockLimit.hasIpcLock(status)).isFalse();
        Files.writeString(status, "Name:\tjava\nCapEff:\t000001ffffffffff\n"); // root
        assertThat(MemlockLimit.hasIpcLock(status)).isTrue();
        assertThat(MemlockLimit.hasIpcLock(tmp.resolve("missing"))).isFalse();
    }

    @Test
    void thisProcessesLimitIsReadAndRootMayLock() {
        MemlockLimit limit = MemlockLimit.system();
        assertThat(limit.softLimit() == LibC.RLIM_INFINITY || limit.softLimit() > 0).isTrue();
        if (LibC.geteuid() == 0) { // root's effective set holds CAP_IPC_LOCK (unless a container dropped it)
            assertThat(limit.canLockMemory()).isTrue();
        }
    }
}
