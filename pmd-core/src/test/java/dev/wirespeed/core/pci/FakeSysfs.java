/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.pci;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A sysfs tree laid out as the kernel lays it out: devices live under {@code devices/pci0000:00/},
 * {@code bus/pci/devices/<addr>} are symbolic links to them, and {@code driver}, {@code iommu_group},
 * {@code virtfnN} and {@code physfn} are relative links that only resolve because of that layout.
 * Writable attributes ({@code bind}, {@code unbind}, {@code new_id}, {@code driver_override},
 * {@code sriov_numvfs}) are plain files, so a test reads back what was written.
 *
 * <p>With a {@code /dev} directory it also shows what uio_msi creates ({@link Device#uio}): the UIO device
 * under {@code <device>/uio/uioN} with its {@code maps/mapI/{name,addr,size,offset}}, the driver's
 * {@code uio_msi/{irq_mode,num_vectors}}, and {@code /dev/uioN} as a regular file that can be mmap'ed and
 * written like the real node; each of its 32-bit words holds {@link #wordAt} its own offset, so a test
 * can tell which page a mapping landed on.
 */
public final class FakeSysfs {
    public static final String ABSENT = "0x0000000000000000 0x0000000000000000 0x0000000000000000\n";
    /** Flags of a 32-bit non-prefetchable memory BAR ({@code IORESOURCE_MEM} and the kernel's size-aligned bit). */
    public static final long MEM32 = 0x40200;
    /** Flags of a 64-bit memory BAR. */
    public static final long MEM64 = 0x140204;
    /** Flags of an I/O port BAR. */
    public static final long IO = 0x40101;
    private static final long PAGE_SIZE = 4096;

    final Path root;
    private final Path devRoot;

    /** A sysfs tree at {@code root}, without a {@code /dev}. */
    public FakeSysfs(Path root) {
        this(root, null);
    }

    /** A sysfs tree at {@code root} and a {@code /dev} directory at {@code devRoot} for UIO nodes. */
    public FakeSysfs(Path root, Path devRoot) {
        this.root = root;
        this.devRoot = devRoot;
        mkdirs(root.resolve("bus/pci/devices"));
        if (devRoot != null) {
            mkdirs(devRoot);
        }
    }

    /** The value the fake {@code /dev/uioN} holds at byte offset {@code offset} (a multiple of 4). */
    public static int wordAt(long offset) {
        return 0x5A000000 | (int) offset;
    }

    /** A device with Intel 82599 VF identity, BAR0 and BAR3 of 16 KiB, no driver, unknown NUMA node and no override. */
    Device device(String address) {
        return device(address, 0x8086, 0x10ed)
                .file("subsystem_device", "0x7b11\n")
                .bar(0, 0xfbe00000L, 0x4000, 0x14220c)
                .bar(3, 0xfbe04000L, 0x4000, 0x14220c);
    }

    /** An Ethernet function with the given ids, no BARs, no driver, NUMA node -1 and no override. */
    public Device device(String address, int vendor, int device) {
        Path dir = root.resolve("devices/pci0000:00").resolve(address);
        mkdirs(dir);
        link(root.resolve("bus/pci/devices").resolve(address), "../../../devices/pci0000:00/" + address);
        return new Device(dir)
                .file("vendor", String.format("0x%04x%n", vendor))
                .file("device", String.format("0x%04x%n", device))
                .file("subsystem_vendor", "0x8086\n")
                .file("subsystem_device", "0x0000\n")
                .file("class", "0x020000\n")
                .file("numa_node", "-1\n")
                .file("driver_override", "(null)\n");
    }

    /** A loaded driver: its directory with empty bind, unbind and new_id files. */
    public Path driver(String name) {
        Path dir = root.resolve("bus/pci/drivers").resolve(name);
        mkdirs(dir);
        for (String file : new String[] {"bind", "unbind", "new_id"}) {
            write(dir.resolve(file), "");
        }
        return dir;
    }

    public final class Device {
        public final Path dir;
        private final List<String> resources = new ArrayList<>(List.of(ABSENT, ABSENT, ABSENT, ABSENT, ABSENT, ABSENT, ABSENT));

        /** The device whose sysfs directory is {@code dir}, which must exist; starts with no BARs. */
        public Device(Path dir) {
            this.dir = dir;
            file("resource", String.join("", resources));
        }

        public Device file(String name, String content) {
            mkdirs(dir.resolve(name).getParent());
            write(dir.resolve(name), content);
            return this;
        }

        public Device without(String name) {
            try {
                Files.delete(dir.resolve(name));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        /** Sets BAR {@code index} in the {@code resource} file; the slot above a 64-bit BAR stays empty, as the kernel shows it. */
        public Device bar(int index, long start, long size, long flags) {
            resources.set(index, String.format("0x%016x 0x%016x 0x%016x%n", start, start + size - 1, flags));
            return file("resource", String.join("", resources));
        }

        public Device boundTo(String driverName) {
            if (!Files.isDirectory(root.resolve("bus/pci/drivers").resolve(driverName))) {
                driver(driverName);
            }
            link(dir.resolve("driver"), "../../../bus/pci/drivers/" + driverName);
            return this;
        }

        /** Puts the device in IOMMU group {@code group}: its {@code iommu_group} link and the group's {@code devices/} entry. */
        public Device iommuGroup(int group) {
            Path groupDir = root.resolve("kernel/iommu_groups/" + group);
            mkdirs(groupDir.resolve("devices"));
            link(dir.resolve("iommu_group"), "../../../kernel/iommu_groups/" + group);
            link(groupDir.resolve("devices").resolve(dir.getFileName()), dir.toString());
            return this;
        }

        public Device sriov(int total, int enabled) {
            return file("sriov_totalvfs", total + "\n").file("sriov_numvfs", enabled + "\n");
        }

        public Device virtfn(int n, String vfAddress) {
            link(dir.resolve("virtfn" + n), "../" + vfAddress);
            return this;
        }

        /** A kernel network interface of this function, {@code net/<name>}, as its kernel driver creates it. */
        public Device net(String name) {
            mkdirs(dir.resolve("net").resolve(name));
            return this;
        }

        public Device physfn(String pfAddress) {
            link(dir.resolve("physfn"), "../" + pfAddress);
            return this;
        }

        /** What uio_msi's probe creates: the UIO device {@code uioN} with no maps yet, and the irq attributes. */
        public Uio uio(int n, String mode, int vectors) {
            if (devRoot == null) {
                throw new IllegalStateException("this fake sysfs has no /dev: construct it with a devRoot");
            }
            Path uioDir = dir.resolve("uio/uio" + n);
            mkdirs(uioDir);
            write(uioDir.resolve("name"), "uio_msi\n");
            write(uioDir.resolve("dev"), "243:" + n + "\n");
            file("uio_msi/irq_mode", mode + "\n");
            file("uio_msi/num_vectors", vectors + "\n");
            return new Uio(uioDir, devRoot.resolve("uio" + n));
        }

        public String read(String name) {
            return FakeSysfs.read(dir.resolve(name));
        }
    }

    /** A UIO device in sysfs and its {@code /dev} node. */
    public static final class Uio {
        public final Path dir;
        public final Path node;
        private int maps;

        Uio(Path dir, Path node) {
            this.dir = dir;
            this.node = node;
        }

        /** Adds the next UIO memory map, as the UIO core shows it in sysfs. */
        public Uio map(String name, long address, long size) {
            Path mapDir = dir.resolve("maps/map" + maps++);
            mkdirs(mapDir);
            write(mapDir.resolve("name"), name + "\n");
            write(mapDir.resolve("addr"), String.format("0x%016x%n", address));
            write(mapDir.resolve("size"), String.format("0x%016x%n", size));
            write(mapDir.resolve("offset"), "0x0\n");
            return this;
        }

        /** Creates {@code /dev/uioN} as a regular file of {@code pages} pages filled with {@link #wordAt}. */
        public Uio node(int pages) {
            ByteBuffer content = ByteBuffer.allocate(pages * (int) PAGE_SIZE).order(ByteOrder.nativeOrder());
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
        public int nodeWord(long offset) {
            try {
                byte[] bytes = Files.readAllBytes(node);
                return ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder()).getInt((int) offset);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void write(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void link(Path link, String target) {
        try {
            Files.createSymbolicLink(link, Path.of(target));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
