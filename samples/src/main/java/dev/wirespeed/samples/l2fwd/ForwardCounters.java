/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.samples.l2fwd;

/**
 * What l2fwd itself counts for one port, written by the forwarding thread only and read once a second
 * by the stats printer. Padded so ports polled by different cores don't share a cache line.
 */
final class ForwardCounters {
    @SuppressWarnings("unused")
    private long p01, p02, p03, p04, p05, p06, p07;
    long rxPackets;
    long txPackets;
    /** Packets the tx ring refused, freed by l2fwd. */
    long dropped;
    @SuppressWarnings("unused")
    private long p11, p12, p13, p14, p15, p16, p17;
}
