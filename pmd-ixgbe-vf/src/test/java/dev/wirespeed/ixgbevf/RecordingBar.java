/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

import dev.wirespeed.core.device.Bar;

import java.util.ArrayList;
import java.util.List;

/** A register window that only remembers what was written, for ring tests where the test plays the device. */
final class RecordingBar implements Bar {
    record Write(long offset, int value) {
    }

    final List<Write> writes = new ArrayList<>();

    @Override
    public int read32(long offset) {
        return 0;
    }

    @Override
    public void write32(long offset, int value) {
        writes.add(new Write(offset, value));
    }

    List<Integer> valuesWrittenTo(long offset) {
        return writes.stream().filter(w -> w.offset == offset).map(Write::value).toList();
    }

    @Override
    public long size() {
        return 16384;
    }

    @Override
    public String name() {
        return "recording BAR";
    }
}
