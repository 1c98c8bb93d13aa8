/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.vfio;

import dev.wirespeed.core.device.Bar;
import dev.wirespeed.core.device.MappedBar;
import dev.wirespeed.core.device.MappedWindows;
import dev.wirespeed.core.device.PciFunction;
import dev.wirespeed.core.dma.DmaDomain;
import dev.wirespeed.core.dma.HugepageDmaDomain;
import dev.wirespeed.core.os.ErrnoException;
import dev.wirespeed.core.os.LibC;
import dev.wirespeed.core.pci.PciAddress;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

/**
 * A PCI function opened through VFIO: BARs mmapped from the device fd at the offsets its region info gives,
 * config space read and written through its config region, interrupts through {@code VFIO_DEVICE_SET_IRQS},
 * DMA memory mapped into the process's IOMMU address space. Get one from {@link VfioBackend#open}.
 *
 * <p>Opening resets the function (VFIO_DEVICE_RESET where vfio-pci can) and leaves bus mastering off, so
 * nothing the previous user left in the device can DMA; {@link #enableDma()} turns it on once the driver
 * has reset and programmed it, as with uio_msi. Even with it on, the IOMMU confines the device to memory this
 * process mapped. Closing turns bus mastering off first, then closes the device (vfio-pci frees the vectors and
 * resets it), releases the group, and only then frees this function's DMA memory.
 */
public final class VfioFunction implements PciFunction {
    static final long PAGE_SIZE = 4096;
    private static final int BAR_COUNT = 6;
    private static final int PCI_COMMAND = 4;
    private static final short COMMAND_BUS_MASTER = 1 << 2;

    private final PciAddress address;
    private final int vendorId;
    private final int deviceId;
    private final VfioGroup group;
    private final int deviceFd;
    private final int deviceFlags;
    private final long configOffset;
    private final VfioInterrupts interrupts;
    private final MappedWindows bars = new MappedWindows(BAR_COUNT);
    private DmaDomain dma;
    private boolean closed;

    /** What {@code VFIO_DEVICE_GET_REGION_INFO} says of one region. */
    record RegionInfo(int index, int flags, long size, long offset) {
        boolean mappable() {
            return (flags & VfioAbi.REGION_INFO_FLAG_MMAP) != 0;
        }
    }

    private VfioFunction(PciAddress address, int vendorId, int deviceId, VfioGroup group, int deviceFd, int deviceFlags,
                         long configOffset, InterruptModeInfo irq) {
        this.address = address;
        this.vendorId = vendorId;
        this.deviceId = deviceId;
        this.group = group;
        this.deviceFd = deviceFd;
        this.deviceFlags = deviceFlags;
        this.configOffset = configOffset;
        this.interrupts = new VfioInterrupts(address, this::setIrqs, irq.mode(), irq.count());
    }

    private record InterruptModeInfo(dev.wirespeed.core.device.InterruptMode mode, int count) {
    }

    /**
     * Gets the device fd from {@code group}, reads its info, resets it and turns bus mastering off. On failure
     * the device fd is closed; the group stays the caller's to release.
     */
    static VfioFunction open(PciAddress address, int vendorId, int deviceId, VfioGroup group) {
        int fd = group.deviceFd(address);
        try {
            int flags;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment info = arena.allocate(VfioAbi.DEVICE_INFO_SIZE, 4);
                info.set(JAVA_INT, 0, VfioAbi.DEVICE_INFO_SIZE);
                LibC.ioctl(fd, VfioAbi.DEVICE_GET_INFO, info);
                flags = info.get(JAVA_INT, 4);
            }
            if ((flags & VfioAbi.DEVICE_FLAGS_PCI) == 0) {
                throw new IllegalStateException(address + " is not a vfio-pci device (VFIO device flags 0x"
                        + Integer.toHexString(flags) + ")");
            }
            RegionInfo config = regionInfo(fd, VfioAbi.PCI_CONFIG_REGION_INDEX);
            int msix = irqCount(fd, VfioAbi.PCI_MSIX_IRQ_INDEX);
            int msi = irqCount(fd, VfioAbi.PCI_MSI_IRQ_INDEX);
            int intx = irqCount(fd, VfioAbi.PCI_INTX_IRQ_INDEX);
            var mode = VfioInterrupts.choose(msix, msi, intx);
            int count = switch (mode) {
                case MSIX -> msix;
                case MSI -> msi;
                case INTX -> intx;
                case NONE -> 0;
            };
            VfioFunction f = new VfioFunction(address, vendorId, deviceId, group, fd, flags, config.offset(),
                    new InterruptModeInfo(mode, count));
            f.setBusMaster(false);
            if (f.resetSupported()) {
                f.reset();
            }
            return f;
        } catch (RuntimeException e) {
            LibC.close(fd);
            throw e;
        }
    }

    static RegionInfo regionInfo(int fd, int index) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(VfioAbi.REGION_INFO_SIZE, 8);
            info.set(JAVA_INT, 0, VfioAbi.REGION_INFO_SIZE);
            info.set(JAVA_INT, 8, index);
            LibC.ioctl(fd, VfioAbi.DEVICE_GET_REGION_INFO, info);
            return new RegionInfo(index, info.get(JAVA_INT, 4), info.get(JAVA_LONG, VfioAbi.REGION_OFFSET_SIZE),
                    info.get(JAVA_LONG, VfioAbi.REGION_OFFSET_OFFSET));
        }
    }

    /** VFIO_DEVICE_GET_IRQ_INFO's count for {@code index}, 0 when the device has none of that kind. */
    static int irqCount(int fd, int index) {
        int[] info = irqInfo(fd, index);
        return (info[0] & VfioAbi.IRQ_INFO_EVENTFD) != 0 ? info[1] : 0;
    }

    /** {flags, count} of VFIO_DEVICE_GET_IRQ_INFO for {@code index}. */
    static int[] irqInfo(int fd, int index) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(VfioAbi.IRQ_INFO_SIZE, 4);
            info.set(JAVA_INT, 0, VfioAbi.IRQ_INFO_SIZE);
            info.set(JAVA_INT, 8, index);
            LibC.ioctl(fd, VfioAbi.DEVICE_GET_IRQ_INFO, info);
            return new int[] {info.get(JAVA_INT, 4), info.get(JAVA_INT, 12)};
        }
    }

    private void setIrqs(int flags, int index, int start, int count, int[] fds) {
        int dataBytes = fds == null ? 0 : fds.length * Integer.BYTES;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment set = arena.allocate(VfioAbi.IRQ_SET_HEADER_SIZE + dataBytes, 4);
            set.set(JAVA_INT, 0, VfioAbi.IRQ_SET_HEADER_SIZE + dataBytes);
            set.set(JAVA_INT, 4, flags);
            set.set(JAVA_INT, 8, index);
            set.set(JAVA_INT, 12, start);
            set.set(JAVA_INT, 16, count);
            for (int i = 0; fds != null && i < fds.length; i++) {
                set.set(JAVA_INT, VfioAbi.IRQ_SET_HEADER_SIZE + (long) i * Integer.BYTES, fds[i]);
            }
            LibC.ioctl(deviceFd, VfioAbi.DEVICE_SET_IRQS, set);
        }
    }

    @Override
    public PciAddress address() {
        return address;
    }

    @Override
    public int vendorId() {
        return vendorId;
    }

    @Override
    public int deviceId() {
        return deviceId;
    }

    /** The IOMMU group this function is in. */
    public int iommuGroup() {
        return group.number();
    }

    /** Whether the function is in a no-IOMMU group (no translation, no isolation). */
    public boolean noIommu() {
        return group.noIommu();
    }

    @Override
    public synchronized Bar bar(int index) {
        if (index < 0 || index >= BAR_COUNT) {
            throw new IllegalArgumentException("BAR index " + index + " of " + address + " is out of range: PCI has BARs 0-5");
        }
        requireOpen("map BAR" + index);
        MappedBar bar = bars.get(index);
        return bar != null ? bar : map(index);
    }

    private MappedBar map(int index) {
        RegionInfo r = regionInfo(deviceFd, index);
        String prefix = "cannot map BAR" + index + " of " + address + ": ";
        if (r.size() == 0) {
            throw new IllegalArgumentException(prefix + "vfio-pci reports it empty (the device does not implement it,"
                    + " or it is the upper half of a 64-bit BAR)");
        }
        if (!r.mappable()) {
            throw new IllegalArgumentException(prefix + "vfio-pci does not allow mmap of it (region flags 0x"
                    + Integer.toHexString(r.flags()) + ": an I/O port BAR, or a memory BAR smaller than a page on an old kernel)");
        }
        long length = (r.size() + PAGE_SIZE - 1) & -PAGE_SIZE;
        MemorySegment mapping;
        try {
            mapping = LibC.mmap(length, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, deviceFd, r.offset());
        } catch (ErrnoException e) {
            // Kernels before 4.16 refuse to mmap the page holding the MSI-X table (they report sparse areas instead).
            throw new ErrnoException(e.call(), e.errno(), prefix + "(region " + index + ", " + r.size() + " bytes);"
                    + " if it holds the MSI-X table, the kernel may allow only parts of it (sparse mmap; Linux 4.16+ maps all)");
        }
        return bars.add(index, mapping, 0, r.size(), "BAR" + index + " of " + address);
    }

    /** Reads the 16-bit config-space word at {@code offset} through the config region. */
    public synchronized int readConfig16(int offset) {
        requireOpen("read config space");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(2);
            long n = LibC.pread(deviceFd, buf, 2, configOffset + offset);
            if (n != 2) {
                throw new IllegalStateException("short read of config space of " + address + " at 0x" + Integer.toHexString(offset));
            }
            return buf.get(JAVA_SHORT_UNALIGNED, 0) & 0xffff;
        }
    }

    /** Writes the 16-bit config-space word at {@code offset} through the config region (vfio-pci filters what it must). */
    public synchronized void writeConfig16(int offset, int value) {
        requireOpen("write config space");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(2);
            buf.set(JAVA_SHORT_UNALIGNED, 0, (short) value);
            long n = LibC.pwrite(deviceFd, buf, 2, configOffset + offset);
            if (n != 2) {
                throw new IllegalStateException("short write of config space of " + address + " at 0x" + Integer.toHexString(offset));
            }
        }
    }

    /** Whether the function's Bus Master Enable bit is set (read through VFIO's config region). */
    public boolean busMaster() {
        return (readConfig16(PCI_COMMAND) & COMMAND_BUS_MASTER) != 0;
    }

    private synchronized void setBusMaster(boolean on) {
        int command = readConfig16(PCI_COMMAND);
        writeConfig16(PCI_COMMAND, on ? command | COMMAND_BUS_MASTER : command & ~COMMAND_BUS_MASTER);
    }

    /** Whether vfio-pci can reset this function (FLR, PM or bus reset it may use alone). */
    public boolean resetSupported() {
        return (deviceFlags & VfioAbi.DEVICE_FLAGS_RESET) != 0;
    }

    /** VFIO_DEVICE_RESET: a function-level reset by vfio-pci; vfio restores config space, bus mastering stays as it was. */
    public synchronized void reset() {
        requireOpen("reset");
        LibC.ioctl(deviceFd, VfioAbi.DEVICE_RESET, 0);
    }

    /** The process-wide VFIO domain's memory (or, in no-IOMMU mode, hugepages with physical addresses). */
    @Override
    public synchronized DmaDomain dma() {
        requireOpen("use DMA memory");
        if (dma == null) {
            dma = group.noIommu() ? HugepageDmaDomain.open() : new VfioDmaDomain(group.container(), "vfio " + address);
        }
        return dma;
    }

    /** The container this function's group is attached to (the process's). */
    VfioContainer dmaContainer() {
        return group.container();
    }

    /** Turns bus mastering on: the driver has reset and programmed the device; the IOMMU confines what it reaches. */
    @Override
    public synchronized void enableDma() {
        requireOpen("enable DMA");
        setBusMaster(true);
    }

    @Override
    public VfioInterrupts interrupts() {
        return interrupts;
    }

    @Override
    public String backend() {
        return "vfio";
    }

    private void requireOpen(String what) {
        if (closed) {
            throw new IllegalStateException("cannot " + what + ": " + address + " (vfio) is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        RuntimeException failure = null;
        try {
            setBusMaster(false); // stop DMA before anything it might target is released
        } catch (RuntimeException e) {
            failure = e;
        }
        closed = true;
        MappedWindows.runAllThenThrow(bars.unmapAll(failure),
                () -> LibC.close(deviceFd), // vfio-pci frees the vectors and resets the function
                group::release, // the last function of a group closes it: the group leaves the container
                () -> {
                    if (dma != null) {
                        dma.close(); // only now: the device can no longer reach this memory
                    }
                });
    }

    @Override
    public String toString() {
        return String.format("%s (%04x:%04x) via vfio-pci, %s, %s", address, vendorId, deviceId, group, interrupts);
    }
}
