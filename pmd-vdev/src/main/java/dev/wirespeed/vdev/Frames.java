/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.vdev;

import dev.wirespeed.core.packet.PacketPool;

import java.lang.foreign.MemorySegment;

/** Copying packets out of pool buffers, for ports that hand frames to the kernel by copy. */
public final class Frames {
    private Frames() {
    }

    /**
     * Copies a packet (every segment of its chain) to {@code to} at {@code at}: what a transmit writes into
     * a ring frame or a staging area.
     */
    public static void copyChain(PacketPool first, int handle, MemorySegment to, long at) {
        PacketPool p = first;
        long pos = at;
        for (int h = handle; h != PacketPool.NO_PACKET; h = p.next(h)) {
            if (p.id() != (h >>> 24)) {
                p = PacketPool.of(h);
            }
            int seg = p.dataLength(h);
            MemorySegment.copy(p.memory(), p.dataOffset(h), to, pos, seg);
            pos += seg;
        }
    }

}
