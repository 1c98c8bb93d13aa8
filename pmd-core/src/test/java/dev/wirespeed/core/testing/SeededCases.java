/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.testing;

import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Property tests as plain JUnit 5: a body runs for many generated cases, all drawn from one seed.
 * A failing case names the seed and the case number, so {@code -Dwirespeed.seed=<seed>} replays the
 * same inputs. Replaces jqwik (issue 16 point 17), whose authors ask not to be used here.
 */
public final class SeededCases {
    /** Cases per property when a test does not say: jqwik's default, which the old tests ran with. */
    public static final int DEFAULT_CASES = 1000;
    /** System property that fixes the seed, as printed by a failure. */
    public static final String SEED_PROPERTY = "wirespeed.seed";

    /** One case of a property; {@code gen} draws its inputs. */
    @FunctionalInterface
    public interface Case {
        void check(Gen gen) throws Exception;
    }

    private SeededCases() {
    }

    /** Runs {@code body} {@link #DEFAULT_CASES} times. */
    public static void forAll(Case body) {
        forAll(DEFAULT_CASES, body);
    }

    /** Runs {@code body} {@code cases} times with inputs from the seed property or a fresh seed. */
    public static void forAll(int cases, Case body) {
        forAll(seed(), cases, body);
    }

    /** Runs {@code body} {@code cases} times with inputs drawn from {@code seed}. */
    public static void forAll(long seed, int cases, Case body) {
        Gen gen = new Gen(new SplittableRandom(seed));
        for (int i = 0; i < cases; i++) {
            try {
                body.check(gen);
            } catch (Throwable t) {
                // The seed goes first in the message: surefire's one-line summary then shows it.
                String replay = "seed " + hex(seed) + ", case " + (i + 1) + " of " + cases
                        + " (replay: -D" + SEED_PROPERTY + "=" + hex(seed) + ")";
                AssertionError e = new AssertionError(replay + ": " + t.getMessage(), t);
                throw e;
            }
        }
    }

    static long seed() {
        String fixed = System.getProperty(SEED_PROPERTY);
        if (fixed == null || fixed.isBlank()) {
            return new SplittableRandom().nextLong();
        }
        String s = fixed.strip();
        return s.startsWith("0x") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseLong(s);
    }

    static String hex(long seed) {
        return "0x" + HexFormat.of().toHexDigits(seed);
    }
}
