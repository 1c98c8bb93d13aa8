/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.pci;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Reading or writing a sysfs file failed, or the file held something the kernel never writes there.
 * The message names the file and says what to do (e.g. that writes need root); {@link #file()} gives
 * it to code that wants to react.
 */
public final class SysfsException extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final boolean permissionDenied;

    SysfsException(String message, Path file, IOException cause, boolean permissionDenied) {
        super(message, cause);
        this.file = file;
        this.permissionDenied = permissionDenied;
    }

    /** The sysfs file (or directory) the operation was about. */
    public Path file() {
        return file;
    }

    /** True when the kernel refused for lack of privilege: the caller needs root. */
    public boolean isPermissionDenied() {
        return permissionDenied;
    }
}
