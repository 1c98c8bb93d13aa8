/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.pci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class PciAddressTest {
    @Provide
    Arbitrary<PciAddress> addresses() {
        // Mostly 16-bit domains as on ordinary machines, sometimes the 0x10000+ domains of Intel VMD.
        Arbitrary<Integer> domains = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 0xFFFF),
                Arbitraries.integers().between(0x10000, Integer.MAX_VALUE));
        return Combinators.combine(domains, Arbitraries.integers().between(0, 0xFF),
                Arbitraries.integers().between(0, 0x1F), Arbitraries.integers().between(0, 7))
                .as(PciAddress::new);
    }

    @Provide
    Arbitrary<PciAddress> sixteenBitDomains() {
        return addresses().filter(a -> a.domain() <= 0xFFFF);
    }

    @Property
    void parseOfPrintIsTheSameAddress(@ForAll("addresses") PciAddress a) {
        assertThat(PciAddress.parse(a.toString())).isEqualTo(a);
    }

    @Property
    void printOfParseIsTheSameText(@ForAll("addresses") PciAddress a) {
        String text = a.toString();
        assertThat(PciAddress.parse(text).toString()).isEqualTo(text);
    }

    @Property
    void printIsTheSysfsForm(@ForAll @IntRange(min = 0, max = 0xFFFF) int domain, @ForAll @IntRange(max = 0xFF) int bus,
                             @ForAll @IntRange(max = 0x1F) int device, @ForAll @IntRange(max = 7) int function) {
        String text = new PciAddress(domain, bus, device, function).toString();
        assertThat(text).matches("[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]");
        assertThat(PciAddress.parse(text.substring(5))).isEqualTo(new PciAddress(0, bus, device, function));
        assertThat(PciAddress.parse(text.toUpperCase())).isEqualTo(new PciAddress(domain, bus, device, function));
    }

    @Property
    void orderIsTheOrderOfThePrintedForm(@ForAll("sixteenBitDomains") PciAddress a, @ForAll("sixteenBitDomains") PciAddress b) {
        // With fixed-width hex, text order is numeric order (domain, bus, device, function).
        assertThat(Integer.signum(a.compareTo(b))).isEqualTo(Integer.signum(a.toString().compareTo(b.toString())));
    }

    @Property
    void aForeignCharacterAnywhereIsRejectedWithTheExpectedForm(
            @ForAll("addresses") PciAddress a, @ForAll @IntRange(max = 20) int position,
            @ForAll("foreign") char c) {
        String text = a.toString();
        int at = Math.min(position, text.length());
        String broken = text.substring(0, at) + c + text.substring(at);
        assertThatThrownBy(() -> PciAddress.parse(broken))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected dddd:bb:dd.f or bb:dd.f in hexadecimal, e.g. 0000:03:10.0");
    }

    @Provide
    Arbitrary<Character> foreign() {
        // Whitespace is not foreign: parse trims it (sysfs content ends in a newline).
        return Arbitraries.of('g', 'x', 'Z', '/', ',', '-', ':', '.', '_');
    }

    @Example
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

    @Example
    void rejectsDeviceAbove1fAndDomainAbove31Bits() {
        assertThatThrownBy(() -> PciAddress.parse("0000:03:20.0"))
                .hasMessage("invalid PCI address '0000:03:20.0': device 20 is above 1f;"
                        + " expected dddd:bb:dd.f or bb:dd.f in hexadecimal, e.g. 0000:03:10.0");
        assertThatThrownBy(() -> PciAddress.parse("80000000:00:00.0"))
                .hasMessageContaining("domain 80000000 is above 7fffffff");
    }

    @Example
    void acceptsTheShortFormVmdDomainsAndSurroundingWhitespace() {
        assertThat(PciAddress.parse("03:10.1")).isEqualTo(new PciAddress(0, 3, 0x10, 1));
        assertThat(PciAddress.parse("10000:e1:00.0")).isEqualTo(new PciAddress(0x10000, 0xe1, 0, 0));
        assertThat(new PciAddress(0x10000, 0xe1, 0, 0)).hasToString("10000:e1:00.0");
        assertThat(PciAddress.parse(" 0000:03:10.0\n")).hasToString("0000:03:10.0");
    }

    @Example
    void constructorRejectsOutOfRangeFields() {
        assertThatThrownBy(() -> new PciAddress(0, 0, 32, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("device 32 (0-31)");
        assertThatThrownBy(() -> new PciAddress(0, 256, 0, 0)).hasMessageContaining("bus 256 (0-255)");
        assertThatThrownBy(() -> new PciAddress(0, 0, 0, 8)).hasMessageContaining("function 8 (0-7)");
        assertThatThrownBy(() -> new PciAddress(-1, 0, 0, 0)).hasMessageContaining("domain -1");
    }
}
