/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.os;

/**
 * Linux ioctl request numbers, built the way {@code <asm-generic/ioctl.h>} builds them:
 * {@code dir << 30 | size << 16 | type << 8 | nr}, with dir 0 = none, 1 = write (user to kernel),
 * 2 = read (kernel to user). The only place that knows the bit layout.
 */
public final class Ioctl {
    private static final int NR_BITS = 8;
    private static final int TYPE_BITS = 8;
    private static final int SIZE_BITS = 14;
    private static final int NR_SHIFT = 0;
    private static final int TYPE_SHIFT = NR_SHIFT + NR_BITS;
    private static final int SIZE_SHIFT = TYPE_SHIFT + TYPE_BITS;
    private static final int DIR_SHIFT = SIZE_SHIFT + SIZE_BITS;

    private static final int DIR_NONE = 0;
    private static final int DIR_WRITE = 1;
    private static final int DIR_READ = 2;

    private Ioctl() {
    }

    /** {@code _IO(type, nr)}. */
    public static long io(int type, int nr) {
        return code(DIR_NONE, type, nr, 0);
    }

    /** {@code _IOR(type, nr, size)}: the kernel writes {@code size} bytes to user space. */
    public static long ior(int type, int nr, long size) {
        return code(DIR_READ, type, nr, size);
    }

    /** {@code _IOW(type, nr, size)}: the kernel reads {@code size} bytes from user space. */
    public static long iow(int type, int nr, long size) {
        return code(DIR_WRITE, type, nr, size);
    }

    /** {@code _IOWR(type, nr, size)}. */
    public static long iowr(int type, int nr, long size) {
        return code(DIR_READ | DIR_WRITE, type, nr, size);
    }

    private static long code(int dir, int type, int nr, long size) {
        if (type < 0 || type >= 1 << TYPE_BITS || nr < 0 || nr >= 1 << NR_BITS) {
            throw new IllegalArgumentException("ioctl type and nr must each fit in 8 bits: type=" + type + " nr=" + nr);
        }
        if (size < 0 || size >= 1 << SIZE_BITS) {
            throw new IllegalArgumentException("ioctl argument size must fit in 14 bits: " + size);
        }
        // The request is an unsigned 32-bit value passed as unsigned long.
        return Integer.toUnsignedLong((dir << DIR_SHIFT) | ((int) size << SIZE_SHIFT) | (type << TYPE_SHIFT) | (nr << NR_SHIFT));
    }
}
