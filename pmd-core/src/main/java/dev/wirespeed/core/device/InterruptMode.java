/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.device;

/** How a device's interrupts reach us. */
public enum InterruptMode {
    MSIX, MSI, INTX, NONE
}
