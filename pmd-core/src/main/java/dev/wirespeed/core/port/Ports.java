/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.port;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one entry point that opens a port from a device string, whatever it is: {@code pci:0000:03:10.0},
 * {@code null:size=64}, {@code ring:link0}, {@code emu:wire=pair:A}. Drivers are found with
 * {@link ServiceLoader} ({@link PortDriver}), so a module on the class path adds its schemes.
 */
public final class Ports {
    private static final AtomicInteger NEXT_ID = new AtomicInteger();

    private Ports() {
    }

    /** Opens a port; its id is {@link PortConfig#portId()} or, if that is -1, the next in opening order. */
    public static Port open(String device, PortConfig config) {
        DeviceSpec spec = DeviceSpec.parse(device);
        PortDriver driver = drivers().get(spec.scheme());
        if (driver == null) {
            throw new IllegalArgumentException("device '" + device + "': unknown scheme '" + spec.scheme()
                    + "'; known: " + String.join(", ", drivers().keySet())
                    + (spec.scheme().equals("emu") ? " (emu: needs the wirespeed emulator module on the class path)" : ""));
        }
        int id = config.portId() >= 0 ? config.portId() : NEXT_ID.getAndIncrement();
        return driver.open(spec, id, config);
    }

    /** Every registered driver by scheme. */
    public static Map<String, PortDriver> drivers() {
        Map<String, PortDriver> byScheme = new LinkedHashMap<>();
        for (PortDriver d : ServiceLoader.load(PortDriver.class)) {
            byScheme.putIfAbsent(d.scheme(), d);
        }
        return byScheme;
    }

    /** Usage lines of every driver, for {@code --help}. */
    public static List<String> usage() {
        return drivers().values().stream().map(PortDriver::usage).toList();
    }
}
