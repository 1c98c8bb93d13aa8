/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.testing;

import java.util.SplittableRandom;

/**
 * Inputs for one {@link SeededCases} case. Ranges return their ends more often than uniform drawing
 * would: most bugs sit at 0, 1 and the maximum, and 1000 uniform draws from a wide range rarely hit them.
 */
public final class Gen {
    private final SplittableRandom random;

    Gen(SplittableRandom random) {
        this.random = random;
    }

    /** An int in {@code [min, max]}, both ends included; an end or its neighbour one time in four. */
    public int between(int min, int max) {
        if (min > max) {
            throw new IllegalArgumentException("empty range " + min + ".." + max);
        }
        return switch (random.nextInt(16)) {
            case 0 -> min;
            case 1 -> max;
            case 2 -> min < max ? min + 1 : min;
            case 3 -> min < max ? max - 1 : max;
            default -> (int) random.nextLong(min, (long) max + 1);
        };
    }

    /** True with probability {@code p}. */
    public boolean chance(double p) {
        return random.nextDouble() < p;
    }

    /** One of {@code values}, uniformly. */
    @SafeVarargs
    public final <T> T oneOf(T... values) {
        return values[random.nextInt(values.length)];
    }

    /** One of {@code values}, uniformly (a char overload of {@code oneOf} would be ambiguous with it). */
    public char oneOfChars(char... values) {
        return values[random.nextInt(values.length)];
    }
}
