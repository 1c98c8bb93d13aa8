/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.packet;

/** A packet pool was closed while some of its buffers were still out: they leaked. */
public final class PoolLeakException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final int leaked;

    public PoolLeakException(String pool, int leaked, int capacity) {
        super("packet pool '" + pool + "' closed with " + leaked + " of " + capacity
                + " buffers still in use: they leaked (a port not stopped, or a batch not freed)");
        this.leaked = leaked;
    }

    public int leaked() {
        return leaked;
    }
}
