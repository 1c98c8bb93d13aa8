/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

import java.util.Arrays;
import java.util.stream.Collectors;

/** A PF reply that does not answer the request the way the protocol says; carries the raw words. */
public final class MalformedReplyException extends IxgbeVfException {
    private final int[] words;

    public MalformedReplyException(String what, int[] words) {
        super(what + "; reply words: " + hex(words));
        this.words = words.clone();
    }

    public int[] words() {
        return words.clone();
    }

    static String hex(int[] words) {
        return Arrays.stream(words).mapToObj(w -> String.format("0x%08x", w)).collect(Collectors.joining(" ", "[", "]"));
    }
}
