/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.samples.pktgen;

import dev.wirespeed.core.port.DeviceSpec;
import dev.wirespeed.emulator.port.EmuOptions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 16 point 16: pktgen's size and flow limits are the emulator generator's, at every edge. */
class FrameLimitsTest {
    private static boolean pktgenAccepts(int size, int flows) {
        try {
            FrameLimits.check(size, flows);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean emulatorAccepts(int size, int flows) {
        try {
            EmuOptions.parse(DeviceSpec.parse("emu:wire=gen,size=" + size + ",flows=" + flows));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Test
    void sizesAndFlowsAreAcceptedExactlyWhereTheEmulatorsGeneratorAcceptsThem() {
        int[] sizes = {0, 63, 64, 65, 1518, 1519, 2048, 9727, 9728, 9729, 16_384};
        int[] flows = {-1, 0, 1, 2, 65_000, 65_535, 65_536, 65_537};
        for (int size : sizes) {
            assertThat(pktgenAccepts(size, 1)).as("--size %d", size).isEqualTo(emulatorAccepts(size, 1));
        }
        for (int f : flows) {
            assertThat(pktgenAccepts(64, f)).as("--flows %d", f).isEqualTo(emulatorAccepts(64, f));
        }
        assertThat(pktgenAccepts(FrameLimits.MAX_SIZE, FrameLimits.MAX_FLOWS)).isTrue();
    }

    @Test
    void theMessageStatesTheRule() {
        assertThatThrownBy(() -> FrameLimits.check(9729, 1)).hasMessageContaining("--size must be 64..9728 bytes including the 4-byte CRC");
        assertThatThrownBy(() -> FrameLimits.check(64, 65_537)).hasMessageContaining("--flows must be 1..65536");
    }

    @Test
    void jumboFramesGetAnMtuAndBuffersThatHoldThemWhole() {
        assertThat(FrameLimits.mtu(64)).isEqualTo(1500);
        assertThat(FrameLimits.mtu(1518)).isEqualTo(1500);
        assertThat(FrameLimits.mtu(9728)).isEqualTo(9710);
        assertThat(FrameLimits.dataRoom(1518)).isEqualTo(2048);
        assertThat(FrameLimits.dataRoom(9728)).isEqualTo(10_240).isGreaterThanOrEqualTo(9724);
    }
}
