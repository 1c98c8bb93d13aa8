/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.os;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LibCTest {
    @Test
    void failedOpenNamesCallPathErrnoAndItsSymbol(@TempDir Path dir) {
        String missing = dir.resolve("nope").toString();
        assertThatThrownBy(() -> LibC.open(missing, LibC.O_RDONLY))
                .isInstanceOf(ErrnoException.class)
                .hasMessageContaining("open(\"" + missing + "\", O_RDONLY) failed")
                .hasMessageContaining("ENOENT (2, No such file or directory)")
                .satisfies(e -> {
                    ErrnoException ee = (ErrnoException) e;
                    assertThat(ee.errno()).isEqualTo(Errno.ENOENT);
                    assertThat(ee.errnoName()).isEqualTo("ENOENT");
                });
    }

    @Test
    void closeOfABadDescriptorIsEbadf() {
        assertThatThrownBy(() -> LibC.close(987654))
                .isInstanceOf(ErrnoException.class)
                .hasMessageContaining("close(987654) failed: EBADF");
    }

    @Test
    void writeReadPreadPwriteRoundTripThroughAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("data");
        int fd = LibC.open(file.toString(), LibC.O_RDWR | LibC.O_CREAT | LibC.O_CLOEXEC, 0600);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocateFrom("hello wirespeed");
            long len = buf.byteSize() - 1;
            assertThat(LibC.write(fd, buf, len)).isEqualTo(len);
            MemorySegment x = arena.allocateFrom("W");
            assertThat(LibC.pwrite(fd, x, 1, 6)).isEqualTo(1);
            MemorySegment in = arena.allocate(64);
            assertThat(LibC.pread(fd, in, len, 0)).isEqualTo(len);
            assertThat(in.getString(0)).isEqualTo("hello Wirespeed");
            LibC.ftruncate(fd, 5);
        } finally {
            LibC.close(fd);
        }
        assertThat(Files.readString(file)).isEqualTo("hello");
        LibC.unlink(file.toString());
        assertThat(file).doesNotExist();
    }

    @Test
    void lengthsBeyondTheBufferAreRefusedBeforeTheCall() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment small = arena.allocate(4);
            assertThatThrownBy(() -> LibC.read(0, small, 8)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void memfdMmapSharesMemoryBetweenTwoMappings() {
        int fd = LibC.memfdCreate("test", LibC.MFD_CLOEXEC);
        try {
            LibC.ftruncate(fd, 8192);
            try (MappedMemory a = MappedMemory.mapShared(fd, 8192, 0); MappedMemory b = MappedMemory.mapShared(fd, 8192, 0)) {
                a.segment().set(JAVA_INT, 4096, 0xCAFE);
                assertThat(b.segment().get(JAVA_INT, 4096)).isEqualTo(0xCAFE);
                LibC.mlock(a.segment());
                LibC.munlock(a.segment());
                LibC.madvise(a.segment(), LibC.MADV_DONTFORK);
            }
        } finally {
            LibC.close(fd);
        }
    }

    @Test
    void mmapFailureReportsLengthFlagsAndErrno() {
        assertThatThrownBy(() -> LibC.mmap(4096, LibC.PROT_READ, LibC.MAP_SHARED, 987654, 0))
                .isInstanceOf(ErrnoException.class)
                .hasMessageContaining("mmap(4096 bytes")
                .hasMessageContaining("fd 987654")
                .hasMessageContaining("EBADF");
    }

    @Test
    void ioctlOnAFileThatIsNotADeviceIsEnotty(@TempDir Path dir) {
        int fd = LibC.open(dir.resolve("f").toString(), LibC.O_RDWR | LibC.O_CREAT, 0600);
        try (Arena arena = Arena.ofConfined()) {
            long request = Ioctl.iow('T', 202, 4); // TUNSETIFF-shaped request on a regular file
            assertThatThrownBy(() -> LibC.ioctl(fd, request, arena.allocate(64)))
                    .isInstanceOf(ErrnoException.class)
                    .hasMessageContaining("ioctl(fd " + fd + ", 0x400454ca)")
                    .hasMessageContaining("ENOTTY");
        } finally {
            LibC.close(fd);
        }
    }

    @Test
    void identityAndSchedulingCalls() {
        assertThat(LibC.getpid()).isEqualTo((int) ProcessHandle.current().pid());
        assertThat(LibC.gettid()).isPositive();
        int cpu = LibC.schedGetCpu();
        assertThat(cpu).isBetween(0, Runtime.getRuntime().availableProcessors() * 64);
    }

    @Test
    void errnoNamesCoverCommonValuesAndFallBackToTheNumber() {
        assertThat(Errno.name(13)).isEqualTo("EACCES");
        assertThat(Errno.name(12)).isEqualTo("ENOMEM");
        assertThat(Errno.name(110)).isEqualTo("ETIMEDOUT");
        assertThat(Errno.name(4000)).isEqualTo("errno 4000");
        assertThat(LibC.strerror(13)).isEqualTo("Permission denied");
    }

    @Test
    void openFlagsArePrintedSymbolically() {
        assertThat(LibC.openFlags(LibC.O_RDWR | LibC.O_CREAT | LibC.O_EXCL | LibC.O_CLOEXEC)).isEqualTo("O_RDWR|O_CREAT|O_EXCL|O_CLOEXEC");
        assertThat(LibC.openFlags(LibC.O_WRONLY | LibC.O_SYNC)).isEqualTo("O_WRONLY|O_SYNC");
    }

    @Test
    void bytesCopiedToNativeMemoryReadBack() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(3);
            s.set(JAVA_BYTE, 2, (byte) 7);
            assertThat(s.get(JAVA_BYTE, 2)).isEqualTo((byte) 7);
        }
    }
}
