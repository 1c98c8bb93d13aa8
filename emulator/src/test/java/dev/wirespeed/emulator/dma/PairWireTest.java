/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.dma;

import dev.wirespeed.core.os.EventFd;
import dev.wirespeed.core.packet.MacAddress;
import dev.wirespeed.emulator.pf.EmulatedPf;
import dev.wirespeed.emulator.pf.PfConfig;
import dev.wirespeed.emulator.wire.WireEnd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.wirespeed.emulator.Facts.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Two emulated ports back to back, each DMA engine on the device thread, driven like a driver would. */
class PairWireTest {
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS) // hang guard only
    void framesSentByOnePortArriveInOrderAtTheOtherAndWakeItsVector() throws Exception {
        MacAddress macA = MacAddress.parse("02:00:00:00:00:0a");
        MacAddress macB = MacAddress.parse("02:00:00:00:00:0b");
        try (EmulatedPf pfA = new EmulatedPf(new PfConfig()); EmulatedPf pfB = new EmulatedPf(new PfConfig());
             EventFd wake = EventFd.create()) {
            pfA.setVfMac(0, macA);
            pfB.setVfMac(0, macB);
            WireEnd[] wire = WireEnd.pair("A", 256);
            try (VfRings a = new VfRings(pfA.vf(0)); VfRings b = new VfRings(pfB.vf(0))) {
                a.hello();
                b.hello();
                b.setupRx(2, false, false, VfRings.RING - 1);
                a.setupTx();
                pfB.vf(0).interrupts().bind(0, wake);
                b.bar.write32(VTIVAR0, 0x80);
                b.bar.write32(VTEIAM, 1);
                b.bar.write32(VTEIMS, 1);
                try (DeviceThread device = new DeviceThread("emu-pair",
                        List.of(new VfDmaEngine(pfA, 0, wire[0]), new VfDmaEngine(pfB, 0, wire[1]))).start()) {
                    int n = 50;
                    byte[][] sent = new byte[n][];
                    for (int i = 0; i < n; i++) {
                        sent[i] = Frames.raw(macB, macA, 60 + i);
                        while (Math.floorMod(a.bar.read32(VFTDH) - a.txTail - 1, VfRings.RING) < 3) {
                            Thread.onSpinWait(); // fewer than 3 free descriptors: let the device catch up
                        }
                        a.txPacket(sent[i], 1 + i % 3, 0, VfRings.CC);
                        a.bumpTx();
                    }
                    EmulatedDeviceTest.await("the last frame's DD at b", () -> (b.rxStatus(n - 1) & 1) != 0);
                    for (int i = 0; i < n; i++) {
                        assertThat(b.rxData(i)).as("frame %d", i).isEqualTo(sent[i]);
                    }
                    // A burst writes its DD bits, then raises the interrupt, then counts its frames in VFGPRC:
                    // DD alone does not say that the vector fired or that the count is in.
                    EmulatedDeviceTest.await("b's VFGPRC to count " + n, () -> b.bar.read32(VFGPRC) >= n,
                            () -> "VFGPRC " + b.bar.read32(VFGPRC) + ", a's VFGPTC " + a.bar.read32(VFGPTC));
                    assertThat(b.bar.read32(VFGPRC)).isEqualTo(n);
                    assertThat(a.bar.read32(VFGPTC)).isEqualTo(n);
                    assertThat(wake.drain()).as("auto-masked vector fired once").isEqualTo(1);
                }
            }
        }
    }
}
