/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.dma;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A sysfs hugepage pool and a mount table written into a test directory, for {@link Hugepages}. */
final class FakeSystem {
    final Path sysfs;
    final Path pool;
    final Path procMounts;

    FakeSystem(Path root) {
        this.sysfs = root.resolve("sys/kernel/mm/hugepages");
        this.pool = sysfs.resolve("hugepages-2048kB");
        this.procMounts = root.resolve("proc/mounts");
        try {
            Files.createDirectories(pool);
            Files.createDirectories(procMounts.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        pool(0, 0, 0, 0);
        mounts("proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n");
    }

    FakeSystem pool(long total, long free, long reserved, long surplus) {
        write(pool.resolve("nr_hugepages"), total + "\n");
        write(pool.resolve("free_hugepages"), free + "\n");
        write(pool.resolve("resv_hugepages"), reserved + "\n");
        write(pool.resolve("surplus_hugepages"), surplus + "\n");
        return this;
    }

    FakeSystem overcommit(long pages) {
        write(pool.resolve("nr_overcommit_hugepages"), pages + "\n");
        return this;
    }

    FakeSystem mounts(String table) {
        write(procMounts, table);
        return this;
    }

    Hugepages hugepages() {
        return new Hugepages(sysfs, procMounts);
    }

    String read(String counter) {
        try {
            return Files.readString(pool.resolve(counter));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
