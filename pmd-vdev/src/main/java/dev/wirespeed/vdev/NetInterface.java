/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.vdev;

import dev.wirespeed.core.os.ErrnoException;
import dev.wirespeed.core.os.LibC;
import dev.wirespeed.core.packet.MacAddress;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A Linux network interface seen through {@code struct ifreq} ioctls on a socket of the caller's
 * (an ioctl on a socket asks the socket's network namespace, which sysfs may not show). Control path only.
 * Request numbers and the ifreq layout from {@code <linux/sockios.h>} and {@code <net/if.h>}.
 */
public final class NetInterface {
    static final long SIOCGIFFLAGS = 0x8913, SIOCSIFFLAGS = 0x8914, SIOCGIFMTU = 0x8921, SIOCGIFHWADDR = 0x8927;
    public static final int IFF_UP = 0x1, IFF_RUNNING = 0x40;
    /** {@code IFNAMSIZ}: names are at most 15 bytes plus the terminating NUL. */
    public static final int IFNAMSIZ = 16;
    /** {@code sizeof(struct ifreq)} on 64-bit Linux: the name, then a 24-byte union. */
    public static final int IFREQ_SIZE = 40;

    private final String name;
    private final int fd;

    /** {@code fd}: any socket of the interface's namespace (owned by the caller). */
    public NetInterface(String name, int fd) {
        this.name = name;
        this.fd = fd;
    }

    /** Refuses a name the kernel cannot hold, before any system call. */
    public static String checkName(String device, String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("device '" + device + "': no interface name; e.g. " + device.substring(0, device.indexOf(':') + 1) + "veth0");
        }
        if (name.length() >= IFNAMSIZ || name.contains("/") || name.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new IllegalArgumentException("device '" + device + "': '" + name + "' is not a Linux interface name (1.."
                    + (IFNAMSIZ - 1) + " printable ASCII characters, no '/' or spaces)");
        }
        return name;
    }

    /** Fills an ifreq's name field. */
    public static MemorySegment ifreq(Arena arena, String name) {
        MemorySegment req = arena.allocate(IFREQ_SIZE, 8);
        byte[] b = name.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        MemorySegment.copy(b, 0, req, JAVA_BYTE, 0, b.length);
        return req;
    }

    public String name() {
        return name;
    }

    public int flags() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment req = ifreq(arena, name);
            ioctl(SIOCGIFFLAGS, req, "SIOCGIFFLAGS");
            return req.get(JAVA_SHORT, 16) & 0xFFFF;
        }
    }

    /** Administratively up ({@code ip link set dev NAME up}). */
    public boolean isUp() {
        return (flags() & IFF_UP) != 0;
    }

    /** Up and with carrier (a veth whose peer is up, a TAP whose fd is attached). */
    public boolean isRunning() {
        int f = flags();
        return (f & IFF_UP) != 0 && (f & IFF_RUNNING) != 0;
    }

    /** Sets IFF_UP, as {@code ip link set dev NAME up}; needs CAP_NET_ADMIN. */
    public void bringUp() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment req = ifreq(arena, name);
            ioctl(SIOCGIFFLAGS, req, "SIOCGIFFLAGS");
            req.set(JAVA_SHORT, 16, (short) (req.get(JAVA_SHORT, 16) | IFF_UP));
            ioctl(SIOCSIFFLAGS, req, "SIOCSIFFLAGS IFF_UP");
        }
    }

    public int mtu() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment req = ifreq(arena, name);
            ioctl(SIOCGIFMTU, req, "SIOCGIFMTU");
            return req.get(JAVA_INT, 16);
        }
    }

    /** The hardware address: {@code ifr_hwaddr}, a sockaddr whose data starts 2 bytes into the union. */
    public MacAddress mac() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment req = ifreq(arena, name);
            ioctl(SIOCGIFHWADDR, req, "SIOCGIFHWADDR");
            long v = 0;
            for (int i = 0; i < 6; i++) {
                v = v << 8 | (req.get(JAVA_BYTE, 18 + i) & 0xFF);
            }
            return new MacAddress(v);
        }
    }

    private void ioctl(long request, MemorySegment req, String what) {
        try {
            LibC.ioctl(fd, request, req);
        } catch (ErrnoException e) {
            throw new ErrnoException("ioctl(" + what + ", \"" + name + "\")", e.errno(),
                    e.errno() == 1 ? "changing an interface needs CAP_NET_ADMIN: run as root or grant the capability" : null);
        }
    }
}
