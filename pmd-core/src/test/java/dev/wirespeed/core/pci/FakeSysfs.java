/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.pci;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A sysfs tree laid out as the kernel lays it out: devices live under {@code devices/pci0000:00/},
 * {@code bus/pci/devices/<addr>} are symbolic links to them, and {@code driver}, {@code iommu_group},
 * {@code virtfnN} and {@code physfn} are relative links that only resolve because of that layout.
 * Writable attributes ({@code bind}, {@code unbind}, {@code new_id}, {@code driver_override},
 * {@code sriov_numvfs}) are plain files, so a test reads back what was written.
 */
final class FakeSysfs {
    static final String ABSENT = "0x0000000000000000 0x0000000000000000 0x0000000000000000\n";

    final Path root;

    FakeSysfs(Path root) {
        this.root = root;
    }

    /** A device with Intel 82599 VF identity, no driver, unknown NUMA node and no override. */
    Device device(String address) {
        Path dir = root.resolve("devices/pci0000:00").resolve(address);
        mkdirs(dir);
        Path busLink = root.resolve("bus/pci/devices").resolve(address);
        mkdirs(busLink.getParent());
        link(busLink, "../../../devices/pci0000:00/" + address);
        return new Device(dir)
                .file("vendor", "0x8086\n")
                .file("device", "0x10ed\n")
                .file("subsystem_vendor", "0x8086\n")
                .file("subsystem_device", "0x7b11\n")
                .file("class", "0x020000\n")
                .file("numa_node", "-1\n")
                .file("driver_override", "(null)\n")
                .file("resource", "0x00000000fbe00000 0x00000000fbe03fff 0x000000000014220c\n" + ABSENT + ABSENT
                        + "0x00000000fbe04000 0x00000000fbe07fff 0x000000000014220c\n" + ABSENT + ABSENT + ABSENT);
    }

    /** A loaded driver: its directory with empty bind, unbind and new_id files. */
    Path driver(String name) {
        Path dir = root.resolve("bus/pci/drivers").resolve(name);
        mkdirs(dir);
        for (String file : new String[] {"bind", "unbind", "new_id"}) {
            write(dir.resolve(file), "");
        }
        return dir;
    }

    final class Device {
        final Path dir;

        Device(Path dir) {
            this.dir = dir;
        }

        Device file(String name, String content) {
            write(dir.resolve(name), content);
            return this;
        }

        Device without(String name) {
            try {
                Files.delete(dir.resolve(name));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        Device boundTo(String driverName) {
            if (!Files.isDirectory(root.resolve("bus/pci/drivers").resolve(driverName))) {
                driver(driverName);
            }
            link(dir.resolve("driver"), "../../../bus/pci/drivers/" + driverName);
            return this;
        }

        Device iommuGroup(int group) {
            mkdirs(root.resolve("kernel/iommu_groups/" + group));
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

        String read(String name) {
            return FakeSysfs.read(dir.resolve(name));
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void link(Path link, String target) {
        try {
            Files.createSymbolicLink(link, Path.of(target));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
