/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.vdev.tap;

import dev.wirespeed.core.os.Errno;
import dev.wirespeed.core.os.ErrnoException;
import dev.wirespeed.core.os.LibC;
import dev.wirespeed.vdev.NetInterface;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Attaching descriptors to a TAP interface: {@code open("/dev/net/tun")} and {@code TUNSETIFF}, values
 * from {@code <linux/if_tun.h>}; the kernel's {@code tun_set_iff} decides what an existing name means
 * (another kind of interface, or a TAP with other flags: EINVAL; a single-queue TAP already attached: EBUSY).
 */
final class TapDevice {
    static final long TUNSETIFF = 0x400454CAL;
    static final int IFF_TAP = 0x0002, IFF_NO_PI = 0x1000, IFF_MULTI_QUEUE = 0x0100;

    private TapDevice() {
    }

    /** A non-blocking descriptor attached to TAP {@code name} (created if missing). */
    static int attach(String device, String name, boolean multiQueue) {
        int fd;
        try {
            fd = LibC.open("/dev/net/tun", LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        } catch (ErrnoException e) {
            String hint = e.errno() == Errno.ENOENT ? device + ": the TUN/TAP driver is not loaded: modprobe tun"
                    : e.errno() == Errno.EACCES || e.errno() == Errno.EPERM ? device + ": no access to /dev/net/tun: run as root" : null;
            throw new ErrnoException(e.call(), e.errno(), hint);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment req = NetInterface.ifreq(arena, name);
            req.set(JAVA_SHORT, 16, (short) (IFF_TAP | IFF_NO_PI | (multiQueue ? IFF_MULTI_QUEUE : 0)));
            LibC.ioctl(fd, TUNSETIFF, req);
            return fd;
        } catch (ErrnoException e) {
            LibC.close(fd);
            throw new ErrnoException("ioctl(TUNSETIFF, \"" + name + "\", IFF_TAP|IFF_NO_PI" + (multiQueue ? "|IFF_MULTI_QUEUE" : "") + ")",
                    e.errno(), hint(device, name, e.errno(), multiQueue));
        }
    }

    private static String hint(String device, String name, int errno, boolean multiQueue) {
        return switch (errno) {
            case Errno.EPERM -> device + ": creating or attaching a TAP needs CAP_NET_ADMIN: run as root or grant the capability"
                    + " (e.g. sudo setcap cap_net_admin+ep \"$(readlink -f \"$(command -v java)\")\")";
            case Errno.EINVAL -> device + ": interface " + name + " exists and is not a TAP"
                    + (multiQueue ? " with multiple queues" : " with a single queue") + "; pick another name or delete it (ip link del " + name + ")";
            case Errno.EBUSY -> device + ": TAP " + name + " is already attached to another process";
            default -> null;
        };
    }
}
