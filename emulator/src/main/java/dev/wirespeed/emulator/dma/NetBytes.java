/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.dma;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Network-order (big-endian) reads and writes of frame bytes held in a Java array. The rx path
 * classifies frames where the wire keeps them, in heap arrays: an array access is checked against the
 * array's length only, where a memory segment access also checks the segment's liveness and owner,
 * several times the work for the dozen header reads a frame needs.
 */
final class NetBytes {
    private static final VarHandle BE16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle BE32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle BE64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private NetBytes() {
    }

    static int get8(byte[] a, int i) {
        return a[i] & 0xFF;
    }

    static int get16(byte[] a, int i) {
        return Short.toUnsignedInt((short) BE16.get(a, i));
    }

    static int get32(byte[] a, int i) {
        return (int) BE32.get(a, i);
    }

    static long get64(byte[] a, int i) {
        return (long) BE64.get(a, i);
    }

    static void put16(byte[] a, int i, int value) {
        BE16.set(a, i, (short) value);
    }
}
