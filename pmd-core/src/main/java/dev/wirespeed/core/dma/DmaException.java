/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.dma;

/**
 * DMA memory could not be set up or translated. The message says what was attempted, why it failed
 * and what to run to fix it (reserve hugepages, mount hugetlbfs, raise a limit, run as root).
 */
public final class DmaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DmaException(String message) {
        super(message);
    }

    public DmaException(String message, Throwable cause) {
        super(message, cause);
    }
}
