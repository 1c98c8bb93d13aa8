/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.uio;

import dev.wirespeed.core.pci.FakeSysfs;
import dev.wirespeed.core.pci.PciSysfs;

import java.nio.file.Path;

/**
 * A fake {@code /sys} and {@code /dev} under a temporary directory, as the uio tests need them: the PCI
 * part and the UIO devices come from {@link FakeSysfs}; this adds the uio_msi module and the
 * {@link PciSysfs} reading the tree.
 */
final class FakeUioTree {
    final Path sys;
    final Path dev;
    final PciSysfs sysfs;
    final FakeSysfs fake;

    FakeUioTree(Path tmp) {
        this.sys = tmp.resolve("sys");
        this.dev = tmp.resolve("dev");
        this.fake = new FakeSysfs(sys, dev);
        this.sysfs = new PciSysfs(sys);
    }

    /** A loaded PCI driver: its directory with empty bind, unbind and new_id files. */
    Path driver(String name) {
        return fake.driver(name);
    }

    /** The uio_msi module loaded, with {@code allow_unsafe_dma} set as given. */
    void uioMsiModule(boolean allowUnsafeDma) {
        driver("uio_msi");
        Path params = sys.resolve("module/uio_msi/parameters");
        FakeSysfs.mkdirs(params);
        FakeSysfs.write(params.resolve("allow_unsafe_dma"), allowUnsafeDma ? "Y\n" : "N\n");
    }

    /** An Ethernet function with the given ids, no BARs, no driver, NUMA node -1 and no override. */
    FakeSysfs.Device device(String address, int vendor, int device) {
        return fake.device(address, vendor, device);
    }
}
