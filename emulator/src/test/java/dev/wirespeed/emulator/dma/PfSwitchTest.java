/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.dma;

import dev.wirespeed.core.packet.MacAddress;
import dev.wirespeed.emulator.pf.EmulatedPf;
import dev.wirespeed.emulator.pf.PfConfig;
import dev.wirespeed.emulator.time.ManualDeviceClock;
import dev.wirespeed.emulator.wire.FrameQueue;
import dev.wirespeed.emulator.wire.WireEnd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.wirespeed.emulator.Facts.*;
import static org.assertj.core.api.Assertions.assertThat;

/** Three VFs of one PF on one port, behind the PF's internal switch (issue 3; facts §8.6). */
class PfSwitchTest {
    static final MacAddress[] MACS = {MacAddress.parse("02:00:00:00:00:10"), MacAddress.parse("02:00:00:00:00:11"),
            MacAddress.parse("02:00:00:00:00:12")};
    static final MacAddress OUTSIDE = MacAddress.parse("02:00:00:00:00:99");

    private EmulatedPf pf;
    private FrameQueue fromWire, toWire;
    private PfSwitch sw;
    private final VfRings[] vf = new VfRings[3];

    @BeforeEach
    void setUp() {
        pf = new EmulatedPf(new PfConfig().vfCount(3).clock(new ManualDeviceClock()));
        fromWire = new FrameQueue(64);
        toWire = new FrameQueue(64);
        sw = new PfSwitch(pf, new WireEnd("test", fromWire, toWire), 64);
        for (int i = 0; i < 3; i++) {
            pf.setVfMac(i, MACS[i]);
            vf[i] = new VfRings(pf.vf(i));
            vf[i].hello();
            vf[i].setupRx(2, true, false, VfRings.RING - 1);
            vf[i].setupTx();
        }
    }

    @AfterEach
    void tearDown() {
        for (VfRings r : vf) {
            r.close();
        }
        pf.close();
    }

    private void step() {
        for (int i = 0; i < 4; i++) {
            sw.doWork();
        }
    }

    private int received(int i) {
        return vf[i].bar.read32(VFGPRC);
    }

    @Test
    void unicastToASiblingVfStaysInside() {
        byte[] f = Frames.raw(MACS[1], MACS[0], 80);
        vf[0].txPacket(f, 1, 0, VfRings.CC);
        vf[0].bumpTx();
        step();
        assertThat(vf[1].rxData(0)).isEqualTo(f);
        assertThat(received(2)).isZero();
        assertThat(toWire.size()).isZero();
        assertThat(sw.switchedInternally()).isEqualTo(1);
        assertThat(vf[0].bar.read32(VFGPTC)).as("VF-to-VF traffic is counted (facts §1.3)").isEqualTo(1);
    }

    @Test
    void unicastToAnOutsideAddressGoesToTheWireOnly() {
        vf[0].txPacket(Frames.raw(OUTSIDE, MACS[0], 80), 1, 0, VfRings.CC);
        vf[0].bumpTx();
        step();
        assertThat(toWire.size()).isEqualTo(1);
        assertThat(received(0) + received(1) + received(2)).isZero();
    }

    @Test
    void broadcastReachesEveryVfIncludingTheSenderAndTheWire() {
        byte[] f = Frames.raw(MacAddress.parse("ff:ff:ff:ff:ff:ff"), MACS[2], 80);
        vf[2].txPacket(f, 1, 0, VfRings.CC);
        vf[2].bumpTx();
        step();
        assertThat(toWire.poll()).isEqualTo(f);
        for (int i = 0; i < 3; i++) {
            assertThat(vf[i].rxData(0)).as("VF %d", i).isEqualTo(f);
        }
    }

    @Test
    void framesFromTheWireGoToTheVfOwningTheAddress() {
        fromWire.offer(Frames.raw(MACS[2], OUTSIDE, 70));
        fromWire.offer(Frames.raw(MacAddress.parse("02:00:00:00:00:77"), OUTSIDE, 70));
        step();
        assertThat(new int[]{received(0), received(1), received(2)}).containsExactly(0, 0, 1);
        assertThat(sw.fromWireUnclaimed()).isEqualTo(1);
    }

    @Test
    void multicastFromTheWireReachesOnlyVfsThatRegisteredItsHash() {
        MacAddress group = MacAddress.parse("01:00:5e:00:12:34");
        vf[1].mbx.request(SET_MULTICAST | 1 << 16, ((0x12 >> 4) | (0x34 << 4)) & 0xFFF);
        fromWire.offer(Frames.raw(group, OUTSIDE, 70));
        step();
        assertThat(new int[]{received(0), received(1), received(2)}).containsExactly(0, 1, 0);
    }
}
