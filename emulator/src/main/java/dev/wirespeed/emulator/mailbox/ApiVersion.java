/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.mailbox;

/**
 * Mailbox API versions. On the wire a version is its enum ordinal (facts §3.3: 1.0 = 0, 2.0 = 1,
 * 1.1 = 2, …), which is why 2.0 sits between 1.0 and 1.1.
 */
public enum ApiVersion {
    V1_0("1.0"), V2_0("2.0"), V1_1("1.1"), V1_2("1.2"), V1_3("1.3"), V1_4("1.4"), V1_5("1.5"), V1_6("1.6"), V1_7("1.7");

    private final String text;

    ApiVersion(String text) {
        this.text = text;
    }

    /** The value sent in API_NEGOTIATE word 1. */
    public int wireValue() {
        return ordinal();
    }

    /** The version with wire value {@code v}, or null for an unknown value. */
    public static ApiVersion fromWire(int v) {
        return v >= 0 && v < values().length ? values()[v] : null;
    }

    public static ApiVersion parse(String text) {
        for (ApiVersion a : values()) {
            if (a.text.equals(text.trim())) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown mailbox API version '" + text + "': expected 1.0 .. 1.7 or 2.0");
    }

    @Override
    public String toString() {
        return text;
    }
}
