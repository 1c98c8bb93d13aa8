/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.dma;

/** A piece of device work a {@link DeviceThread} polls: a VF's DMA engine, or a PF's switch with its VFs. */
public interface DeviceWork {
    /** Does one round of work; returns how much was done (0 = idle). */
    int doWork();
}
