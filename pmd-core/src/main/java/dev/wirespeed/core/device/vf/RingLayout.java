/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.device.vf;

/**
 * Where each ring sits in the port's one DMA region: 4 KiB aligned (the hardware needs 128 B), and
 * never across a chunk boundary, because IOVAs are only contiguous within a chunk. Intel's advanced rx and
 * tx descriptors are 16 bytes on every VF family.
 */
public final class RingLayout {
    private static final long ALIGN = 4096;
    private static final long DESCRIPTOR_BYTES = 16;
    private final long[] rx;
    private final long[] tx;
    private final long total;

    public RingLayout(long chunkSize, int rxQueues, int rxSize, int txQueues, int txSize) {
        rx = new long[rxQueues];
        tx = new long[txQueues];
        long off = 0;
        for (int i = 0; i < rxQueues + txQueues; i++) {
            long bytes = align((long) (i < rxQueues ? rxSize : txSize) * DESCRIPTOR_BYTES);
            if (bytes > chunkSize) {
                throw new IllegalArgumentException("a ring of " + bytes + " bytes does not fit in one " + chunkSize
                        + "-byte DMA chunk; use smaller rings or a DMA domain with larger chunks (hugepages)");
            }
            if (off / chunkSize != (off + bytes - 1) / chunkSize) {
                off = (off / chunkSize + 1) * chunkSize;
            }
            if (i < rxQueues) {
                rx[i] = off;
            } else {
                tx[i - rxQueues] = off;
            }
            off += bytes;
        }
        total = off;
    }

    private static long align(long n) {
        return (n + ALIGN - 1) & -ALIGN;
    }

    public long rxOffset(int q) {
        return rx[q];
    }

    public long txOffset(int q) {
        return tx[q];
    }

    public long totalBytes() {
        return total;
    }
}
