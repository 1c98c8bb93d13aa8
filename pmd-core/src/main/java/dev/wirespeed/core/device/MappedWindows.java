/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.device;

import dev.wirespeed.core.os.LibC;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The BARs a backend has mmapped (uio_msi from {@code /dev/uioN}, VFIO from the device fd), by index. Each keeps
 * the raw mapping, to unmap, and the arena its register segment belongs to, closed first: an access through a
 * {@link MappedBar} after {@link #unmapAll} throws instead of touching unmapped memory. Not thread-safe: the
 * owning function synchronizes.
 */
public final class MappedWindows {
    private record Window(MemorySegment mapping, Arena arena, MappedBar bar) {
    }

    private final Window[] windows;

    public MappedWindows(int count) {
        this.windows = new Window[count];
    }

    /** The BAR mapped at {@code index}, or null if none is. */
    public MappedBar get(int index) {
        Window w = windows[index];
        return w == null ? null : w.bar();
    }

    /**
     * Records {@code mapping} (as {@link LibC#mmap} returned it) as BAR {@code index}, whose registers are the
     * {@code size} bytes at {@code offset} into it; returns the BAR.
     */
    public MappedBar add(int index, MemorySegment mapping, long offset, long size, String name) {
        Arena arena = Arena.ofShared();
        MemorySegment registers = mapping.reinterpret(mapping.byteSize(), arena, null).asSlice(offset, size);
        MappedBar bar = new MappedBar(registers, name);
        windows[index] = new Window(mapping, arena, bar);
        return bar;
    }

    /**
     * Invalidates every BAR segment and unmaps it; a failure does not stop the others.
     *
     * @return {@code failure} with what failed here added (or the first failure here if it was null)
     */
    public RuntimeException unmapAll(RuntimeException failure) {
        for (int i = 0; i < windows.length; i++) {
            Window w = windows[i];
            windows[i] = null;
            if (w != null) {
                try {
                    w.arena().close();
                    LibC.munmap(w.mapping());
                } catch (RuntimeException e) {
                    failure = accumulate(failure, e);
                }
            }
        }
        return failure;
    }

    /**
     * Runs every step of a close in order, each even if an earlier one failed, then throws {@code failure} or the
     * first step's failure, with the later ones suppressed in it.
     */
    public static void runAllThenThrow(RuntimeException failure, Runnable... steps) {
        for (Runnable step : steps) {
            try {
                step.run();
            } catch (RuntimeException e) {
                failure = accumulate(failure, e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** {@code first}, with {@code next} suppressed in it; {@code next} if there was no first. */
    public static RuntimeException accumulate(RuntimeException first, RuntimeException next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }
}
