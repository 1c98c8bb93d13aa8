/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.pci;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Reads and writes of single sysfs attribute files, with errors that name the file. Sysfs attributes
 * are small text files the kernel formats ({@code 0x8086\n}, {@code -1\n}); a write is a request the
 * kernel may refuse with an errno, which Java reports as an {@link IOException} carrying only the
 * errno text, so the file and the value written are added here.
 */
final class SysfsFiles {
    private SysfsFiles() {
    }

    /** The file's content without trailing whitespace (the kernel ends every attribute with a newline). */
    static String readTrimmed(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).stripTrailing();
        } catch (IOException e) {
            throw failure("cannot read " + file, file, e, null);
        }
    }

    /** A hexadecimal attribute such as {@code 0x8086} or {@code 0x020000}, as an unsigned 32-bit value. */
    static int readHex(Path file) {
        String text = readTrimmed(file);
        if (text.startsWith("0x") || text.startsWith("0X")) {
            try {
                return Integer.parseUnsignedInt(text.substring(2), 16);
            } catch (NumberFormatException e) {
                // fall through to the message below
            }
        }
        throw malformed(file, "expected a hexadecimal number such as 0x8086, found '" + text + "'");
    }

    /** A decimal attribute such as {@code -1} or {@code 63}. */
    static int readDecimal(Path file) {
        String text = readTrimmed(file);
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw malformed(file, "expected a decimal number, found '" + text + "'");
        }
    }

    /**
     * The last name component of the symbolic link's target, e.g. {@code ixgbevf} for
     * {@code driver -> ../../../bus/pci/drivers/ixgbevf}; empty if there is no such link.
     */
    static Optional<String> linkTargetName(Path link) {
        if (!Files.isSymbolicLink(link)) {
            return Optional.empty();
        }
        try {
            Path target = Files.readSymbolicLink(link).getFileName();
            return Optional.of(target == null ? "" : target.toString());
        } catch (IOException e) {
            throw failure("cannot read the link " + link, link, e, null);
        }
    }

    /**
     * Writes {@code value} with a single write, as sysfs expects (it hands each write(2) to the kernel
     * as one request). The file must exist: sysfs attributes are never created by writing.
     */
    static void write(Path file, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        // TRUNCATE_EXISTING is ignored by sysfs but makes a plain file (a test's fake tree) hold exactly the value.
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            int written = channel.write(buffer);
            if (written != bytes.length) {
                throw new IOException("short write: " + written + " of " + bytes.length + " bytes accepted");
            }
        } catch (IOException e) {
            throw failure("cannot write '" + printable(value) + "' to " + file, file, e,
                    "when the kernel refuses a sysfs write, `dmesg` usually says why");
        }
    }

    /**
     * An error for a failed read or write: permission problems say root is needed; others name the
     * cause, followed by {@code hint} (may be null).
     */
    static SysfsException failure(String what, Path file, IOException e, String hint) {
        if (e instanceof NoSuchFileException) {
            return new SysfsException(what + ": " + file + " does not exist", file, e, false);
        }
        String reason = e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason() : e.getMessage();
        if (e instanceof AccessDeniedException || "Operation not permitted".equals(reason)) {
            return new SysfsException(what + ": permission denied; changing PCI devices through sysfs needs root"
                    + " (run as root, e.g. with sudo)", file, e, true);
        }
        return new SysfsException(what + ": " + reason + (hint == null ? "" : " (" + hint + ")"), file, e, false);
    }

    /** An error for content the kernel would never write into {@code file}. */
    static SysfsException malformed(Path file, String detail) {
        String message = "unexpected content in " + file + ": " + detail;
        return new SysfsException(message, file, new IOException(message), false);
    }

    /** The value as it would be typed, with the newline made visible ({@code "\n"} clears driver_override). */
    static String printable(String value) {
        return value.replace("\n", "\\n");
    }
}
