/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.port;

/**
 * A kind of port, found with {@link java.util.ServiceLoader} by the scheme of a device string
 * ({@code null:…}, {@code ring:…}, {@code pci:…}, {@code emu:…}). Register an implementation in
 * {@code META-INF/services/dev.wirespeed.core.port.PortDriver}.
 */
public interface PortDriver {
    /** The device-string scheme this driver opens, e.g. {@code "null"}. */
    String scheme();

    /** One line for {@code --help}: the grammar and what the port is, e.g. {@code null:size=N,copy=0|1 …}. */
    String usage();

    /** Opens a port; {@code portId} has been resolved already. Bad options name the offending key. */
    Port open(DeviceSpec spec, int portId, PortConfig config);
}
