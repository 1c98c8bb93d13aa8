/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

import dev.wirespeed.core.packet.PacketPool;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.emulator.EmulatedVf;
import dev.wirespeed.emulator.pf.EmulatedPf;
import dev.wirespeed.emulator.pf.PfConfig;

import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * One emulated PF with one VF, a pool in the VF's DMA memory, and the driver opened on it. Closing
 * stops the port first, so tests can check that every buffer came back.
 */
final class EmulatorRig implements AutoCloseable {
    /**
     * The mailbox timeout of real drivers (1 s: the emulated PF answers on its timer thread, which a loaded
     * machine may not run for a while), no watchdog thread (tests call its checks themselves) and no hold-off
     * between resets (tests of the hold-off set their own).
     */
    static final IxgbeVfOptions OPTIONS = IxgbeVfOptions.defaults()
            .withMailboxTimeout(Duration.ofSeconds(1))
            .withWatchdog(Duration.ZERO, Duration.ofSeconds(2))
            .withResetHoldoff(Duration.ZERO);

    final EmulatedPf pf;
    final EmulatedVf vf;
    final PacketPool pool;
    IxgbeVfPort port;

    /** Every PF personality with every one of {@code values}: arguments for a test that must hold on each PF. */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> onEveryPf(Object... values) {
        return java.util.Arrays.stream(dev.wirespeed.emulator.pf.PfPersonality.values())
                .flatMap(pf -> java.util.Arrays.stream(values).map(v -> org.junit.jupiter.params.provider.Arguments.of(pf, v)));
    }

    EmulatorRig(PfConfig pfConfig) {
        this(pfConfig, 4096, PacketPool.DEFAULT_DATA_ROOM);
    }

    EmulatorRig(PfConfig pfConfig, int buffers, int dataRoom) {
        pf = new EmulatedPf(pfConfig);
        vf = pf.vf(0);
        pool = PacketPool.create("rig", vf.dma(), buffers, PacketPool.DEFAULT_HEADROOM, dataRoom);
    }

    PortConfig.Builder config() {
        return PortConfig.builder().rxPool(pool).rxRingSize(256).txRingSize(256);
    }

    IxgbeVfPort open() {
        return open(b -> b);
    }

    IxgbeVfPort open(UnaryOperator<PortConfig.Builder> tweak) {
        return open(tweak, OPTIONS);
    }

    IxgbeVfPort open(UnaryOperator<PortConfig.Builder> tweak, IxgbeVfOptions options) {
        return openOn(vf, tweak, options);
    }

    /** Opens the driver on {@code function}, e.g. a {@link WatchedFunction} around {@link #vf}. */
    IxgbeVfPort openOn(dev.wirespeed.core.device.PciFunction function, UnaryOperator<PortConfig.Builder> tweak, IxgbeVfOptions options) {
        port = IxgbeVfPort.open(function, 0, tweak.apply(config()).build(), options);
        return port;
    }

    @Override
    public void close() {
        if (port != null) {
            port.close();
        }
        pf.close();
        pool.close();
    }
}
