/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.uio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The command that loads uio_msi on this machine, for messages. {@code modprobe uio_msi} only works once
 * the module is installed for the running kernel ({@code make -C driver install} or DKMS put it under
 * {@code /lib/modules/<release>/}); from a fresh clone it fails with "Module uio_msi not found", so then
 * the advice is to build it and insmod it from the checkout. insmod resolves no dependencies, hence the
 * {@code modprobe uio} (the UIO core, a module on most distributions) before it.
 */
public final class UioMsiLoadCommand {
    static final String OPT_IN = "allow_unsafe_dma=1";
    static final String FROM_CHECKOUT = "make -C driver && sudo modprobe uio && sudo insmod driver/uio_msi.ko " + OPT_IN;
    static final String INSTALLED = "sudo modprobe uio_msi " + OPT_IN;

    private UioMsiLoadCommand() {
    }

    /** For the running kernel, looking under {@code /lib/modules}. */
    public static String forThisMachine() {
        return of(Path.of("/lib/modules"), System.getProperty("os.version")); // os.version is uname -r on Linux
    }

    /**
     * The command with a note where it runs: {@code `sudo modprobe uio_msi allow_unsafe_dma=1`} when a
     * {@code uio_msi.ko} (possibly compressed) lies under {@code <modules>/<release>}, else the build
     * and insmod from the repository root.
     */
    static String of(Path modules, String release) {
        return installed(modules.resolve(release)) ? "`" + INSTALLED + "`"
                : "`" + FROM_CHECKOUT + "` from the wirespeed checkout (or `sudo make -C driver install`, then `"
                        + INSTALLED + "`)";
    }

    private static boolean installed(Path tree) {
        if (!Files.isDirectory(tree)) {
            return false;
        }
        try (Stream<Path> files = Files.walk(tree)) {
            return files.anyMatch(p -> p.getFileName().toString().matches("uio_msi\\.ko(\\.(xz|gz|zst))?"));
        } catch (IOException | UncheckedIOException e) {
            return false; // unreadable parts of the tree: advise what works without an installed module
        }
    }
}
