/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.samples.e2e;

import dev.wirespeed.core.dma.DmaDomain;
import dev.wirespeed.core.packet.PacketBatch;
import dev.wirespeed.core.packet.PacketPool;
import dev.wirespeed.core.port.Port;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.core.port.Ports;
import dev.wirespeed.samples.common.PoolMemory;

import java.util.List;

/**
 * Whether an application can use emu: ports at all: l2fwd and pktgen give a port packet buffers from their
 * own pool, and the emulated VF must reach them by DMA. Sends one frame over {@code emu:wire=loopback}
 * from an application pool and waits (hang guard) for it to come back.
 */
public final class EmuDmaProbe {
    private static final String DEVICE = "emu:wire=loopback";
    private EmuDmaProbe() {
    }

    /** Null when an emu: port forwards the application's buffers; otherwise why not. */
    public static String problem() {
        // The pool comes from where l2fwd's would (PoolMemory), so the probe passes exactly when l2fwd's traffic can.
        try (DmaDomain dma = PoolMemory.forDevices(List.of(DEVICE), "probe"); PacketPool pool = PacketPool.create("probe", dma, 2048)) {
            try (Port port = Ports.open(DEVICE, PortConfig.builder().rxPool(pool).portId(0).build())) {
                port.start();
                PacketBatch batch = new PacketBatch(4);
                int h = pool.alloc();
                pool.setLength(h, 60);
                long mac = port.macAddress().value();
                dev.wirespeed.core.packet.Ethernet.setAddresses(pool, h, mac, mac);
                batch.add(h);
                port.tx(0, batch);
                batch.freeAll();
                // a hang guard, not a speed limit: a frame merely late on a busy machine must not read as "cannot
                // carry traffic" (which skips the tests that depend on this probe)
                long end = System.nanoTime() + 30_000_000_000L;
                int got = 0;
                while (got == 0 && System.nanoTime() < end) {
                    got = port.rx(0, batch);
                    Thread.onSpinWait();
                }
                batch.freeAll();
                port.stop();
                if (got == 0) {
                    return "an emu: port does not return a frame sent from an application's packet pool: each emulated VF "
                            + "has a DMA domain of its own (EmulatedVf.dma()), so buffers from l2fwd's pool are outside it "
                            + "(the emulated PF resets the VF on the DMA fault). Needs the emulator to let all emulated VFs "
                            + "reach application pools (e.g. one DMA domain shared by every emulated VF in the process, "
                            + "as physical memory is without an IOMMU)";
                }
                return null;
            }
        } catch (RuntimeException e) {
            return "opening emu:wire=loopback failed: " + e;
        }
    }
}
