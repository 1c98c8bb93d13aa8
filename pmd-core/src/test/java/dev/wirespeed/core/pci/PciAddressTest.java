/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.pci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wirespeed.core.testing.Gen;
import dev.wirespeed.core.testing.SeededCases;
import org.junit.jupiter.api.Test;

class PciAddressTest {
    static PciAddress address(Gen g) {
        // Mostly 16-bit domains as on ordinary machines, sometimes the 0x10000+ domains of Intel VMD.
        int domain = g.chance(0.5) ? g.between(0, 0xFFFF) : g.between(0x10000, Integer.MAX_VALUE);
        return new PciAddress(domain, g.between(0, 0xFF), g.between(0, 0x1F), g.between(0, 7));
    }

    static PciAddress sixteenBitDomain(Gen g) {
        return new PciAddress(g.between(0, 0xFFFF), g.between(0, 0xFF), g.between(0, 0x1F), g.between(0, 7));
    }

    @Test
    void parseOfPrintIsTheSameAddress() {
        SeededCases.forAll(g -> {
            PciAddress a = address(g);
            assertThat(PciAddress.parse(a.toString())).isEqualTo(a);
        });
    }

    @Test
    void printOfParseIsTheSameText() {
        SeededCases.forAll(g -> {
            String text = address(g).toString();
            assertThat(PciAddress.parse(text).toString()).isEqualTo(text);
        });
    }

    @Test
    void printIsTheSysfsForm() {
        SeededCases.forAll(g -> {
            int domain = g.between(0, 0xFFFF);
            int bus = g.between(0, 0xFF);
            int device = g.between(0, 0x1F);
            int function = g.between(0, 7);
            String text = new PciAddress(domain, bus, device, function).toString();
            assertThat(text).matches("[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]");
            assertThat(PciAddress.parse(text.substring(5))).isEqualTo(new PciAddress(0, bus, device, function));
            assertThat(PciAddress.parse(text.toUpperCase())).isEqualTo(new PciAddress(domain, bus, device, function));
        });
    }

    @Test
    void orderIsTheOrderOfThePrintedForm() {
        SeededCases.forAll(g -> {
            PciAddress a = sixteenBitDomain(g);
            // Half the pairs share a prefix, so the later fields decide the order too.
            PciAddress b = g.chance(0.5) ? sixteenBitDomain(g)
                    : new PciAddress(a.domain(), a.bus(), g.chance(0.5) ? a.device() : g.between(0, 0x1F), g.between(0, 7));
            // With fixed-width hex, text order is numeric order (domain, bus, device, function).
            assertThat(Integer.signum(a.compareTo(b))).as("%s vs %s", a, b)
                    .isEqualTo(Integer.signum(a.toString().compareTo(b.toString())));
        });
    }

    @Test
    void aForeignCharacterAnywhereIsRejectedWithTheExpectedForm() {
        SeededCases.forAll(g -> {
            String text = address(g).toString();
            int at = Math.min(g.between(0, 20), text.length());
            // Whitespace is not foreign: parse trims it (sysfs content ends in a newline).
            char c = g.oneOfChars('g', 'x', 'Z', '/', ',', '-', ':', '.', '_');
            String broken = text.substring(0, at) + c + text.substring(at);
            assertThatThrownBy(() -> PciAddress.parse(broken))
                    .as(broken)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("expected dddd:bb:dd.f or bb:dd.f in hexadecimal, e.g. 0000:03:10.0");
        });
    }

    @Test
    void rejectsMalformedAddressesShowingTheExpectedForm() {
        for (String bad : new String[] {"", "03:10", "0000:03:10", "0000:03:10.8", "0000:003:10.0",
                "123456789:03:10.0", "0000:03:10.0.1", "pci-0000:03:10.0"}) {
            assertThatThrownBy(() -> PciAddress.parse(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("invalid PCI address '" + bad
                            + "': expected dddd:bb:dd.f or bb:dd.f in hexadecimal, e.g. 0000:03:10.0");
        }
        assertThatThrownBy(() -> PciAddress.parse(null)).hasMessageStartingWith("invalid PCI address 'null'");
    }

    @Test
    void rejectsDeviceAbove1fAndDomainAbove31Bits() {
        assertThatThrownBy(() -> PciAddress.parse("0000:03:20.0"))
                .hasMessage("invalid PCI address '0000:03:20.0': device 20 is above 1f;"
                        + " expected dddd:bb:dd.f or bb:dd.f in hexadecimal, e.g. 0000:03:10.0");
        assertThatThrownBy(() -> PciAddress.parse("80000000:00:00.0"))
                .hasMessageContaining("domain 80000000 is above 7fffffff");
    }

    @Test
    void acceptsTheShortFormVmdDomainsAndSurroundingWhitespace() {
        assertThat(PciAddress.parse("03:10.1")).isEqualTo(new PciAddress(0, 3, 0x10, 1));
        assertThat(PciAddress.parse("10000:e1:00.0")).isEqualTo(new PciAddress(0x10000, 0xe1, 0, 0));
        assertThat(new PciAddress(0x10000, 0xe1, 0, 0)).hasToString("10000:e1:00.0");
        assertThat(PciAddress.parse(" 0000:03:10.0\n")).hasToString("0000:03:10.0");
    }

    @Test
    void constructorRejectsOutOfRangeFields() {
        assertThatThrownBy(() -> new PciAddress(0, 0, 32, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("device 32 (0-31)");
        assertThatThrownBy(() -> new PciAddress(0, 256, 0, 0)).hasMessageContaining("bus 256 (0-255)");
        assertThatThrownBy(() -> new PciAddress(0, 0, 0, 8)).hasMessageContaining("function 8 (0-7)");
        assertThatThrownBy(() -> new PciAddress(-1, 0, 0, 0)).hasMessageContaining("domain -1");
    }
}
