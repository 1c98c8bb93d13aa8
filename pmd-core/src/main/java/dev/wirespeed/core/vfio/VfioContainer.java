/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.vfio;

import dev.wirespeed.core.dma.DmaException;
import dev.wirespeed.core.os.Errno;
import dev.wirespeed.core.os.ErrnoException;
import dev.wirespeed.core.os.LibC;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The process's one VFIO container ({@code /dev/vfio/vfio}): one IOMMU address space shared by every group
 * this process opens, as DPDK's default container is. So a packet pool mapped once is reachable by every
 * VFIO port of the process, and IOVAs are unique process-wide.
 *
 * <p>DMA memory is <em>registered</em> here ({@link #map}); it enters the IOMMU ({@code VFIO_IOMMU_MAP_DMA})
 * as soon as the container has an IOMMU, which it gets with its first group ({@code VFIO_SET_IOMMU} needs
 * one). When the last group leaves, the kernel tears the IOMMU down and drops every mapping; the
 * registrations stay, and the next group's attach maps them again. So applications may allocate their
 * pools before or after opening ports, and may close and reopen ports, in any order.
 *
 * <p>Pinned pages count against {@code RLIMIT_MEMLOCK} (type1 accounts them unless the process has
 * CAP_IPC_LOCK): {@link #map} checks the limit first and says how to raise it.
 */
final class VfioContainer {
    private static final Path DEV_VFIO = Path.of("/dev/vfio");
    private static VfioContainer system; // guarded by VfioContainer.class

    private final Path devDirectory;
    private final int fd;
    private final Map<Integer, VfioGroup> groups = new HashMap<>();
    /** Registered DMA memory by IOVA: vaddr and size. */
    private final TreeMap<Long, MemorySegment> registered = new TreeMap<>();
    private final MemlockLimit memlock;
    private int iommuType; // 0 = none set yet
    private long registeredBytes;

    private VfioContainer(Path devDirectory, int fd, MemlockLimit memlock) {
        this.devDirectory = devDirectory;
        this.fd = fd;
        this.memlock = memlock;
    }

    /** The process's container, opened on first use and kept for the life of the process. */
    static synchronized VfioContainer system() {
        if (system == null) {
            system = open(DEV_VFIO, MemlockLimit.system());
        }
        return system;
    }

    /** Opens {@code <devDirectory>/vfio} and checks the API version and that a usable IOMMU type exists. */
    static VfioContainer open(Path devDirectory, MemlockLimit memlock) {
        Path node = devDirectory.resolve("vfio");
        if (!Files.exists(node)) {
            throw new IllegalStateException(modulesNotLoaded(node));
        }
        int fd = LibC.open(node.toString(), LibC.O_RDWR | LibC.O_CLOEXEC);
        try {
            int version = LibC.ioctl(fd, VfioAbi.GET_API_VERSION, 0);
            if (version != VfioAbi.API_VERSION) {
                throw new IllegalStateException(node + " speaks VFIO API version " + version + ", wirespeed knows version "
                        + VfioAbi.API_VERSION + " (include/uapi/linux/vfio.h)");
            }
            return new VfioContainer(devDirectory, fd, memlock);
        } catch (RuntimeException e) {
            LibC.close(fd);
            throw e;
        }
    }

    static String modulesNotLoaded(Path node) {
        return "the vfio kernel modules are not loaded (" + node + " does not exist); load them as root with"
                + " `modprobe vfio-pci` (it loads vfio and vfio_iommu_type1 too), then bind the device with"
                + " bin/devbind --bind vfio-pci ADDRESS";
    }

    Path devDirectory() {
        return devDirectory;
    }

    int fd() {
        return fd;
    }

    /** Whether the container has the extension (an IOMMU type), per VFIO_CHECK_EXTENSION. */
    boolean hasExtension(int extension) {
        return LibC.ioctl(fd, VfioAbi.CHECK_EXTENSION, extension) > 0;
    }

    /**
     * Opens group {@code number} (or returns the one already open, counting one more user) and attaches it
     * to this container; the first group sets the IOMMU type and maps every registered region.
     */
    synchronized VfioGroup acquireGroup(int number, GroupCheck check) {
        VfioGroup group = groups.get(number);
        if (group != null) {
            group.retain();
            return group;
        }
        group = VfioGroup.open(this, number, check);
        try {
            group.setContainer(fd);
            if (iommuType == 0) {
                setIommu(group.noIommu() ? VfioAbi.NOIOMMU_IOMMU : VfioAbi.TYPE1V2_IOMMU, group);
            } else if ((iommuType == VfioAbi.NOIOMMU_IOMMU) != group.noIommu()) {
                throw new IllegalStateException("cannot use " + group + " together with the groups this process already has"
                        + " open: one is in no-IOMMU mode and the other is not; use devices of one kind per process");
            }
        } catch (RuntimeException e) {
            group.closeFd();
            throw e;
        }
        groups.put(number, group);
        return group;
    }

    private void setIommu(int type, VfioGroup group) {
        if (!hasExtension(type)) {
            throw new IllegalStateException(type == VfioAbi.TYPE1V2_IOMMU
                    ? "the VFIO container offers no type1v2 IOMMU for " + group + ": load vfio_iommu_type1 as root"
                            + " (`modprobe vfio_iommu_type1`) and check that the kernel enabled an IOMMU (`dmesg | grep -i -e DMAR -e AMD-Vi`)"
                    : "the VFIO container offers no no-IOMMU mode for " + group + " (vfio's enable_unsafe_noiommu_mode is off?)");
        }
        LibC.ioctl(fd, VfioAbi.SET_IOMMU, type);
        iommuType = type;
        if (type == VfioAbi.TYPE1V2_IOMMU) {
            for (Map.Entry<Long, MemorySegment> e : registered.entrySet()) {
                mapDma(e.getValue(), e.getKey());
            }
        }
    }

    /** Called by a group when its last user closed it; the group fd is closed after this. */
    synchronized void groupClosed(VfioGroup group) {
        groups.remove(group.number());
        if (groups.isEmpty()) {
            // Closing the last group's fd detaches it; the kernel then drops the IOMMU and every mapping.
            iommuType = 0;
        }
    }

    /** Whether the container runs in no-IOMMU mode (IOVAs are physical addresses; nothing can be mapped). */
    synchronized boolean noIommu() {
        return iommuType == VfioAbi.NOIOMMU_IOMMU;
    }

    /**
     * Registers {@code memory} for device access at {@code iova}; maps it into the IOMMU now if the container
     * has one, else when its first group attaches. Checks the memory-lock limit first.
     */
    synchronized void map(MemorySegment memory, long iova, String purpose) {
        if (iommuType == VfioAbi.NOIOMMU_IOMMU) {
            throw new DmaException("cannot map " + purpose + " for VFIO: the container is in no-IOMMU mode, where devices"
                    + " use physical addresses; use hugepage memory (HugepageDmaDomain) for devices in no-IOMMU mode");
        }
        memlock.check(registeredBytes, memory.byteSize(), purpose);
        if (iommuType == VfioAbi.TYPE1V2_IOMMU) {
            mapDma(memory, iova);
        }
        registered.put(iova, memory);
        registeredBytes += memory.byteSize();
    }

    /** Takes the memory at {@code iova} out of the IOMMU (if mapped) and forgets it; the caller frees it afterwards. */
    synchronized void unmap(long iova) {
        MemorySegment memory = registered.remove(iova);
        if (memory == null) {
            throw new IllegalArgumentException("no VFIO DMA memory is registered at IOVA 0x" + Long.toHexString(iova));
        }
        registeredBytes -= memory.byteSize();
        if (iommuType == VfioAbi.TYPE1V2_IOMMU) {
            unmapDma(iova, memory.byteSize());
        }
    }

    private void mapDma(MemorySegment memory, long iova) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment map = arena.allocate(VfioAbi.DMA_MAP_SIZE, 8);
            map.set(JAVA_INT, 0, VfioAbi.DMA_MAP_SIZE);
            map.set(JAVA_INT, 4, VfioAbi.DMA_MAP_FLAG_READ | VfioAbi.DMA_MAP_FLAG_WRITE);
            map.set(JAVA_LONG, 8, memory.address());
            map.set(JAVA_LONG, 16, iova);
            map.set(JAVA_LONG, 24, memory.byteSize());
            LibC.ioctl(fd, VfioAbi.IOMMU_MAP_DMA, map);
        } catch (ErrnoException e) {
            throw new ErrnoException(e.call() + " [VFIO_IOMMU_MAP_DMA iova 0x" + Long.toHexString(iova) + ", "
                    + memory.byteSize() + " bytes]", e.errno(), switch (e.errno()) {
                        case Errno.ENOMEM -> "the kernel could not pin the memory: " + MemlockLimit.FIX;
                        case Errno.EEXIST -> "the IOVA range overlaps a mapping already in the IOMMU";
                        case Errno.ENOSPC -> "vfio_iommu_type1's dma_entry_limit (65535 mappings by default) is reached";
                        default -> null;
                    });
        }
    }

    private void unmapDma(long iova, long size) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment unmap = arena.allocate(VfioAbi.DMA_UNMAP_SIZE, 8);
            unmap.set(JAVA_INT, 0, VfioAbi.DMA_UNMAP_SIZE);
            unmap.set(JAVA_LONG, 8, iova);
            unmap.set(JAVA_LONG, 16, size);
            LibC.ioctl(fd, VfioAbi.IOMMU_UNMAP_DMA, unmap);
        }
    }

    /** Bytes registered (pinned while a group is attached). */
    synchronized long registeredBytes() {
        return registeredBytes;
    }

    @Override
    public String toString() {
        return "VFIO container " + devDirectory.resolve("vfio") + " (fd " + fd + ")";
    }
}
