/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.uio;

import dev.wirespeed.core.device.Bar;
import dev.wirespeed.core.device.MappedBar;
import dev.wirespeed.core.device.MappedWindows;
import dev.wirespeed.core.device.PciFunction;
import dev.wirespeed.core.dma.DmaDomain;
import dev.wirespeed.core.os.Errno;
import dev.wirespeed.core.os.ErrnoException;
import dev.wirespeed.core.pci.PciAddress;
import dev.wirespeed.core.pci.PciResource;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A PCI function opened through uio_msi: BARs mapped from {@code /dev/uioN} on first use, interrupt
 * vectors bound by command words to the same descriptor, and DMA memory from 2 MiB hugepages (no IOMMU
 * translates for uio_msi, so physical addresses are what the device uses). Get one from
 * {@link UioMsiBackend#open}.
 *
 * <p>The driver opens the device with bus mastering off and the function reset (where the PCI core can),
 * so nothing the previous user left in it can DMA; {@link #enableDma()} turns DMA on once the caller has
 * reset and programmed it.
 *
 * <p>This object owns its DMA domain and closes it last: the domain's memory may only be freed once the
 * device has stopped writing into it, which closing the descriptor (bus mastering off) guarantees.
 */
public final class UioMsiFunction implements PciFunction {
    /**
     * UIO selects map i by mmap offset i × the kernel's page size. wirespeed runs on x86-64 only (its
     * libc constants are x86-64's), where that is 4 KiB.
     */
    static final long PAGE_SIZE = 4096;

    private final PciAddress address;
    private final int vendorId;
    private final int deviceId;
    private final UioDevice uio;
    private final UioFile file;
    private final UioMsiInterrupts interrupts;
    private final Supplier<List<PciResource>> resources;
    private final Supplier<? extends DmaDomain> dmaFactory;
    private final MappedWindows bars = new MappedWindows(PciResource.BAR_COUNT);
    private DmaDomain dma;
    private boolean closed;

    UioMsiFunction(PciAddress address, int vendorId, int deviceId, UioDevice uio, UioFile file, UioMsiInterrupts interrupts,
                   Supplier<List<PciResource>> resources, Supplier<? extends DmaDomain> dmaFactory) {
        this.address = address;
        this.vendorId = vendorId;
        this.deviceId = deviceId;
        this.uio = uio;
        this.file = file;
        this.interrupts = interrupts;
        this.resources = resources;
        this.dmaFactory = dmaFactory;
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

    /** The UIO device's name, e.g. {@code uio0}. */
    public String uioName() {
        return uio.name();
    }

    @Override
    public synchronized Bar bar(int index) {
        if (index < 0 || index >= PciResource.BAR_COUNT) {
            throw new IllegalArgumentException("BAR index " + index + " of " + address + " is out of range: PCI has BARs 0-5");
        }
        requireOpen("map BAR" + index);
        MappedBar bar = bars.get(index);
        return bar != null ? bar : map(index);
    }

    private MappedBar map(int index) {
        UioDevice.MemoryMap map = uio.mapOfBar(index).orElseThrow(() -> new IllegalArgumentException(whyNotMapped(index)));
        // A BAR smaller than a page may start inside its page; the mapping always starts at the page.
        long inPage = map.address() & (PAGE_SIZE - 1);
        long length = (inPage + map.size() + PAGE_SIZE - 1) & -PAGE_SIZE;
        MemorySegment mapping;
        try {
            mapping = file.map(map.index() * PAGE_SIZE, length);
        } catch (ErrnoException e) {
            throw new ErrnoException(e.call(), e.errno(), "Cannot map BAR" + index + " of " + address + " (UIO map "
                    + map.index() + " of " + file.path() + ", " + map.size() + " bytes); `dmesg` may say why");
        }
        return bars.add(index, mapping, inPage, map.size(), "BAR" + index + " of " + address);
    }

    /** Why BAR {@code index} has no UIO map, from the device's resource table. */
    private String whyNotMapped(int index) {
        String memoryBars = uio.maps().isEmpty() ? "it has no memory BARs"
                : "its memory BARs are " + uio.maps().stream().map(m -> "BAR" + m.bar()).collect(Collectors.joining(", "));
        String prefix = "cannot map BAR" + index + " of " + address + ": ";
        List<PciResource> table;
        try {
            table = resources.get();
        } catch (RuntimeException e) {
            return prefix + "uio_msi exports no such memory BAR (" + memoryBars + ")";
        }
        PciResource r = index < table.size() ? table.get(index) : null;
        if (r == null || !r.isPresent()) {
            PciResource lower = index > 0 && index - 1 < table.size() ? table.get(index - 1) : null;
            if (lower != null && lower.isPresent() && lower.isMemory() && lower.is64Bit()) {
                return prefix + "it is the upper half of 64-bit BAR" + (index - 1) + ", map that one (" + memoryBars + ")";
            }
            return prefix + "the device does not implement it (" + memoryBars + ")";
        }
        if (r.isIo()) {
            return prefix + "it is an I/O port BAR, which cannot be memory-mapped (" + memoryBars + ")";
        }
        return prefix + "uio_msi did not export it (UIO allows at most 5 memory maps; `dmesg | grep uio_msi` lists"
                + " what was left out; " + memoryBars + ")";
    }

    /** The 2 MiB hugepage domain, opened on first use and closed with this function. */
    @Override
    public synchronized DmaDomain dma() {
        requireOpen("use DMA memory");
        if (dma == null) {
            dma = dmaFactory.get();
        }
        return dma;
    }

    /**
     * Sends uio_msi's DMA-enable command: the driver opened the device with bus mastering off and has
     * reset it where the PCI core knows how; the caller has reset it its own way and programmed it.
     */
    @Override
    public synchronized void enableDma() {
        requireOpen("enable DMA");
        try {
            file.writeCommand(UioMsiAbi.CMD_DMA_ENABLE);
        } catch (ErrnoException e) {
            throw new ErrnoException(e.call() + " of " + UioMsiAbi.describe(UioMsiAbi.CMD_DMA_ENABLE), e.errno(),
                    "Cannot enable DMA of " + address + ": " + (e.errno() == Errno.EINVAL
                            ? "the uio_msi module predates the DMA command (issue 13); load the module from this checkout"
                            : UioFile.openHint(e.errno(), file.path(), uio.directory(), address.toString())));
        }
    }

    /**
     * Whether the device was unbound from uio_msi (or unplugged) while this process had it open. The
     * driver then wakes every bound eventfd once, frees the vectors, turns bus mastering off and
     * invalidates the BAR mappings: a register access after that is a fault (the JVM reports it as an
     * {@link InternalError}), never a write to whatever device is bound next. A poll loop woken without
     * work should ask this, and on {@code true} stop using the device and {@link #close()} it.
     */
    @Override
    public synchronized boolean removed() {
        if (closed) {
            return false;
        }
        try {
            file.writeCommand(UioMsiAbi.CMD_CHECK);
            return false;
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENODEV || e.errno() == Errno.EIO) {
                return true;
            }
            if (e.errno() == Errno.EINVAL) { // a module older than the check command: ask sysfs
                return !java.nio.file.Files.isDirectory(uio.directory());
            }
            throw e;
        }
    }

    /**
     * Throws, saying what happened, if the device was {@linkplain #removed() removed} under this process.
     *
     * @throws IllegalStateException if it was
     */
    public void requirePresent() {
        if (removed()) {
            throw new IllegalStateException(address + " (" + uio.name() + ") was removed from uio_msi (unbound or"
                    + " unplugged) while this process had it open: its interrupts are gone, bus mastering is off and"
                    + " its BAR mappings are invalid; close it, and rebind it with bin/devbind --bind uio_msi " + address
                    + " before opening it again");
        }
    }

    @Override
    public UioMsiInterrupts interrupts() {
        return interrupts;
    }

    @Override
    public String backend() {
        return UioMsiAbi.DRIVER;
    }

    private void requireOpen(String what) {
        if (closed) {
            throw new IllegalStateException("cannot " + what + ": " + address + " (" + uio.name() + ") is closed");
        }
    }

    /**
     * Unmaps the BARs, then closes the descriptor, then the DMA domain. The mappings hold the file
     * open too, so only after both does the driver's release run: bus mastering off, every vector freed,
     * every eventfd binding dropped. Only then is the device's DMA memory safe to free.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // The mappings hold the file open too: only after both does the driver's release run.
        MappedWindows.runAllThenThrow(bars.unmapAll(null), file::close, () -> {
            if (dma != null) {
                dma.close();
            }
        });
    }

    @Override
    public String toString() {
        return String.format("%s (%04x:%04x) via uio_msi %s, %s", address, vendorId, deviceId, uio.name(), interrupts);
    }
}
