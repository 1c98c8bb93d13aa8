/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.port;

import dev.wirespeed.core.device.PciFunction;
import dev.wirespeed.core.port.Port;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.core.port.pci.PciDriver;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for the VF poll-mode driver on the emulator's test class path (registered with ServiceLoader),
 * which must not depend on pmd-ixgbe-vf: it claims Intel VF ids, remembers the function it was given and
 * returns a port that only knows its id, its name and how to close the function. Tests drive the
 * function's BAR themselves.
 */
public final class RecordingPciDriver implements PciDriver {
    static final List<PciFunction> OPENED = new CopyOnWriteArrayList<>();
    static volatile RuntimeException failNextOpen;

    @Override
    public String name() {
        return "recording-test-driver";
    }

    @Override
    public boolean supports(int vendorId, int deviceId) {
        return vendorId == 0x8086 && List.of(0x10ED, 0x1515, 0x1565, 0x15A8, 0x15C5).contains(deviceId);
    }

    @Override
    public Port open(PciFunction function, int portId, PortConfig config) {
        RuntimeException fail = failNextOpen;
        if (fail != null) {
            failNextOpen = null;
            throw fail;
        }
        OPENED.add(function);
        return (Port) Proxy.newProxyInstance(Port.class.getClassLoader(), new Class<?>[]{Port.class}, (proxy, method, args) ->
                switch (method.getName()) {
                    case "id" -> portId;
                    case "name" -> function.address().toString();
                    case "close" -> {
                        function.close();
                        yield null;
                    }
                    case "toString" -> "recording port " + portId;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName() + " is not part of the recording test driver");
                });
    }
}
