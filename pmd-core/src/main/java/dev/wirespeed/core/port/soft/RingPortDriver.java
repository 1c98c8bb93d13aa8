/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.port.soft;

import dev.wirespeed.core.port.DeviceSpec;
import dev.wirespeed.core.port.Port;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.core.port.PortDriver;

import java.util.Set;

/** Opens {@code ring:NAME} ports: two ports on the same NAME are connected back to back. */
public final class RingPortDriver implements PortDriver {
    @Override
    public String scheme() {
        return "ring";
    }

    @Override
    public String usage() {
        return "ring:NAME   in-process link; open two ports on the same NAME and they are connected back to back";
    }

    @Override
    public Port open(DeviceSpec spec, int portId, PortConfig config) {
        spec.requireOnly(Set.of());
        String name = spec.positional();
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("device '" + spec.text() + "': a ring port needs a link name, e.g. ring:link0");
        }
        return new RingPort(portId, spec.text(), name, config);
    }
}
