/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.port;

import dev.wirespeed.core.idle.WakeSource;
import dev.wirespeed.core.packet.MacAddress;
import dev.wirespeed.core.packet.PacketBatch;
import dev.wirespeed.core.port.LinkStatus;
import dev.wirespeed.core.port.Port;
import dev.wirespeed.core.port.PortStats;

import java.util.Map;
import java.util.Objects;

/**
 * An {@code emu:} port: the VF driver's port over an {@link EmulatedDevice}, which it owns. Everything
 * but {@link #name()} and {@link #close()} is the driver's; {@link #device()} reaches the emulation
 * (faults, generator and sink counters) for tests and benchmarks.
 */
public final class EmulatedPort implements Port {
    private final Port driverPort;
    private final EmulatedDevice device;

    EmulatedPort(Port driverPort, EmulatedDevice device) {
        this.driverPort = Objects.requireNonNull(driverPort, "driverPort");
        this.device = Objects.requireNonNull(device, "device");
    }

    public EmulatedDevice device() {
        return device;
    }

    /** The driver's own port object. */
    public Port driverPort() {
        return driverPort;
    }

    @Override
    public int id() {
        return driverPort.id();
    }

    /**
     * The device string and the emulated identity the driver sees, e.g. {@code emu:wire=gen (emulated
     * 82599 VF e000:00:10.0)}: the driver's messages name the address, and every emulated port has its own.
     */
    @Override
    public String name() {
        return device.name() + " (" + device.identity() + ")";
    }

    @Override
    public int rxQueueCount() {
        return driverPort.rxQueueCount();
    }

    @Override
    public int txQueueCount() {
        return driverPort.txQueueCount();
    }

    @Override
    public int rx(int queue, PacketBatch batch) {
        return driverPort.rx(queue, batch);
    }

    @Override
    public int tx(int queue, PacketBatch batch) {
        return driverPort.tx(queue, batch);
    }

    @Override
    public void start() {
        driverPort.start();
    }

    @Override
    public void stop() {
        driverPort.stop();
    }

    @Override
    public boolean isStarted() {
        return driverPort.isStarted();
    }

    @Override
    public MacAddress macAddress() {
        return driverPort.macAddress();
    }

    @Override
    public boolean setPromiscuous(boolean enabled) {
        return driverPort.setPromiscuous(enabled);
    }

    @Override
    public boolean isPromiscuous() {
        return driverPort.isPromiscuous();
    }

    @Override
    public boolean setAllMulticast(boolean enabled) {
        return driverPort.setAllMulticast(enabled);
    }

    @Override
    public int mtu() {
        return driverPort.mtu();
    }

    @Override
    public LinkStatus linkStatus() {
        return driverPort.linkStatus();
    }

    @Override
    public PortStats stats(PortStats into) {
        return driverPort.stats(into);
    }

    @Override
    public Map<String, Long> extendedStats() {
        return driverPort.extendedStats();
    }

    @Override
    public WakeSource rxWakeSource(int queue) {
        return driverPort.rxWakeSource(queue);
    }

    /** Closes the driver's port (which releases the VF), then the emulated device. */
    @Override
    public void close() {
        try {
            driverPort.close();
        } finally {
            device.close();
        }
    }

    @Override
    public String toString() {
        return "EmulatedPort[" + device.name() + "]";
    }
}
