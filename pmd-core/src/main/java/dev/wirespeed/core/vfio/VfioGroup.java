/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.vfio;

import dev.wirespeed.core.os.Errno;
import dev.wirespeed.core.os.ErrnoException;
import dev.wirespeed.core.os.LibC;
import dev.wirespeed.core.pci.PciAddress;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * One open IOMMU group ({@code /dev/vfio/N}, or {@code /dev/vfio/noiommu-N} in no-IOMMU mode), attached to the
 * process's {@link VfioContainer}. The kernel lets only one open of a group exist at a time, so the functions
 * of one group opened by this process share this object; it is closed with its last function.
 */
final class VfioGroup {
    private final VfioContainer container;
    private final int number;
    private final Path node;
    private final boolean noIommu;
    private final int fd;
    private int users = 1; // guarded by the container

    private VfioGroup(VfioContainer container, int number, Path node, boolean noIommu, int fd) {
        this.container = container;
        this.number = number;
        this.node = node;
        this.noIommu = noIommu;
        this.fd = fd;
    }

    /** Opens the group's node and checks with the kernel that it is viable. */
    static VfioGroup open(VfioContainer container, int number, GroupCheck check) {
        Path dev = container.devDirectory();
        Path node = dev.resolve(Integer.toString(number));
        boolean noIommu = false;
        if (!Files.exists(node) && Files.exists(dev.resolve("noiommu-" + number))) {
            node = dev.resolve("noiommu-" + number);
            noIommu = true;
        }
        int fd;
        try {
            fd = LibC.open(node.toString(), LibC.O_RDWR | LibC.O_CLOEXEC);
        } catch (ErrnoException e) {
            throw new ErrnoException(e.call(), e.errno(), openHint(e.errno(), node, number, check.address()));
        }
        VfioGroup group = new VfioGroup(container, number, node, noIommu, fd);
        try {
            int flags = group.status();
            if ((flags & VfioAbi.GROUP_FLAGS_VIABLE) == 0) {
                throw new IllegalStateException(check.notViableMessage(number));
            }
            return group;
        } catch (RuntimeException e) {
            group.closeFd();
            throw e;
        }
    }

    static String openHint(int errno, Path node, int number, PciAddress address) {
        return switch (errno) {
            case Errno.ENOENT -> node + " does not exist: " + address + " is in IOMMU group " + number + " but no VFIO"
                    + " driver holds it; bind it as root: bin/devbind --bind vfio-pci " + address;
            case Errno.EACCES, Errno.EPERM -> "this user may not open " + node + "; as root, hand the group to the user:"
                    + " bin/devbind --owner USER " + address + " (or chown USER " + node + "), or run as root";
            case Errno.EBUSY -> "another process has IOMMU group " + number + " open (another wirespeed, DPDK or QEMU"
                    + " using " + address + " or a function sharing its group): a group has one user at a time";
            default -> null;
        };
    }

    /** VFIO_GROUP_GET_STATUS's flags. */
    int status() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(VfioAbi.GROUP_STATUS_SIZE, 4);
            s.set(JAVA_INT, 0, VfioAbi.GROUP_STATUS_SIZE);
            LibC.ioctl(fd, VfioAbi.GROUP_GET_STATUS, s);
            return s.get(JAVA_INT, 4);
        }
    }

    void setContainer(int containerFd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment arg = arena.allocate(JAVA_INT);
            arg.set(JAVA_INT, 0, containerFd);
            LibC.ioctl(fd, VfioAbi.GROUP_SET_CONTAINER, arg);
        }
    }

    /** VFIO_GROUP_GET_DEVICE_FD for the function named by its PCI address. */
    int deviceFd(PciAddress address) {
        try (Arena arena = Arena.ofConfined()) {
            return LibC.ioctl(fd, VfioAbi.GROUP_GET_DEVICE_FD, arena.allocateFrom(address.toString()));
        } catch (ErrnoException e) {
            throw new ErrnoException(e.call() + " [VFIO_GROUP_GET_DEVICE_FD " + address + "]", e.errno(),
                    e.errno() == Errno.EBUSY ? address + " is already open (in this process or through another group fd)"
                            : e.errno() == Errno.ENODEV ? address + " is not in " + node + " or is not bound to vfio-pci"
                            : null);
        }
    }

    int number() {
        return number;
    }

    boolean noIommu() {
        return noIommu;
    }

    VfioContainer container() {
        return container;
    }

    void retain() {
        users++;
    }

    /** Drops one user; the last one closes the group fd, which detaches it from the container. */
    void release() {
        synchronized (container) {
            if (--users > 0) {
                return;
            }
            container.groupClosed(this);
            closeFd(); // under the lock: a concurrent open of the same group must find it closed, not busy
        }
    }

    void closeFd() {
        LibC.close(fd);
    }

    @Override
    public String toString() {
        return "IOMMU group " + number + " (" + node + ")";
    }
}
