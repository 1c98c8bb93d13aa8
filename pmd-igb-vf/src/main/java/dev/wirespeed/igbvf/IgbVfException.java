/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.igbvf;

/** A failure of the 82576/I350 VF driver; the message says what happened and what to do. */
public class IgbVfException extends RuntimeException {
    public IgbVfException(String message) {
        super(message);
    }
}
