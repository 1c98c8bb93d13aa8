/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.igbvf.guest;

/**
 * The PASS/FAIL lines of the igb guest scenarios ({@code pmd-igb-vf/guest/README.md}), printed by programs
 * that run inside the guest; the host counts them. One verdict per check; the exit status says whether
 * all passed.
 */
final class Verdicts {
    private final String scenario;
    private int failures;

    Verdicts(String scenario) {
        this.scenario = scenario;
    }

    void pass(String what) {
        System.out.println("PASS: igb: " + scenario + ": " + what);
    }

    void fail(String what, String why) {
        failures++;
        System.out.println("FAIL: igb: " + scenario + ": " + what + " (" + why + ")");
    }

    /** PASS or FAIL depending on {@code ok}; returns {@code ok}. */
    boolean check(boolean ok, String what, String why) {
        if (ok) {
            pass(what);
        } else {
            fail(what, why);
        }
        return ok;
    }

    /** A value for the shell side, on its own line: {@code IGB_<key> <value>}. */
    void value(String key, Object value) {
        System.out.println("IGB_" + key + " " + value);
    }

    int exitCode() {
        return failures == 0 ? 0 : 1;
    }
}
