/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.pci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysfsFilesTest {
    @TempDir
    Path tmp;

    @Test
    void readsHexDecimalAndTrimmedText() throws IOException {
        Path file = tmp.resolve("attr");
        Files.writeString(file, "0x020000\n");
        assertThat(SysfsFiles.readHex(file)).isEqualTo(0x020000);
        Files.writeString(file, "0xffffffff\n");
        assertThat(SysfsFiles.readHex(file)).isEqualTo(-1);
        Files.writeString(file, "-1\n");
        assertThat(SysfsFiles.readDecimal(file)).isEqualTo(-1);
        Files.writeString(file, "(null)\n");
        assertThat(SysfsFiles.readTrimmed(file)).isEqualTo("(null)");
    }

    @Test
    void malformedDecimalNamesFileAndContent() throws IOException {
        Path file = tmp.resolve("numa_node");
        Files.writeString(file, "zero\n");
        assertThatThrownBy(() -> SysfsFiles.readDecimal(file))
                .isInstanceOf(SysfsException.class)
                .hasMessage("unexpected content in " + file + ": expected a decimal number, found 'zero'");
    }

    @Test
    void writeReplacesTheContentAndNeverCreatesAFile() throws IOException {
        Path file = tmp.resolve("bind");
        Files.writeString(file, "0000:03:10.0-and-older-content");
        SysfsFiles.write(file, "0000:03:10.2");
        assertThat(Files.readString(file)).isEqualTo("0000:03:10.2");
        Path missing = tmp.resolve("new_id");
        assertThatThrownBy(() -> SysfsFiles.write(missing, "8086 10ed"))
                .isInstanceOf(SysfsException.class)
                .hasMessage("cannot write '8086 10ed' to " + missing + ": " + missing + " does not exist");
        assertThat(missing).doesNotExist();
    }

    @Test
    void permissionDeniedSaysRootIsNeeded() {
        Path file = tmp.resolve("bind");
        SysfsException e = SysfsFiles.failure("cannot write '0000:03:10.0' to " + file, file,
                new AccessDeniedException(file.toString()), "ignored for permission errors");
        assertThat(e).hasMessage("cannot write '0000:03:10.0' to " + file
                + ": permission denied; changing PCI devices through sysfs needs root (run as root, e.g. with sudo)");
        assertThat(e.isPermissionDenied()).isTrue();
        assertThat(e.file()).isEqualTo(file);
        // EPERM reaches Java as a plain FileSystemException with this reason.
        SysfsException eperm = SysfsFiles.failure("x", file,
                new FileSystemException(file.toString(), null, "Operation not permitted"), null);
        assertThat(eperm.isPermissionDenied()).isTrue();
        assertThat(eperm).hasMessageContaining("needs root");
    }

    @Test
    void kernelRefusalNamesTheReasonAndPointsToDmesg() {
        Path file = tmp.resolve("bind");
        SysfsException e = SysfsFiles.failure("cannot write '0000:03:10.0' to " + file, file,
                new IOException("No such device"), "when the kernel refuses a sysfs write, `dmesg` usually says why");
        assertThat(e).hasMessage("cannot write '0000:03:10.0' to " + file
                + ": No such device (when the kernel refuses a sysfs write, `dmesg` usually says why)");
        assertThat(e.isPermissionDenied()).isFalse();
    }

    @Test
    void aRealPermissionDeniedWriteSaysRootIsNeeded() throws IOException {
        assumeFalse("root".equals(System.getProperty("user.name")), "root may write any file");
        Path file = tmp.resolve("unbind");
        Files.writeString(file, "");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--r--r--"));
        assertThatThrownBy(() -> SysfsFiles.write(file, "0000:03:10.0"))
                .isInstanceOf(SysfsException.class)
                .hasMessageContaining("needs root");
    }

    @Test
    void printableShowsNewlines() {
        assertThat(SysfsFiles.printable("\n")).isEqualTo("\\n");
    }
}
