/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.regs;

import dev.wirespeed.core.device.Bar;
import dev.wirespeed.emulator.EmulatedVf;
import dev.wirespeed.emulator.Flavour;
import dev.wirespeed.emulator.LinkSpeed;
import dev.wirespeed.emulator.pf.EmulatedPf;
import dev.wirespeed.emulator.pf.PfConfig;
import dev.wirespeed.emulator.time.ManualDeviceClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.wirespeed.emulator.Facts.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** BAR0 registers other than interrupts and mailbox, driven through the Bar (facts §1, §8). */
class RegisterFileTest {
    private EmulatedPf pf;

    private Bar open(PfConfig config) {
        pf = new EmulatedPf(config.clock(new ManualDeviceClock()));
        return pf.vf(0).bar(0);
    }

    private Bar open() {
        return open(new PfConfig());
    }

    @AfterEach
    void tearDown() {
        if (pf != null) {
            pf.close();
        }
    }

    @Test
    void identityAndBarWindow() {
        Bar bar = open();
        EmulatedVf vf = pf.vf(0);
        assertThat(vf.vendorId()).isEqualTo(0x8086);
        assertThat(vf.deviceId()).isEqualTo(0x10ED);
        assertThat(vf.backend()).isEqualTo("emulator");
        assertThat(bar.size()).isEqualTo(16 * 1024); // facts §1: 16 KiB
        assertThatThrownBy(() -> vf.bar(3)).hasMessageContaining("MSI-X table");
        assertThatThrownBy(() -> vf.bar(1)).hasMessageContaining("BAR0");
    }

    @Test
    void deviceIdFollowsTheFlavour() {
        // facts §10
        int[] ids = {0x10ED, 0x1515, 0x1565, 0x15A8, 0x15C5};
        Flavour[] fl = {Flavour.X82599, Flavour.X540, Flavour.X550, Flavour.X550EM_X, Flavour.X550EM_A};
        for (int i = 0; i < ids.length; i++) {
            try (EmulatedPf p = new EmulatedPf(new PfConfig().flavour(fl[i]))) {
                assertThat(p.vf(0).deviceId()).isEqualTo(ids[i]);
            }
        }
    }

    @Test
    void misalignedOrOutOfWindowAccessesAreRejectedWithTheReason() {
        Bar bar = open();
        assertThatThrownBy(() -> bar.read32(0x102)).hasMessageContaining("0x102").hasMessageContaining("not 4-byte aligned");
        assertThatThrownBy(() -> bar.write32(0x4000, 1)).hasMessageContaining("outside the 16384-byte BAR");
        assertThatThrownBy(() -> bar.read32(-4)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unknownOffsetsReadZeroIgnoreWritesAndAreCounted() {
        Bar bar = open();
        bar.write32(0x0600, 0x1234);
        assertThat(bar.read32(0x0600)).isZero();
        IgnoredAccessLog log = pf.vf(0).registers().ignoredAccesses();
        assertThat(log.writes()).containsEntry(0x600, 1L);
        assertThat(log.reads()).containsEntry(0x600, 1L);
        assertThat(log.total()).isEqualTo(2);
    }

    @Test
    void linksReportsLinkUpAndTenGigOnThe82599() {
        // facts §1.1: bit 30 up, bits 29:28 = 11 for 10G
        Bar bar = open();
        assertThat(bar.read32(VFLINKS)).isEqualTo(LINKS_UP | 0x30000000);
        pf.setLink(false);
        assertThat(bar.read32(VFLINKS) & LINKS_UP).isZero();
        pf.setLink(true, LinkSpeed.G1);
        assertThat(bar.read32(VFLINKS)).isEqualTo(LINKS_UP | 0x20000000);
        pf.setLink(true, LinkSpeed.M100);
        assertThat(bar.read32(VFLINKS)).isEqualTo(LINKS_UP | 0x10000000);
    }

    @Test
    void linksEncodesTheNonStandardSpeedsOfTheX550Family() {
        // facts §1.1: NON_STD bit 27 turns 10G into 2.5G and (X550) 100M into 5G; 00 = 10M on X550EM_a
        Bar x550 = open(new PfConfig().flavour(Flavour.X550));
        pf.setLink(true, LinkSpeed.G2_5);
        assertThat(x550.read32(VFLINKS)).isEqualTo(LINKS_UP | LINKS_NON_STD | 0x30000000);
        pf.setLink(true, LinkSpeed.G5);
        assertThat(x550.read32(VFLINKS)).isEqualTo(LINKS_UP | LINKS_NON_STD | 0x10000000);
        pf.close();
        Bar emA = open(new PfConfig().flavour(Flavour.X550EM_A));
        pf.setLink(true, LinkSpeed.M10);
        assertThat(emA.read32(VFLINKS)).isEqualTo(LINKS_UP);
        assertThatThrownBy(() -> pf.setLink(true, LinkSpeed.G5)).hasMessageContaining("not possible on a x550em_a");
        assertThatThrownBy(() -> new PfConfig().link(true, LinkSpeed.G2_5)).hasMessageContaining("82599");
    }

    @Test
    void linksAndStatusAreReadOnly() {
        Bar bar = open();
        int before = bar.read32(VFLINKS);
        bar.write32(VFLINKS, 0);
        bar.write32(VFSTATUS, 0xFFFFFFFF);
        assertThat(bar.read32(VFLINKS)).isEqualTo(before);
        assertThat(bar.read32(VFSTATUS)).isNotEqualTo(0xFFFFFFFF); // facts §1: all-ones means the device is gone
        assertThat(pf.vf(0).registers().ignoredAccesses().writes()).containsKeys(VFLINKS, VFSTATUS);
    }

    @Test
    void ctrlResetBitSelfClears() {
        Bar bar = open();
        bar.write32(VFCTRL, VFCTRL_RST);
        assertThat(bar.read32(VFCTRL)).isZero();
    }

    @Test
    void psrtypeIsReadWrite() {
        // facts §1.1: header bits 4, 5, 8, 9, 12 and RQPL bits 31:29
        Bar bar = open();
        int v = (1 << 4) | (1 << 5) | (1 << 8) | (1 << 9) | (1 << 12) | (1 << 29);
        bar.write32(VFPSRTYPE, v);
        assertThat(bar.read32(VFPSRTYPE)).isEqualTo(v);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 5, 7})
    void everyQueueBlockHoldsItsOwnRingRegistersAtStride0x40(int q) {
        // facts §1.2: rx block 0x1000 + 0x40q, tx block 0x2000 + 0x40q
        Bar bar = open();
        int[] rxRegs = {VFRDBAL, VFRDBAH, VFRDLEN, VFRDH, VFRDT, VFSRRCTL};
        int[] txRegs = {VFTDBAL, VFTDBAH, VFTDLEN, VFTDH, VFTDT, VFTDWBAL, VFTDWBAH};
        for (int r : rxRegs) {
            bar.write32(rx(r, q), 0x100 * q + r - 0x1000 + 0x80);
        }
        for (int r : txRegs) {
            bar.write32(tx(r, q), 0x100 * q + r - 0x2000 + 0x80);
        }
        for (int r : rxRegs) {
            assertThat(bar.read32(rx(r, q))).as("rx 0x%x", rx(r, q)).isEqualTo(0x100 * q + r - 0x1000 + 0x80);
            int other = (q + 1) % 8;
            assertThat(bar.read32(rx(r, other))).as("queue %d untouched", other).isNotEqualTo(0x100 * q + r - 0x1000 + 0x80);
        }
        for (int r : txRegs) {
            assertThat(bar.read32(tx(r, q))).as("tx 0x%x", tx(r, q)).isEqualTo(0x100 * q + r - 0x2000 + 0x80);
        }
        QueueRegisters model = pf.vf(0).registers().queue(q);
        assertThat(model.rxTail()).isEqualTo(bar.read32(rx(VFRDT, q)));
        assertThat(model.txTail()).isEqualTo(bar.read32(tx(VFTDT, q)));
    }

    @Test
    void dcaRxctrlBit12ComesUpSetAndClearsWhenWritten() {
        // facts §8.7: reserved bit 12 resets to 1 and must be written 0; facts §4.4: DESC_RRO write clears it
        Bar bar = open();
        for (int q = 0; q < 8; q++) {
            assertThat(bar.read32(rx(VFDCA_RXCTRL, q)) & (1 << 12)).isNotZero();
        }
        bar.write32(rx(VFDCA_RXCTRL, 2), 1 << 9);
        assertThat(bar.read32(rx(VFDCA_RXCTRL, 2))).isEqualTo(1 << 9);
    }

    @Test
    void dcaTxctrlComesUpWithDescriptorWriteBackRelaxedOrderingWhichDriversClear() {
        // facts §1.2, §8.13: bit 11 DESC_WRO must be cleared
        Bar bar = open();
        assertThat(bar.read32(tx(VFDCA_TXCTRL, 0)) & (1 << 11)).isNotZero();
        bar.write32(tx(VFDCA_TXCTRL, 0), (1 << 9) | (1 << 13));
        assertThat(bar.read32(tx(VFDCA_TXCTRL, 0))).isEqualTo((1 << 9) | (1 << 13));
    }

    private static void programRxRing(Bar bar, int q) {
        bar.write32(rx(VFRDBAL, q), 0x1000);
        bar.write32(rx(VFRDBAH, q), 0x1);
        bar.write32(rx(VFRDLEN, q), 512 * 16);
        bar.write32(rx(VFSRRCTL, q), SRRCTL_DROP_EN | (4 << 8) | 2 | SRRCTL_DESCTYPE_ADV_ONEBUF);
    }

    @Test
    void rxdctlEnableReadsTheQueueActualState() {
        // facts §1.2: reading ENABLE returns the actual queue state; facts §4.4 step 7 polls it
        Bar bar = open();
        bar.write32(rx(VFRXDCTL, 0), DCTL_ENABLE | RXDCTL_VME);
        assertThat(bar.read32(rx(VFRXDCTL, 0)) & DCTL_ENABLE).as("ring not programmed").isZero();
        assertThat(bar.read32(rx(VFRXDCTL, 0)) & RXDCTL_VME).isNotZero();
        assertThat(pf.vf(0).registers().queue(0).rxRefusal()).contains("ring length 0");
        programRxRing(bar, 0);
        bar.write32(rx(VFRXDCTL, 0), DCTL_ENABLE | RXDCTL_VME);
        assertThat(bar.read32(rx(VFRXDCTL, 0))).isEqualTo(DCTL_ENABLE | RXDCTL_VME);
        assertThat(pf.vf(0).registers().queue(0).rxRingBase()).isEqualTo(0x1_0000_1000L);
        bar.write32(rx(VFRXDCTL, 0), RXDCTL_VME);
        assertThat(bar.read32(rx(VFRXDCTL, 0)) & DCTL_ENABLE).isZero();
    }

    @Test
    void rxEnableIsRefusedForRingsTheChipCannotRun() {
        // facts §4.2: length a multiple of 128 bytes; facts §1.2 SRRCTL: advanced one-buffer, 1..16 KB
        Bar bar = open();
        programRxRing(bar, 1);
        bar.write32(rx(VFRDLEN, 1), 100);
        bar.write32(rx(VFRXDCTL, 1), DCTL_ENABLE);
        assertThat(bar.read32(rx(VFRXDCTL, 1)) & DCTL_ENABLE).isZero();
        assertThat(pf.vf(0).registers().queue(1).rxRefusal()).contains("multiple of 128");
        programRxRing(bar, 1);
        bar.write32(rx(VFSRRCTL, 1), 2 | 2 << 25); // header split: the chip runs it, the model does not (a gap it names)
        bar.write32(rx(VFRXDCTL, 1), DCTL_ENABLE);
        assertThat(bar.read32(rx(VFRXDCTL, 1)) & DCTL_ENABLE).isZero();
        assertThat(pf.vf(0).registers().queue(1).rxRefusal()).contains("DESCTYPE").contains("header split");
        bar.write32(rx(VFSRRCTL, 1), SRRCTL_DESCTYPE_ADV_ONEBUF);
        bar.write32(rx(VFRXDCTL, 1), DCTL_ENABLE);
        assertThat(pf.vf(0).registers().queue(1).rxRefusal()).contains("BSIZEPACKET");
    }

    @Test
    void txdctlEnableReadsActualStateAndSwflshSelfClears() {
        // facts §1.2 TXDCTL; facts §4.5: TXDCTL = SWFLSH disables the queue
        Bar bar = open();
        bar.write32(tx(VFTDBAL, 3), 0x2000);
        bar.write32(tx(VFTDLEN, 3), 1024 * 16);
        int thresholds = 32 | (1 << 8) | (8 << 16);
        bar.write32(tx(VFTXDCTL, 3), DCTL_ENABLE | thresholds);
        assertThat(bar.read32(tx(VFTXDCTL, 3))).isEqualTo(DCTL_ENABLE | thresholds);
        bar.write32(tx(VFTXDCTL, 3), TXDCTL_SWFLSH);
        assertThat(bar.read32(tx(VFTXDCTL, 3))).isZero();
        bar.write32(tx(VFTDLEN, 3), 0);
        bar.write32(tx(VFTXDCTL, 3), DCTL_ENABLE);
        assertThat(bar.read32(tx(VFTXDCTL, 3)) & DCTL_ENABLE).isZero();
    }

    @Test
    void aFaultStopsAQueueAndEnableReadsZero() {
        Bar bar = open();
        programRxRing(bar, 0);
        bar.write32(rx(VFRXDCTL, 0), DCTL_ENABLE);
        pf.vf(0).registers().queue(0).stopRx("DMA fault at 0x5");
        assertThat(bar.read32(rx(VFRXDCTL, 0)) & DCTL_ENABLE).isZero();
    }

    @Test
    void vfResetKeepsTheRegistersTheSpecificationUpdateListsAndClearsRingGeometry() {
        // facts §8.8: RDH/T, TDH/T, PSRTYPE, SRRCTL, RXDCTL, TXDCTL, TDWBAL/H, DCA_RX/TXCTRL survive a VF reset
        Bar bar = open();
        programRxRing(bar, 0);
        bar.write32(rx(VFRDH, 0), 5);
        bar.write32(rx(VFRDT, 0), 9);
        bar.write32(rx(VFDCA_RXCTRL, 0), 1 << 9);
        bar.write32(rx(VFRXDCTL, 0), DCTL_ENABLE | RXDCTL_VME);
        bar.write32(tx(VFTDH, 0), 3);
        bar.write32(tx(VFTDT, 0), 7);
        bar.write32(tx(VFTXDCTL, 0), 8 << 16);
        bar.write32(tx(VFTDWBAL, 0), 0x3001);
        bar.write32(tx(VFTDWBAH, 0), 0x2);
        bar.write32(tx(VFDCA_TXCTRL, 0), 1 << 9);
        bar.write32(tx(VFTDBAL, 0), 0x8000);
        bar.write32(tx(VFTDLEN, 0), 4096);
        bar.write32(VFPSRTYPE, 1 << 29);
        int srrctl = bar.read32(rx(VFSRRCTL, 0));

        bar.write32(VFCTRL, VFCTRL_RST);

        assertThat(bar.read32(rx(VFRDH, 0))).isEqualTo(5);
        assertThat(bar.read32(rx(VFRDT, 0))).isEqualTo(9);
        assertThat(bar.read32(rx(VFDCA_RXCTRL, 0))).isEqualTo(1 << 9);
        assertThat(bar.read32(rx(VFSRRCTL, 0))).isEqualTo(srrctl);
        assertThat(bar.read32(rx(VFRXDCTL, 0)) & RXDCTL_VME).isNotZero();
        assertThat(bar.read32(tx(VFTDH, 0))).isEqualTo(3);
        assertThat(bar.read32(tx(VFTDT, 0))).isEqualTo(7);
        assertThat(bar.read32(tx(VFTXDCTL, 0))).isEqualTo(8 << 16);
        assertThat(bar.read32(tx(VFTDWBAL, 0))).isEqualTo(0x3001);
        assertThat(bar.read32(tx(VFTDWBAH, 0))).isEqualTo(0x2);
        assertThat(bar.read32(tx(VFDCA_TXCTRL, 0))).isEqualTo(1 << 9);
        assertThat(bar.read32(VFPSRTYPE)).isEqualTo(1 << 29);
        // ring geometry is not in the list: it resets, so the queue can no longer run
        assertThat(bar.read32(rx(VFRDBAL, 0))).isZero();
        assertThat(bar.read32(rx(VFRDBAH, 0))).isZero();
        assertThat(bar.read32(rx(VFRDLEN, 0))).isZero();
        assertThat(bar.read32(tx(VFTDBAL, 0))).isZero();
        assertThat(bar.read32(tx(VFTDLEN, 0))).isZero();
        assertThat(bar.read32(rx(VFRXDCTL, 0)) & DCTL_ENABLE).isZero();
    }

    @Test
    void x550FamilyHasVfRssRegistersThe82599DoesNot() {
        // facts §1.1: VFMRQC, VFRSSRK, VFRETA are X550+ only
        Bar x550 = open(new PfConfig().flavour(Flavour.X550));
        x550.write32(VFMRQC, 1 | (1 << 16));
        x550.write32(VFRSSRK0 + 36, 0xCAFEBABE);
        x550.write32(VFRETA0 + 60, 0x01000100);
        assertThat(x550.read32(VFMRQC)).isEqualTo(1 | (1 << 16));
        assertThat(x550.read32(VFRSSRK0 + 36)).isEqualTo(0xCAFEBABE);
        assertThat(x550.read32(VFRETA0 + 60)).isEqualTo(0x01000100);
        pf.close();
        Bar b82599 = open();
        b82599.write32(VFMRQC, 1);
        assertThat(b82599.read32(VFMRQC)).isZero();
        assertThat(pf.vf(0).registers().ignoredAccesses().writes()).containsKey(VFMRQC);
    }

    @Test
    void aRemovedDeviceReadsAllOnesAndIgnoresWrites() {
        // facts §1: VFSTATUS reading 0xFFFFFFFF means the device is gone
        Bar bar = open();
        bar.write32(VFPSRTYPE, 0x10);
        pf.vf(0).registers().setRemoved(true);
        assertThat(bar.read32(VFSTATUS)).isEqualTo(0xFFFFFFFF);
        assertThat(bar.read32(VFPSRTYPE)).isEqualTo(0xFFFFFFFF);
        bar.write32(VFPSRTYPE, 0x20);
        pf.vf(0).registers().setRemoved(false);
        assertThat(bar.read32(VFPSRTYPE)).isEqualTo(0x10);
    }
}
