/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.samples.pktgen;

import dev.wirespeed.core.packet.PacketPool;

import java.util.Locale;

/**
 * The one rule for what pktgen generates: frame sizes 64..9728 bytes with CRC and 1..65536 flows, the same
 * limits as the emulator's generator ({@code emu:wire=gen,size=64..9728,flows=N}, EmuOptions), so a test
 * moved from one generator to the other keeps its numbers. 9728 is the largest frame of the 82599/i350 VF
 * family (Linux ixgbe_set_vf_lpe: max frame 9728); GeneratorLimitsTest holds the two generators together.
 * Frames above 1518 bytes need a jumbo MTU on the port and buffers that hold the whole frame, which
 * {@link #mtu} and {@link #dataRoom} give.
 */
final class FrameLimits {
    /** Ethernet's smallest frame, CRC included. */
    static final int MIN_SIZE = 64;
    /** The VF family's largest frame, CRC included. */
    static final int MAX_SIZE = 9728;
    static final int MAX_FLOWS = 65_536;
    /** The largest frame a standard 1500-byte MTU carries, CRC included. */
    private static final int STANDARD_MAX_SIZE = 1518;
    /** Ethernet header and CRC: the bytes of a frame that are not its MTU. */
    private static final int ETHERNET_OVERHEAD = 18;

    private FrameLimits() {
    }

    /** Refuses a size or flow count outside the rule, naming the rule. */
    static void check(int size, int flows) {
        if (size < MIN_SIZE || size > MAX_SIZE) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "--size must be %d..%d bytes including the 4-byte CRC"
                    + " (as the emulator's size=), got %d", MIN_SIZE, MAX_SIZE, size));
        }
        if (flows < 1 || flows > MAX_FLOWS) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "--flows must be 1..%d (as the emulator's flows=), got %d",
                    MAX_FLOWS, flows));
        }
    }

    /** The port MTU a frame of {@code size} bytes (with CRC) needs: the standard 1500 unless it is a jumbo frame. */
    static int mtu(int size) {
        return Math.max(STANDARD_MAX_SIZE, size) - ETHERNET_OVERHEAD;
    }

    /**
     * Buffer data room for frames of {@code size} bytes with CRC: the pool's default, or for jumbo frames the
     * frame rounded up to whole KiB (a VF's receive buffer size is set in 1 KiB units, so a room that is not
     * a multiple would be rounded down and split the frame into a chain).
     */
    static int dataRoom(int size) {
        int frame = size - 4;
        return frame <= PacketPool.DEFAULT_DATA_ROOM ? PacketPool.DEFAULT_DATA_ROOM : (frame + 1023) & ~1023;
    }
}
