/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.dma;

/** Where the DMA engine reports a DMA fault (the queue has already been stopped). */
interface FaultSink {
    void dmaFault(String reason);
}
