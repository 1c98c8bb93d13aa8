/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.igbvf;

/**
 * The PF is resetting (RSTI), or no longer clear to send (a ping or reply without CTS): the VF must be
 * reset and brought up again before the PF talks to it.
 */
public final class PfResetException extends IgbVfException {
    public PfResetException(String message) {
        super(message);
    }
}
