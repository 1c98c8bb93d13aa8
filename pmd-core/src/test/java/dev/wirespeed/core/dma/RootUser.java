/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.dma;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether the tests run as root, which real hugepage tests need (to resize the pool, mount, read PFNs). */
final class RootUser {
    static final String SKIP_MESSAGE = "needs root: resizing the hugepage pool, mounting hugetlbfs and reading"
            + " physical addresses from /proc/self/pagemap are root-only (CI and the dev machine run as root)";

    private RootUser() {
    }

    /** True if the effective user id (third field of the "Uid:" line of /proc/self/status) is 0. */
    static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.substring(4).trim().split("\\s+")[1].equals("0");
                }
            }
            throw new IllegalStateException("/proc/self/status has no Uid: line");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
