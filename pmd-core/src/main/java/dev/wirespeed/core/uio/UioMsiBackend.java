/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.uio;

import dev.wirespeed.core.device.InterruptMode;
import dev.wirespeed.core.dma.DmaDomain;
import dev.wirespeed.core.dma.HugepageDmaDomain;
import dev.wirespeed.core.pci.NoSuchPciDeviceException;
import dev.wirespeed.core.pci.PciAddress;
import dev.wirespeed.core.pci.PciSysfs;
import dev.wirespeed.core.port.pci.PciBackend;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reaches PCI functions bound to the {@code uio_msi} kernel driver (see {@code driver/README.md}): finds
 * the function's UIO device, opens its {@code /dev/uioN}, and reads the interrupt mode and vector count
 * the driver chose. Registered for {@link java.util.ServiceLoader}, so {@code pci:} ports use it for
 * every device bound to uio_msi.
 *
 * <p>Each missing precondition (module not loaded, device bound elsewhere, no permission) fails with a
 * message giving the command that fixes it.
 */
public final class UioMsiBackend implements PciBackend {
    private final Path devDirectory;
    private final Supplier<? extends DmaDomain> dmaFactory;

    /** Device nodes in {@code /dev}, DMA memory from the first 2 MiB hugetlbfs mount. */
    public UioMsiBackend() {
        this(Path.of("/dev"), HugepageDmaDomain::open);
    }

    /**
     * @param devDirectory where the {@code uioN} device nodes are ({@code /dev} on a real system)
     * @param dmaFactory   makes each opened function's DMA domain, on its first {@code dma()} call
     */
    public UioMsiBackend(Path devDirectory, Supplier<? extends DmaDomain> dmaFactory) {
        this.devDirectory = Objects.requireNonNull(devDirectory, "devDirectory");
        this.dmaFactory = Objects.requireNonNull(dmaFactory, "dmaFactory");
    }

    @Override
    public String kernelDriver() {
        return UioMsiAbi.DRIVER;
    }

    /** Opens the function at {@code address} in the running system's {@code /sys}. */
    public UioMsiFunction open(PciAddress address) {
        return open(address, PciSysfs.system());
    }

    @Override
    public UioMsiFunction open(PciAddress address, PciSysfs sysfs) {
        requireBound(address, sysfs);
        Path pciDir = sysfs.deviceDirectory(address);
        UioDevice uio = UioDevice.of(address, pciDir);
        InterruptMode mode = UioMsiAbi.parseMode(UioDevice.read(pciDir.resolve(UioMsiAbi.SYSFS_IRQ_MODE)));
        int count = UioDevice.readDecimal(pciDir.resolve(UioMsiAbi.SYSFS_NUM_VECTORS));
        if (count < 0 || count > UioMsiAbi.MAX_VECTORS) {
            throw UioDevice.malformed(pciDir.resolve(UioMsiAbi.SYSFS_NUM_VECTORS),
                    "expected 0-" + UioMsiAbi.MAX_VECTORS + " vectors, found " + count);
        }
        int vendor = sysfs.vendorId(address);
        int device = sysfs.deviceId(address);
        // Opened last: everything above only reads sysfs, so a failure there leaves nothing to close.
        UioFile file = UioFile.open(devDirectory.resolve(uio.name()), uio.directory(), address + " (" + uio.name() + ")");
        return new UioMsiFunction(address, vendor, device, uio, file, new UioMsiInterrupts(address, file::writeCommand, mode, count),
                () -> sysfs.resources(address), dmaFactory);
    }

    /** Checks, in the order a user fixes them: the device exists, the module is loaded, the device is bound to it. */
    static void requireBound(PciAddress address, PciSysfs sysfs) {
        if (!sysfs.exists(address)) {
            throw new NoSuchPciDeviceException(address, sysfs.deviceDirectory(address));
        }
        if (!sysfs.isDriverLoaded(UioMsiAbi.DRIVER)) {
            throw new IllegalStateException(moduleNotLoaded(sysfs, UioMsiLoadCommand.forThisMachine()));
        }
        Optional<String> bound = sysfs.driver(address);
        if (bound.isEmpty() || !bound.get().equals(UioMsiAbi.DRIVER)) {
            throw new IllegalStateException(address + " is " + bound.map(d -> "bound to " + d).orElse("not bound to any driver")
                    + ", not uio_msi; bind it as root with bin/devbind --bind uio_msi " + address
                    + bound.map(d -> " (this detaches it from " + d + ")").orElse(""));
        }
    }

    /** @param load the command that loads it on this machine, see {@link UioMsiLoadCommand} */
    static String moduleNotLoaded(PciSysfs sysfs, String load) {
        return "the uio_msi kernel module is not loaded (" + sysfs.driverDirectory(UioMsiAbi.DRIVER) + " does not exist);"
                + " load it with " + load + " (see driver/README.md)";
    }

    @Override
    public String toString() {
        return "UioMsiBackend[" + devDirectory + "]";
    }
}
