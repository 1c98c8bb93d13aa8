/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.port;

import dev.wirespeed.emulator.dma.DeviceThread;
import dev.wirespeed.emulator.dma.DeviceWork;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Device threads shared by name ({@code thread=NAME} on an {@code emu:} device string): every device
 * naming the same thread runs on it, one pass over all of them at a time. On a machine with few cores
 * this keeps the emulator to one core however many ports an application opens (with a thread per
 * device, two ports and an application thread are three busy threads on two CPUs). The thread starts
 * with its first device and stops when its last device leaves.
 */
final class SharedDeviceThreads {
    private static final Map<String, DeviceThread> THREADS = new HashMap<>();

    private SharedDeviceThreads() {
    }

    /** Runs {@code work} on the thread called {@code name}, starting it if no device uses it yet. */
    static synchronized DeviceThread attach(String name, DeviceWork work) {
        DeviceThread t = THREADS.get(name);
        if (t == null) {
            t = new DeviceThread("emu-thread-" + name, List.of(work)).start();
            THREADS.put(name, t);
        } else {
            t.add(work);
        }
        return t;
    }

    /** Takes {@code work} off the thread (returning once it no longer runs); stops the thread when it was the last. */
    static synchronized void detach(String name, DeviceThread t, DeviceWork work) {
        if (!t.remove(work) && THREADS.get(name) == t) {
            THREADS.remove(name);
            t.close();
        }
    }
}
