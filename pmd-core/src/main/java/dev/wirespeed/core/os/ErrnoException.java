/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.os;

import java.io.UncheckedIOException;
import java.io.IOException;

/**
 * A system call failed. The message names the call with the arguments that matter, the errno, its
 * symbolic name and the C library's description, e.g.
 * {@code open("/dev/uio0", O_RDWR) failed: EACCES (13, Permission denied)}.
 */
public final class ErrnoException extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;

    public ErrnoException(String call, int errno) {
        this(call, errno, null);
    }

    /**
     * @param hint what the user can do about it (may be null); appended to the message.
     */
    public ErrnoException(String call, int errno, String hint) {
        super(message(call, errno, hint), new IOException(Errno.name(errno)));
        this.call = call;
        this.errno = errno;
    }

    private static String message(String call, int errno, String hint) {
        String text = call + " failed: " + Errno.name(errno) + " (" + errno + ", " + LibC.strerror(errno) + ")";
        return hint == null ? text : text + ". " + hint;
    }

    /** The call and its arguments as written in the message, e.g. {@code open("/dev/uio0", O_RDWR)}. */
    public String call() {
        return call;
    }

    public int errno() {
        return errno;
    }

    public String errnoName() {
        return Errno.name(errno);
    }
}
