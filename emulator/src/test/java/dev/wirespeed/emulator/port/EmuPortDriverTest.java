/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.port;

import dev.wirespeed.core.device.PciFunction;
import dev.wirespeed.core.pci.PciAddress;
import dev.wirespeed.core.port.DeviceSpec;
import dev.wirespeed.core.port.Port;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.core.port.Ports;
import dev.wirespeed.emulator.EmulatedVf;
import dev.wirespeed.core.packet.MacAddress;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code emu:} ports through the same entry point as real devices. */
class EmuPortDriverTest {
    private static final PortConfig CONFIG = PortConfig.builder().build();

    @Test
    void emuIsARegisteredSchemeWithItsGrammarInTheUsage() {
        assertThat(Ports.drivers()).containsKey("emu");
        assertThat(Ports.drivers().get("emu").usage()).contains("wire=pair:NAME", "tap:IFNAME", "gen+sink", "flavour=", "fault=");
    }

    @Test
    void portsOpenHandsTheEmulatedVfToThePollModeDriverThatSupportsIt() {
        try (Port port = Ports.open("emu:wire=pair:drv1,mac=02:00:00:00:00:01,trust=on,flavour=x550", CONFIG)) {
            assertThat(port).isInstanceOf(EmulatedPort.class);
            EmulatedDevice device = ((EmulatedPort) port).device();
            assertThat(port.name()).isEqualTo("emu:wire=pair:drv1,mac=02:00:00:00:00:01,trust=on,flavour=x550 (emulated x550 VF "
                    + device.vf().address() + ")");
            PciFunction given = RecordingPciDriver.OPENED.getLast();
            assertThat(given).isSameAs(device.vf());
            assertThat(given.deviceId()).isEqualTo(0x1565);
            assertThat(given.backend()).isEqualTo("emulator");
            assertThat(device.pf().vfState(0).adminMac()).isEqualTo(MacAddress.parse("02:00:00:00:00:01"));
            assertThat(device.pf().vfState(0).trusted()).isTrue();
        }
        assertThatThrownBy(() -> RecordingPciDriver.OPENED.getLast().bar(0)).as("closing the port closed the VF").hasMessageContaining("closed");
    }

    @Test
    void everyEmulatedPortHasItsOwnClearlyEmulatedPciAddress() {
        try (Port a = Ports.open("emu:wire=pair:drv3", CONFIG); Port b = Ports.open("emu:wire=pair:drv3", CONFIG)) {
            PciAddress va = ((EmulatedPort) a).device().vf().address();
            PciAddress vb = ((EmulatedPort) b).device().vf().address();
            assertThat(va).isNotEqualTo(vb);
            assertThat(va.domain()).isEqualTo(EmulatedDevice.EMULATED_DOMAIN); // no real machine has PCI domain e000
            assertThat(va.toString()).matches("e000:[0-9a-f]{2}:10\\.0");
            assertThat(a.name()).endsWith("(emulated 82599 VF " + va + ")");
            assertThat(b.name()).endsWith("(emulated 82599 VF " + vb + ")");
        }
    }

    @Test
    void closingThePortStopsTheDeviceAndFreesThePairName() {
        Port a = Ports.open("emu:wire=pair:drv2", CONFIG);
        Port b = Ports.open("emu:wire=pair:drv2", CONFIG);
        assertThatThrownBy(() -> Ports.open("emu:wire=pair:drv2", CONFIG))
                .hasMessageContaining("wire=pair:drv2 already connects two ports");
        a.close();
        Port c = Ports.open("emu:wire=pair:drv2", CONFIG); // takes a's end again
        c.close();
        b.close();
        a.close(); // twice is harmless
    }

    @Test
    void withoutAPollModeDriverTheErrorSaysWhatToAdd() {
        EmuPortDriver driver = new EmuPortDriver(List::of);
        assertThatThrownBy(() -> driver.open(DeviceSpec.parse("emu:wire=loopback,flavour=x540"), 7, CONFIG))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no poll-mode driver for the emulated x540 VF (8086:1515)")
                .hasMessageContaining("add the pmd-ixgbe-vf module");
    }

    @Test
    void aFailingDriverLeavesNothingOpen() {
        RecordingPciDriver.failNextOpen = new IllegalStateException("driver init failed");
        assertThatThrownBy(() -> Ports.open("emu:wire=pair:drv3", CONFIG)).hasMessage("driver init failed");
        // the device was closed: both ends of the pair are free again
        try (Port a = Ports.open("emu:wire=pair:drv3", CONFIG); Port b = Ports.open("emu:wire=pair:drv3", CONFIG)) {
            assertThat(((EmulatedPort) a).device().wire().outbound()).isSameAs(((EmulatedPort) b).device().wire().inbound());
        }
    }

    @Test
    void badOptionsFailBeforeAnythingIsOpened() {
        int before = RecordingPciDriver.OPENED.size();
        assertThatThrownBy(() -> Ports.open("emu:wire=loopback,trust=perhaps", CONFIG)).hasMessageContaining("option 'trust'");
        assertThat(RecordingPciDriver.OPENED).hasSize(before);
        assertThat(EmulatedVf.class).isNotNull();
    }
}
