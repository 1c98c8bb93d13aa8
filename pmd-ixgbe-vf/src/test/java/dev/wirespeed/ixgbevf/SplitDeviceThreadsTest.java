/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

import dev.wirespeed.core.packet.Ethernet;
import dev.wirespeed.core.packet.PacketBatch;
import dev.wirespeed.core.packet.PacketPool;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.emulator.port.EmulatedDevice;
import dev.wirespeed.emulator.wire.TrafficSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The driver forwarding through an emulated port whose receive and transmit DMA run on two device threads
 * ({@code txthread=}) while the driver runs on a third: a race between the two halves of the model (state
 * they share without saying so) shows as a failed device thread, or as frames lost or damaged at the sink.
 */
class SplitDeviceThreadsTest {
    private static final long PEER = 0x02_00_00_00_09_09L;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void forwardingWithTransmitOnItsOwnDeviceThreadLosesAndDamagesNothing() {
        int count = 200_000;
        try (EmulatedDevice device = EmulatedDevice.open("emu:wire=gen+sink,size=64,flows=16,count=" + count
                + ",mac=02:00:00:00:01:00,txthread=split-test")) {
            assertThat(device.transmitThread()).isNotSameAs(device.deviceThread());
            PacketPool pool = PacketPool.create("split", device.vf().dma(), 4096);
            try (IxgbeVfPort port = IxgbeVfPort.open(device.vf(), 0, PortConfig.builder().rxPool(pool).build(), IxgbeVfOptions.defaults())) {
                port.start();
                long mac = port.macAddress().value();
                TrafficSink sink = device.sink();
                PacketBatch batch = new PacketBatch(32);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                while (sink.received() < count && System.nanoTime() < deadline
                        && device.deviceThread().failure() == null && device.transmitThread().failure() == null) {
                    int before = batch.size();
                    port.rx(0, batch);
                    for (int i = before; i < batch.size(); i++) {
                        Ethernet.setAddresses(pool, batch.get(i), PEER, mac); // the PF's anti-spoofing wants the VF's source
                    }
                    port.tx(0, batch); // what the ring refuses stays in the batch for the next round
                }
                assertThat(device.deviceThread().failure()).as("the receive thread failed").isNull();
                assertThat(device.transmitThread().failure()).as("the transmit thread failed").isNull();
                batch.freeAll();
                port.stop();
                assertThat(sink.received()).as("every generated frame forwarded").isEqualTo(count);
                assertThat(sink.inOrder()).isEqualTo(count);
                assertThat(sink.lost() + sink.duplicated() + sink.outOfOrder() + sink.corrupted() + sink.foreign()).isZero();
            } finally {
                pool.close(); // throws if a buffer is missing
            }
        } // close() throws if a device thread failed
    }
}
