/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.wire;

import dev.wirespeed.core.os.Errno;
import dev.wirespeed.core.os.ErrnoException;
import dev.wirespeed.core.os.Ioctl;
import dev.wirespeed.core.os.LibC;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A Linux TAP interface as an emulated port's far end ({@code wire=tap:IFNAME}): what the kernel sends
 * out of the interface (ping, iperf3, anything routed to it) arrives at the port, and what the port
 * transmits appears on the interface, where tcpdump sees it. Opened through {@code /dev/net/tun} with
 * TUNSETIFF (IFF_TAP | IFF_NO_PI: plain Ethernet frames, no packet-info header), non-blocking, polled by
 * the device thread; the interface lives as long as this object (not persistent) and is brought up with
 * {@code ip link set dev IFNAME up}. Needs CAP_NET_ADMIN.
 *
 * <p>Frames shorter than 60 bytes are zero-padded, as a real transmitter pads them on the wire.
 */
public final class TapInterface implements RxSource, TxDrain {
    // <linux/if_tun.h>: TUNSETIFF = _IOW('T', 202, int); IFF_TAP, IFF_NO_PI. <linux/if.h>: IFNAMSIZ 16, ifreq 40 bytes.
    private static final long TUNSETIFF = Ioctl.iow('T', 202, 4);
    private static final short IFF_TAP = 0x0002, IFF_NO_PI = 0x1000;
    private static final int IFNAMSIZ = 16, IFREQ_SIZE = 40;
    private static final int MIN_FRAME = 60;
    private static final int BURST = 32;

    private final String name;
    private final int fd;
    private final MemorySegment buffer = Arena.ofAuto().allocate(65_536, 64);
    private volatile long received, sent, oversize, txErrors;
    private volatile boolean closed;

    public TapInterface(String requestedName) {
        if (requestedName == null || requestedName.isEmpty() || requestedName.length() >= IFNAMSIZ
                || !requestedName.matches("[A-Za-z0-9_.%-]+")) {
            throw new IllegalArgumentException("tap interface name '" + requestedName + "' must be 1.." + (IFNAMSIZ - 1)
                    + " characters of letters, digits, '_', '-', '.' (e.g. tap:ws0)");
        }
        int f;
        try {
            f = LibC.open("/dev/net/tun", LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        } catch (ErrnoException e) {
            throw new IllegalStateException("wire=tap:" + requestedName + ": cannot open /dev/net/tun (" + e.getMessage()
                    + "); load the tun module (modprobe tun) and run with CAP_NET_ADMIN", e);
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ifr = a.allocate(IFREQ_SIZE);
            byte[] n = requestedName.getBytes(StandardCharsets.US_ASCII);
            MemorySegment.copy(n, 0, ifr, ValueLayout.JAVA_BYTE, 0, n.length);
            ifr.set(ValueLayout.JAVA_SHORT, IFNAMSIZ, (short) (IFF_TAP | IFF_NO_PI));
            LibC.ioctl(f, TUNSETIFF, ifr);
            name = ifr.getString(0, StandardCharsets.US_ASCII); // the kernel fills in a '%d' pattern
        } catch (ErrnoException e) {
            LibC.close(f);
            throw new IllegalStateException(tunSetIffFailed(requestedName, e.errno(), e.getMessage(), Path.of("/sys/class/net")), e);
        }
        fd = f;
        try {
            run("ip", "link", "set", "dev", name, "up");
        } catch (RuntimeException e) {
            LibC.close(fd);
            throw e;
        }
    }

    /**
     * What a failed TUNSETIFF means for {@code name}, and what to do. The kernel (drivers/net/tun.c,
     * tun_set_iff) answers EINVAL when an interface of that name exists and is not a TAP (a NIC, a bridge,
     * a TUN), EPERM when the caller lacks CAP_NET_ADMIN or a persistent TAP belongs to another user, and
     * EBUSY when another process has the TAP open. {@code sysClassNet} tells what the name is now.
     */
    static String tunSetIffFailed(String name, int errno, String error, Path sysClassNet) {
        Path existing = sysClassNet.resolve(name);
        boolean exists = Files.exists(existing);
        boolean tunOrTap = Files.exists(existing.resolve("tun_flags"));
        String prefix = "wire=tap:" + name + ": ";
        String pick = "name a new interface (e.g. tap:ws0; the emulator creates it and removes it at exit)";
        if (errno == Errno.EINVAL && exists) {
            return prefix + name + " already exists and is not " + (tunOrTap ? "a TAP interface this process can open (a TUN, or a"
                    + " multi-queue TAP)" : "a TAP interface (" + existing + " has no tun_flags)")
                    + ", so it cannot be this port's wire; " + pick + ". To reach " + name + "'s network, bridge the new TAP to it"
                    + " (TUNSETIFF: " + error + ")";
        }
        if (errno == Errno.EBUSY) {
            return prefix + name + " is a TAP interface another process holds open; stop that process or " + pick + " (TUNSETIFF: "
                    + error + ")";
        }
        if (errno == Errno.EPERM) {
            return prefix + "TUNSETIFF refused (" + error + "): creating a TAP interface needs root or CAP_NET_ADMIN"
                    + (tunOrTap ? ", and " + name + " is a persistent TAP that may belong to another user" : "");
        }
        return prefix + "TUNSETIFF failed (" + error + ")";
    }

    private static void run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("'" + String.join(" ", command) + "' failed: " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run '" + String.join(" ", command) + "' (is iproute2 installed?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running '" + String.join(" ", command) + "'", e);
        }
    }

    /** The interface's name as the kernel gave it. */
    public String name() {
        return name;
    }

    @Override
    public int fill(FrameQueue inbound) {
        int n = 0;
        while (n < BURST) {
            if (inbound.size() >= inbound.capacity()) {
                break; // leave frames in the kernel's queue until the port catches up
            }
            long len = LibC.readNonBlocking(fd, buffer, buffer.byteSize());
            if (len <= 0) {
                break; // -EAGAIN: nothing waiting
            }
            n++;
            if (len > FrameQueue.MAX_FRAME) {
                oversize++;
                continue;
            }
            int l = (int) len;
            if (l < MIN_FRAME) {
                buffer.asSlice(l, MIN_FRAME - l).fill((byte) 0);
                l = MIN_FRAME;
            }
            inbound.offer(buffer, 0, l); // room checked above; the device thread is the only producer
            received++;
        }
        return n;
    }

    @Override
    public int drain(FrameQueue outbound) {
        int n = 0;
        while (n < BURST) {
            int len = outbound.peekInto(buffer, 0);
            if (len < 0) {
                break;
            }
            try {
                LibC.write(fd, buffer, len);
                sent++;
            } catch (ErrnoException e) {
                txErrors++; // interface down (EIO) or its queue full (EAGAIN): the frame is lost, as on a wire
            }
            outbound.drop();
            n++;
        }
        return n;
    }

    /** Frames read from the interface and handed to the port. */
    public long received() {
        return received;
    }

    /** Frames the port transmitted that were written to the interface. */
    public long sent() {
        return sent;
    }

    public long oversize() {
        return oversize;
    }

    public long txErrors() {
        return txErrors;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            LibC.close(fd); // a non-persistent TAP disappears with its last descriptor
        }
    }
}
