/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.uio;

import dev.wirespeed.core.pci.PciSysfs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A sysfs tree and a {@code /dev} directory as the kernel lays them out for PCI functions and uio_msi:
 * devices under {@code sys/devices/pci0000:00/}, {@code sys/bus/pci/devices/<addr>} linking to them,
 * {@code driver}, {@code physfn}, {@code virtfnN}, {@code iommu_group} as relative links, the UIO
 * device under {@code <device>/uio/uioN} with its {@code maps/mapI/{name,addr,size,offset}} and the
 * driver's {@code uio_msi/{irq_mode,num_vectors}}. The {@code /dev/uioN} node is a regular file, which
 * can be mmap'ed and written like the real node; each of its 32-bit words holds a value derived from
 * its own offset, so a test can tell which page a mapping landed on.
 */
final class FakeUioTree {
    static final String ABSENT = "0x0000000000000000 0x0000000000000000 0x0000000000000000";
    /** Flags of a 32-bit non-prefetchable memory BAR ({@code IORESOURCE_MEM} and the kernel's size-aligned bit). */
    static final long MEM32 = 0x40200;
    /** Flags of a 64-bit memory BAR. */
    static final long MEM64 = 0x140204;
    /** Flags of an I/O port BAR. */
    static final long IO = 0x40101;

    final Path sys;
    final Path dev;
    final PciSysfs sysfs;

    FakeUioTree(Path tmp) {
        this.sys = tmp.resolve("sys");
        this.dev = tmp.resolve("dev");
        mkdirs(sys.resolve("bus/pci/devices"));
        mkdirs(dev);
        this.sysfs = new PciSysfs(sys);
    }

    /** The value the fake {@code /dev/uioN} holds at byte offset {@code offset} (a multiple of 4). */
    static int wordAt(long offset) {
        return 0x5A000000 | (int) offset;
    }

    /** A loaded PCI driver: its directory with empty bind, unbind and new_id files. */
    Path driver(String name) {
        Path dir = sys.resolve("bus/pci/drivers").resolve(name);
        mkdirs(dir);
        for (String file : new String[] {"bind", "unbind", "new_id"}) {
            write(dir.resolve(file), "");
        }
        return dir;
    }

    /** The uio_msi module loaded, with {@code allow_unsafe_dma} set as given. */
    void uioMsiModule(boolean allowUnsafeDma) {
        driver("uio_msi");
        Path params = sys.resolve("module/uio_msi/parameters");
        mkdirs(params);
        write(params.resolve("allow_unsafe_dma"), allowUnsafeDma ? "Y\n" : "N\n");
    }

    /** An Ethernet function with the given ids, no driver, NUMA node -1 and no override. */
    Device device(String address, int vendor, int device) {
        Path dir = sys.resolve("devices/pci0000:00").resolve(address);
        mkdirs(dir);
        link(sys.resolve("bus/pci/devices").resolve(address), "../../../devices/pci0000:00/" + address);
        return new Device(dir)
                .file("vendor", String.format("0x%04x%n", vendor))
                .file("device", String.format("0x%04x%n", device))
                .file("subsystem_vendor", "0x8086\n")
                .file("subsystem_device", "0x0000\n")
                .file("class", "0x020000\n")
                .file("numa_node", "-1\n")
                .file("driver_override", "(null)\n");
    }

    final class Device {
        final Path dir;
        private final List<String> resources = new ArrayList<>(List.of(ABSENT, ABSENT, ABSENT, ABSENT, ABSENT, ABSENT, ABSENT));

        Device(Path dir) {
            this.dir = dir;
            file("resource", String.join("\n", resources) + "\n");
        }

        Device file(String name, String content) {
            mkdirs(dir.resolve(name).getParent());
            write(dir.resolve(name), content);
            return this;
        }

        /** Sets BAR {@code index} in the {@code resource} file; the slot above a 64-bit BAR stays empty, as the kernel shows it. */
        Device bar(int index, long start, long size, long flags) {
            resources.set(index, String.format("0x%016x 0x%016x 0x%016x", start, start + size - 1, flags));
            return file("resource", String.join("\n", resources) + "\n");
        }

        Device boundTo(String driverName) {
            if (!Files.isDirectory(sys.resolve("bus/pci/drivers").resolve(driverName))) {
                driver(driverName);
            }
            link(dir.resolve("driver"), "../../../bus/pci/drivers/" + driverName);
            return this;
        }

        Device iommuGroup(int group) {
            mkdirs(sys.resolve("kernel/iommu_groups/" + group));
            link(dir.resolve("iommu_group"), "../../../kernel/iommu_groups/" + group);
            return this;
        }

        Device sriov(int total, int enabled) {
            return file("sriov_totalvfs", total + "\n").file("sriov_numvfs", enabled + "\n");
        }

        Device virtfn(int n, String vfAddress) {
            link(dir.resolve("virtfn" + n), "../" + vfAddress);
            return this;
        }

        Device physfn(String pfAddress) {
            link(dir.resolve("physfn"), "../" + pfAddress);
            return this;
        }

        /** What uio_msi's probe creates: the UIO device {@code uioN} with no maps yet, and the irq attributes. */
        Uio uio(int n, String mode, int vectors) {
            Path uioDir = dir.resolve("uio/uio" + n);
            mkdirs(uioDir);
            write(uioDir.resolve("name"), "uio_msi\n");
            write(uioDir.resolve("dev"), "243:" + n + "\n");
            file("uio_msi/irq_mode", mode + "\n");
            file("uio_msi/num_vectors", vectors + "\n");
            return new Uio(uioDir, dev.resolve("uio" + n));
        }

        String read(String name) {
            return FakeUioTree.read(dir.resolve(name));
        }
    }

    static final class Uio {
        final Path dir;
        final Path node;
        private int maps;

        Uio(Path dir, Path node) {
            this.dir = dir;
            this.node = node;
        }

        /** Adds the next UIO memory map, as the UIO core shows it in sysfs. */
        Uio map(String name, long address, long size) {
            Path mapDir = dir.resolve("maps/map" + maps++);
            mkdirs(mapDir);
            write(mapDir.resolve("name"), name + "\n");
            write(mapDir.resolve("addr"), String.format("0x%016x%n", address));
            write(mapDir.resolve("size"), String.format("0x%016x%n", size));
            write(mapDir.resolve("offset"), "0x0\n");
            return this;
        }

        /** Creates {@code /dev/uioN} as a regular file of {@code pages} pages filled with {@link #wordAt}. */
        Uio node(int pages) {
            ByteBuffer content = ByteBuffer.allocate(pages * (int) UioMsiFunction.PAGE_SIZE).order(ByteOrder.nativeOrder());
            for (int offset = 0; offset < content.capacity(); offset += 4) {
                content.putInt(offset, wordAt(offset));
            }
            try {
                Files.write(node, content.array());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        /** The node's 32-bit word at {@code offset}, in the CPU's byte order (as the kernel reads a written s32). */
        int nodeWord(long offset) {
            try {
                byte[] bytes = Files.readAllBytes(node);
                return ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).getInt((int) offset);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void link(Path link, String target) {
        try {
            Files.createSymbolicLink(link, Path.of(target));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
