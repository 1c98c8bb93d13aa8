/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

/** The VF or its PF did not behave as the driver needs: a refused request, a timeout, a malformed reply. */
public class IxgbeVfException extends RuntimeException {
    public IxgbeVfException(String message) {
        super(message);
    }

    public IxgbeVfException(String message, Throwable cause) {
        super(message, cause);
    }
}
