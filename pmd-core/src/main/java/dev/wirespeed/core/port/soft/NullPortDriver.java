/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.port.soft;

import dev.wirespeed.core.packet.PacketPool;
import dev.wirespeed.core.port.DeviceSpec;
import dev.wirespeed.core.port.Port;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.core.port.PortDriver;

import java.util.Set;

/** Opens {@code null:[size=N][,copy=0|1]} ports. */
public final class NullPortDriver implements PortDriver {
    @Override
    public String scheme() {
        return "null";
    }

    @Override
    public String usage() {
        return "null:[size=BYTES][,copy=0|1]   rx returns new BYTES-byte frames (default 64), tx frees; copy=1 touches the data";
    }

    @Override
    public Port open(DeviceSpec spec, int portId, PortConfig config) {
        spec.requireOnly(Set.of("size", "copy"));
        if (spec.positional() != null) {
            throw new IllegalArgumentException("device '" + spec.text() + "': null ports take only key=value options");
        }
        PacketPool[] pools = config.requireRxPools(spec.text());
        int size = spec.integer("size", 64, 14, NullPort.smallestDataRoom(pools));
        return new NullPort(portId, spec.text(), config, pools, size, spec.flag("copy", false));
    }
}
