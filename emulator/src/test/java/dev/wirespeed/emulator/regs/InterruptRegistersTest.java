/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.regs;

import dev.wirespeed.core.device.Bar;
import dev.wirespeed.core.device.InterruptMode;
import dev.wirespeed.core.os.EventFd;
import dev.wirespeed.emulator.EmulatedVf;
import dev.wirespeed.emulator.pf.EmulatedPf;
import dev.wirespeed.emulator.pf.PfConfig;
import dev.wirespeed.emulator.time.ManualDeviceClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.wirespeed.emulator.Facts.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Interrupt registers driven through BAR0, delivered to real eventfds (facts §1.1, §5). */
class InterruptRegistersTest {
    private final ManualDeviceClock clock = new ManualDeviceClock();
    private EmulatedPf pf;
    private EmulatedVf vf;
    private Bar bar;
    private final EventFd[] fds = new EventFd[3];

    @BeforeEach
    void setUp() {
        pf = new EmulatedPf(new PfConfig().clock(clock));
        vf = pf.vf(0);
        bar = vf.bar(0);
        for (int v = 0; v < 3; v++) {
            fds[v] = EventFd.create();
            vf.interrupts().bind(v, fds[v]);
        }
    }

    @AfterEach
    void tearDown() {
        pf.close();
        for (EventFd fd : fds) {
            fd.close();
        }
    }

    @Test
    void theVfHasThreeMsixVectors() {
        // facts §5.1: vectors 0..2, MSI-X only
        assertThat(vf.interrupts().count()).isEqualTo(3);
        assertThat(vf.interrupts().mode()).isEqualTo(InterruptMode.MSIX);
        assertThatThrownBy(() -> vf.interrupts().bind(3, fds[0])).hasMessageContaining("vectors 0..2");
    }

    @Test
    void eicsRaisesCausesThatEicsReadsWithoutClearingAndEicrReadClears() {
        // facts §1.1: VTEICS write 1 raises; VTEICS read does not clear; VTEICR read clears
        bar.write32(VTEICS, 0b101);
        assertThat(bar.read32(VTEICS)).isEqualTo(0b101);
        assertThat(bar.read32(VTEICS)).isEqualTo(0b101);
        assertThat(bar.read32(VTEICR)).isEqualTo(0b101);
        assertThat(bar.read32(VTEICR)).isZero();
        assertThat(bar.read32(VTEICS)).isZero();
    }

    @Test
    void eicsIgnoresBitsOfVectorsThatDoNotExist() {
        bar.write32(VTEICS, 0xFFFFFFF8);
        assertThat(bar.read32(VTEICR)).isZero();
    }

    @Test
    void writingOneToEicrClearsThatCause() {
        // facts §5.3 (SU erratum 1 workaround): a cause can be cleared by writing 1 to VTEICR
        bar.write32(VTEICS, 0b111);
        bar.write32(VTEICR, 0b010);
        assertThat(bar.read32(VTEICS)).isEqualTo(0b101);
    }

    @Test
    void eimsWriteOneEnablesWriteZeroDoesNothingEimcMasks() {
        // facts §1.1: VTEIMS 1 sets, 0 has no effect; VTEIMC 1 clears
        bar.write32(VTEIMS, 0b011);
        assertThat(bar.read32(VTEIMS)).isEqualTo(0b011);
        bar.write32(VTEIMS, 0b100);
        assertThat(bar.read32(VTEIMS)).isEqualTo(0b111);
        bar.write32(VTEIMS, 0);
        assertThat(bar.read32(VTEIMS)).isEqualTo(0b111);
        bar.write32(VTEIMC, 0b001);
        assertThat(bar.read32(VTEIMS)).isEqualTo(0b110);
        bar.write32(VTEIMC, 7); // Linux's IXGBE_VF_IRQ_CLEAR_MASK
        assertThat(bar.read32(VTEIMS)).isZero();
    }

    @Test
    void anEnabledCauseFiresItsEventfdAndIsAutoCleared() {
        // facts §5.3: causes are auto-cleared when the MSI-X message is sent
        bar.write32(VTEIMS, 0b010);
        bar.write32(VTEICS, 0b010);
        assertThat(fds[1].drain()).isEqualTo(1);
        assertThat(fds[0].drain()).isZero();
        assertThat(fds[2].drain()).isZero();
        assertThat(bar.read32(VTEICR)).isZero();
    }

    @Test
    void aMaskedCauseDoesNotFireButStaysLatchedAndFiresWhenUnmasked() {
        // facts §5.3/§5.4: the cause latches; Linux NAPI relies on it firing on unmask
        bar.write32(VTEICS, 0b001);
        assertThat(fds[0].drain()).isZero();
        assertThat(bar.read32(VTEICS)).isEqualTo(0b001);
        bar.write32(VTEIMS, 0b001);
        assertThat(fds[0].drain()).isEqualTo(1);
        assertThat(bar.read32(VTEICS)).isZero();
    }

    @Test
    void autoMaskClearsTheEnableAsTheVectorFiresUntilSoftwareRearms() {
        // facts §1.1, §5.3: with VTEIAM set, EIMS[v] clears when v fires
        bar.write32(VTEIAM, 0b100);
        bar.write32(VTEIMS, 0b100);
        bar.write32(VTEICS, 0b100);
        assertThat(fds[2].drain()).isEqualTo(1);
        assertThat(bar.read32(VTEIMS)).isZero();
        bar.write32(VTEICS, 0b100);
        assertThat(fds[2].drain()).as("auto-masked").isZero();
        bar.write32(VTEIMS, 0b100); // re-arm, as NAPI does after polling
        assertThat(fds[2].drain()).isEqualTo(1);
        assertThat(bar.read32(VTEIAM)).isEqualTo(0b100);
    }

    @Test
    void withoutAutoMaskTheVectorStaysEnabledAndFiresForEveryNewCause() {
        bar.write32(VTEIMS, 0b001);
        bar.write32(VTEICS, 0b001);
        bar.write32(VTEICS, 0b001);
        assertThat(fds[0].drain()).isEqualTo(2);
        assertThat(bar.read32(VTEIMS)).isEqualTo(0b001);
    }

    @Test
    void eiacIsStoredButCausesAreAutoClearedRegardless() {
        // facts §1.1: VTEIAC not supported, causes always auto-cleared; drivers still write it
        bar.write32(VTEIAC, 0b111);
        assertThat(bar.read32(VTEIAC)).isEqualTo(0b111);
        bar.write32(VTEIAC, 0);
        bar.write32(VTEIMS, 0b001);
        bar.write32(VTEICS, 0b001);
        assertThat(fds[0].drain()).isEqualTo(1);
        assertThat(bar.read32(VTEICR)).isZero();
    }

    @Test
    void eitrThrottlesAVectorForItsIntervalIn2048NanosecondUnits() {
        // facts §5.2: interval bits 11:3, unit 2.048 µs; 0x028 ≈ 10 µs (5 units = 10240 ns)
        bar.write32(VTEITR0, 0x028 | EITR_CNT_WDIS);
        assertThat(bar.read32(VTEITR0)).isEqualTo(0x028);
        bar.write32(VTEIMS, 0b001);
        bar.write32(VTEICS, 0b001);
        assertThat(fds[0].drain()).isEqualTo(1);
        bar.write32(VTEICS, 0b001);
        assertThat(fds[0].drain()).as("inside the throttle window").isZero();
        clock.advance(10_239);
        assertThat(fds[0].drain()).isZero();
        clock.advance(1);
        assertThat(fds[0].drain()).as("window over at 10240 ns").isEqualTo(1);
        assertThat(bar.read32(VTEICS)).isZero();
    }

    @Test
    void aThrottledCauseWaitsForUnmaskIfTheVectorWasMaskedMeanwhile() {
        bar.write32(VTEITR0, 0x028 | EITR_CNT_WDIS);
        bar.write32(VTEIMS, 0b001);
        bar.write32(VTEICS, 0b001);
        fds[0].drain();
        bar.write32(VTEICS, 0b001);
        bar.write32(VTEIMC, 0b001);
        clock.advance(20_000);
        assertThat(fds[0].drain()).isZero();
        bar.write32(VTEIMS, 0b001);
        assertThat(fds[0].drain()).isEqualTo(1);
    }

    @Test
    void eitrWriteWithoutCntWdisRestartsTheCounterSoALatchedCauseFiresAtOnce() {
        // facts §5.2: without CNT_WDIS a write can trigger an interrupt immediately
        bar.write32(VTEITR0, 0xFF8 | EITR_CNT_WDIS); // ~1 ms
        bar.write32(VTEIMS, 0b001);
        bar.write32(VTEICS, 0b001);
        fds[0].drain();
        bar.write32(VTEICS, 0b001);
        bar.write32(VTEITR0, 0xFF8 | EITR_CNT_WDIS);
        assertThat(fds[0].drain()).as("CNT_WDIS keeps the counter").isZero();
        bar.write32(VTEITR0, 0xFF8);
        assertThat(fds[0].drain()).isEqualTo(1);
    }

    @Test
    void aCauseThrottledAfterTheIntervalWasShortenedFiresWhenTheShortIntervalEnds() {
        bar.write32(VTEITR0, 0xFF8 | EITR_CNT_WDIS); // ~1 ms
        bar.write32(VTEIMS, 0b001);
        bar.write32(VTEICS, 0b001);
        fds[0].drain();
        bar.write32(VTEICS, 0b001); // throttled: due in ~1 ms
        bar.write32(VTEITR0, 0x028); // ≈ 10 µs, counter restarted: the latched cause fires now
        assertThat(fds[0].drain()).isEqualTo(1);
        bar.write32(VTEICS, 0b001); // throttled by the new, short interval
        clock.advance(10_240);
        assertThat(fds[0].drain()).as("when the 10 µs window ends, not the old 1 ms one").isEqualTo(1);
    }

    @Test
    void eitrReadsBackOnlyTheIntervalField() {
        bar.write32(VTEITR0 + 8, 0xFFFFFFFF);
        assertThat(bar.read32(VTEITR0 + 8)).isEqualTo(0xFF8);
    }

    @Test
    void ivarRoutesQueueCausesToVectorsOnlyWithTheValidBit() {
        // facts §5.1: IVAR(n) bytes = rx 2n, tx 2n, rx 2n+1, tx 2n+1; bit 7 valid
        bar.write32(VTEIMS, 0b011);
        bar.write32(VTIVAR0 + 4, 0x81_00_80_01); // IVAR(1): rx2 = 0x01, tx2 = 0x80, rx3 = 0x00, tx3 = 0x81
        assertThat(bar.read32(VTIVAR0 + 4)).isEqualTo(0x81_00_80_01);
        InterruptUnit unit = vf.registers().interrupts();
        unit.raiseRxQueue(2); // byte 0 = 0x01: no valid bit
        assertThat(fds[0].drain() + fds[1].drain()).isZero();
        assertThat(unit.unroutedCauses()).isEqualTo(1);
        unit.raiseTxQueue(2); // byte 1 = 0x80: vector 0
        assertThat(fds[0].drain()).isEqualTo(1);
        unit.raiseRxQueue(3); // byte 2 = 0x00: not valid
        assertThat(fds[0].drain() + fds[1].drain()).isZero();
        unit.raiseTxQueue(3); // byte 3 = 0x81: vector 1
        assertThat(fds[1].drain()).isEqualTo(1);
    }

    @Test
    void ivarMiscRoutesTheMailboxCause() {
        // facts §5.1: VTIVAR_MISC bits 7:0 = vector | 0x80; the mailbox cause goes there
        bar.write32(VTIVAR_MISC, 0x82);
        assertThat(bar.read32(VTIVAR_MISC)).isEqualTo(0x82);
        bar.write32(VTEIMS, 0b100);
        pf.ping(0);
        assertThat(fds[2].drain()).isEqualTo(1);
        bar.write32(VTIVAR_MISC, 0x02); // not valid
        bar.write32(VFMAILBOX, 0); // (nothing pending)
        bar.read32(VFMAILBOX);
        pf.ping(0);
        assertThat(fds[2].drain()).isZero();
    }

    @Test
    void unbindingStopsDeliveryAndRebindingReplacesTheEventfd() {
        bar.write32(VTEIMS, 0b001);
        vf.interrupts().unbind(0);
        bar.write32(VTEICS, 0b001);
        assertThat(fds[0].drain()).isZero();
        try (EventFd other = EventFd.create()) {
            vf.interrupts().bind(0, other);
            bar.write32(VTEICS, 0b001);
            assertThat(other.drain()).isEqualTo(1);
            assertThat(fds[0].drain()).isZero();
        }
    }

    @Test
    void vfResetClearsEveryInterruptRegister() {
        // facts §3.4 step 1-3: drivers reprogram interrupts after VFCTRL.RST; nothing stays armed
        bar.write32(VTEIAM, 7);
        bar.write32(VTEIAC, 7);
        bar.write32(VTEITR0, 0x200);
        bar.write32(VTIVAR0, 0x81818181);
        bar.write32(VTIVAR_MISC, 0x82);
        bar.write32(VTEICS, 7);
        bar.write32(VFCTRL, VFCTRL_RST);
        for (int reg : new int[]{VTEIMS, VTEIAM, VTEIAC, VTEITR0, VTIVAR0, VTIVAR_MISC, VTEICR}) {
            assertThat(bar.read32(reg)).as("0x%x after reset", reg).isZero();
        }
    }
}
