/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

import dev.wirespeed.core.device.Bar;
import dev.wirespeed.core.device.InterruptVectors;
import dev.wirespeed.core.device.PciFunction;
import dev.wirespeed.core.dma.DmaDomain;
import dev.wirespeed.core.pci.PciAddress;
import dev.wirespeed.core.port.pci.PciDriver;
import dev.wirespeed.emulator.pf.PfConfig;
import org.junit.jupiter.api.Test;

import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad configurations fail before touching the device, with what is allowed (issue 4). */
class ConfigurationTest {

    @Test
    void ringSizesOutside64To4096InStepsOf8AreRefused() {
        try (EmulatorRig rig = new EmulatorRig(new PfConfig())) {
            assertThatThrownBy(() -> rig.open(b -> b.rxRingSize(100)))
                    .hasMessageContaining("rx ring size 100 is invalid").hasMessageContaining("64..4096 descriptors in steps of 8");
            assertThatThrownBy(() -> rig.open(b -> b.txRingSize(8192))).hasMessageContaining("tx ring size 8192");
            assertThatThrownBy(() -> rig.open(b -> b.txRingSize(32))).hasMessageContaining("tx ring size 32");
        }
    }

    @Test
    void queueCountsBeyondTheVfOrThePfAreRefused() {
        try (EmulatorRig rig = new EmulatorRig(new PfConfig())) {
            assertThatThrownBy(() -> rig.open(b -> b.rxQueues(9).txQueues(1)))
                    .hasMessageContaining("9 rx queues requested").hasMessageContaining("at most 8");
            assertThatThrownBy(() -> rig.open(b -> b.rxQueues(8)))
                    .hasMessageContaining("8 rx queues requested, but the PF gives this VF at most 4");
            assertThatThrownBy(() -> rig.open(b -> b.rxQueues(3))).hasMessageContaining("power of two");
            IxgbeVfPort port = rig.open(b -> b.rxQueues(4).txQueues(4));
            assertThat(port.rxQueueCount()).as("after refusals the VF still comes up").isEqualTo(4);
        }
    }

    @Test
    void anMtuAbove9710IsRefused() {
        try (EmulatorRig rig = new EmulatorRig(new PfConfig())) {
            assertThatThrownBy(() -> rig.open(b -> b.mtu(20_000))).hasMessageContaining("MTU 20000 is too large")
                    .hasMessageContaining("at most 9710");
        }
    }

    @Test
    void aJumboMtuOnAn82599WithAStandardPfIsRefusedByThePfWithAnExplanation() {
        try (EmulatorRig rig = new EmulatorRig(new PfConfig())) {
            assertThatThrownBy(() -> rig.open(b -> b.mtu(9000))).isInstanceOf(IxgbeVfException.class)
                    .hasMessageContaining("refused a max frame of 9018").hasMessageContaining("PF's MTU");
        }
    }

    @Test
    void aPortWithoutAPoolIsRefused() {
        try (EmulatorRig rig = new EmulatorRig(new PfConfig())) {
            assertThatThrownBy(() -> rig.open(b -> b.rxPool(null))).hasMessageContaining("no rx pool");
        }
    }

    @Test
    void anUnknownDeviceIdIsRefusedAndTheDriverIsFoundByServiceLoader() {
        try (EmulatorRig rig = new EmulatorRig(new PfConfig())) {
            PciFunction pf82599 = new Renamed(rig.vf, 0x10FB); // the 82599 PF, not its VF
            assertThatThrownBy(() -> IxgbeVfPort.open(pf82599, 0, rig.config().build()))
                    .hasMessageContaining("8086:10fb is not an 82599-family VF");
            PciDriver driver = ServiceLoader.load(PciDriver.class).stream().map(ServiceLoader.Provider::get)
                    .filter(d -> d.name().equals("ixgbe-vf")).findFirst().orElseThrow();
            assertThat(driver.supports(0x8086, 0x10ED)).isTrue();
            assertThat(driver.supports(0x8086, 0x15C5)).isTrue();
            assertThat(driver.supports(0x8086, 0x10FB)).isFalse();
            assertThat(driver.supports(0x15B3, 0x10ED)).isFalse();
        }
    }

    /** A function that claims another device id. */
    private record Renamed(PciFunction f, int deviceId) implements PciFunction {
        public PciAddress address() {
            return f.address();
        }

        public int vendorId() {
            return f.vendorId();
        }

        public Bar bar(int index) {
            return f.bar(index);
        }

        public DmaDomain dma() {
            return f.dma();
        }

        public InterruptVectors interrupts() {
            return f.interrupts();
        }

        public String backend() {
            return f.backend();
        }

        public void close() {
        }
    }
}
