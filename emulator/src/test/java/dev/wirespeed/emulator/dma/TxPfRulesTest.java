/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.dma;

import dev.wirespeed.core.packet.MacAddress;
import dev.wirespeed.emulator.Flavour;
import dev.wirespeed.emulator.pf.EmulatedPf;
import dev.wirespeed.emulator.pf.LinkState;
import dev.wirespeed.emulator.pf.PfConfig;
import dev.wirespeed.emulator.pf.PfPersonality;
import dev.wirespeed.emulator.time.ManualDeviceClock;
import dev.wirespeed.emulator.wire.FrameQueue;
import dev.wirespeed.emulator.wire.WireEnd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.wirespeed.emulator.Facts.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PF's rules as the transmit path applies them: VFTE off stalls the queue (TDH stands still), MDD
 * only where the PF switched it on and reported to the PF, the port VLAN's tag inserted.
 */
class TxPfRulesTest {
    static final MacAddress MAC = MacAddress.parse("02:00:00:00:00:01");
    static final MacAddress PEER = MacAddress.parse("02:00:00:00:00:99");

    private EmulatedPf pf;
    private VfRings rings;
    private VfDmaEngine engine;
    private FrameQueue toWire;

    private void open(PfConfig config) {
        pf = new EmulatedPf(config.clock(new ManualDeviceClock()));
        pf.setVfMac(0, MAC);
        toWire = new FrameQueue(64);
        engine = new VfDmaEngine(pf, 0, new WireEnd("test", new FrameQueue(64), toWire));
        rings = new VfRings(pf.vf(0));
        rings.hello();
        rings.setupTx();
    }

    private void step() {
        for (int i = 0; i < 4; i++) {
            engine.doWork();
        }
    }

    @AfterEach
    void tearDown() {
        if (rings != null) {
            rings.close();
        }
        if (pf != null) {
            pf.close();
        }
    }

    @Test
    void withVfteOffTheQueueStallsAndTdhStandsStill() {
        open(new PfConfig());
        rings.txContext(0, 14, 0, 0, 0);
        rings.txPacket(Frames.raw(PEER, MAC, 64), 1, 0, VfRings.CC);
        pf.setVfLinkState(0, LinkState.DISABLE); // VFTE off (ixgbe_set_vf_rx_tx)
        rings.bumpTx();
        step();
        assertThat(rings.bar.read32(VFTDH)).as("nothing fetched").isZero();
        assertThat(toWire.size()).isZero();
        pf.setVfLinkState(0, LinkState.AUTO); // VFTE on again: the queue goes on where it stood
        step();
        assertThat(rings.bar.read32(VFTDH)).isEqualTo(2);
        assertThat(toWire.size()).isEqualTo(1);
    }

    @Test
    void anMddStopReachesThePfWhichPingsTheVf() {
        open(new PfConfig().flavour(Flavour.X550));
        rings.mbx.letPfRun();
        rings.bar.read32(VFMAILBOX);
        rings.txPacket(Frames.raw(PEER, MAC, 64), 1, 0, 0); // no CC
        rings.bumpTx();
        step();
        assertThat(rings.bar.read32(VFTXDCTL) & DCTL_ENABLE).isZero();
        assertThat(rings.mbx.awaitMessage()).isTrue();
        assertThat(rings.mbx.readMessage()[0]).isEqualTo(PF_CONTROL | MSG_CTS);
        assertThat(pf.vfState(0).clearToSend()).isFalse();
    }

    @Test
    void withoutTheLinuxPfsMddAnX550SendsAPacketWithoutCc() {
        // only Linux (2025) enables MDD, and only through the X550's MAC operations
        Object[][] cases = {{PfPersonality.LINUX, Flavour.X550EM_X}, {PfPersonality.LINUX_LEGACY, Flavour.X550},
                {PfPersonality.DPDK, Flavour.X550}};
        for (Object[] c : cases) {
            open(new PfConfig().personality((PfPersonality) c[0]).flavour((Flavour) c[1]));
            rings.txPacket(Frames.raw(PEER, MAC, 64), 1, 0, 0);
            rings.bumpTx();
            step();
            assertThat(toWire.size()).as("%s on %s", c[0], c[1]).isEqualTo(1);
            rings.close();
            pf.close();
        }
        rings = null;
        pf = null;
    }

    @Test
    void thePortVlanIsInsertedIntoEveryFrame() {
        open(new PfConfig());
        pf.setVfPortVlan(0, 42, 5);
        byte[] f = Frames.raw(PEER, MAC, 64);
        rings.txContext(0, 14, 0, 0, 0);
        rings.txPacket(f, 1, 0, VfRings.CC);
        rings.bumpTx();
        step();
        byte[] out = toWire.poll();
        assertThat(out).isNotNull();
        assertThat(out.length).isEqualTo(f.length + 4);
        assertThat(Arrays.copyOfRange(out, 12, 16)).containsExactly(0x81, 0x00, (42 | 5 << 13) >>> 8, 42 & 0xFF);
        assertThat(Arrays.copyOfRange(out, 16, out.length)).containsExactly(Arrays.copyOfRange(f, 12, f.length));
    }
}
