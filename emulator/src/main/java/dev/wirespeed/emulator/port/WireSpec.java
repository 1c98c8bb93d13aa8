/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.port;

import java.nio.file.Path;

/** What an emulated port is connected to, as the {@code wire=} option (and its companions) said. */
public sealed interface WireSpec {
    /** {@code pair:NAME}: back to back with the other port opened on NAME in this process. */
    record Pair(String name) implements WireSpec {
    }

    /** {@code loopback}: the port receives what it sends. */
    record Loopback() implements WireSpec {
    }

    /** {@code tap:IFNAME}: a Linux TAP interface. */
    record Tap(String interfaceName) implements WireSpec {
    }

    /** {@code pcap,in=FILE,out=FILE}: rx from a capture file, tx into one; either may be absent (null). */
    record Pcap(Path in, Path out) implements WireSpec {
    }

    /**
     * {@code gen}, {@code sink} or {@code gen+sink}: rx from a traffic generator and/or tx into a verifying
     * sink. Without a generator nothing arrives; without a sink transmitted frames are counted and dropped.
     *
     * @param length frame length without CRC ({@code size=} minus 4)
     */
    record Traffic(boolean generator, boolean sink, int length, int flows, long rate, long count) implements WireSpec {
    }
}
