/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.port;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeviceSpecTest {
    @Test
    void parsesSchemePositionalAndOptions() {
        DeviceSpec s = DeviceSpec.parse("emu:wire=pair:A,mac=02:00:00:00:00:01,trust=on");
        assertThat(s.scheme()).isEqualTo("emu");
        assertThat(s.positional()).isNull();
        assertThat(s.options()).containsExactly(
                org.assertj.core.api.Assertions.entry("wire", "pair:A"),
                org.assertj.core.api.Assertions.entry("mac", "02:00:00:00:00:01"),
                org.assertj.core.api.Assertions.entry("trust", "on"));
        assertThat(s.flag("trust", false)).isTrue();

        DeviceSpec pci = DeviceSpec.parse("pci:0000:03:10.0");
        assertThat(pci.scheme()).isEqualTo("pci");
        assertThat(pci.positional()).isEqualTo("0000:03:10.0");

        DeviceSpec ring = DeviceSpec.parse("ring:link0");
        assertThat(ring.positional()).isEqualTo("link0");
        assertThat(DeviceSpec.parse("null:").options()).isEmpty();
    }

    @Test
    void errorsNameTheOffendingPart() {
        assertThatThrownBy(() -> DeviceSpec.parse("nothing")).hasMessageContaining("has no scheme");
        assertThatThrownBy(() -> DeviceSpec.parse("null:size=1,size=2")).hasMessageContaining("'size' given twice");
        assertThatThrownBy(() -> DeviceSpec.parse("null:size=64,fast")).hasMessageContaining("'fast' is not key=value");
        assertThatThrownBy(() -> DeviceSpec.parse("null:colour=red").requireOnly(Set.of("size", "copy")))
                .hasMessageContaining("unknown option 'colour'").hasMessageContaining("copy, size");
        assertThatThrownBy(() -> DeviceSpec.parse("null:size=big").integer("size", 64, 14, 2048))
                .hasMessageContaining("'size' must be a number");
        assertThatThrownBy(() -> DeviceSpec.parse("null:size=9").integer("size", 64, 14, 2048))
                .hasMessageContaining("'size' must be 14..2048");
        assertThatThrownBy(() -> DeviceSpec.parse("null:copy=maybe").flag("copy", false))
                .hasMessageContaining("'copy' must be on/off");
    }
}
