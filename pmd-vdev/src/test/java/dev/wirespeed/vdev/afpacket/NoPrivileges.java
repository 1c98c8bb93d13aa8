/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.vdev.afpacket;

import dev.wirespeed.core.dma.AnonymousDmaDomain;
import dev.wirespeed.core.packet.PacketPool;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.core.port.Ports;
import dev.wirespeed.vdev.Sh;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Opens a port in a JVM run as user nobody with no capabilities ({@code setpriv}), printing the error:
 * how a user without CAP_NET_RAW / CAP_NET_ADMIN meets the port.
 */
public final class NoPrivileges {
    public static void main(String[] args) {
        try (AnonymousDmaDomain dma = new AnonymousDmaDomain("np"); PacketPool pool = PacketPool.create("np", dma, 64)) {
            Ports.open(args[0], PortConfig.builder().rxPool(pool).build()).close();
            System.out.println("OPENED");
        } catch (RuntimeException e) {
            System.out.println(e.getMessage());
        }
    }

    /** Runs {@link #main} as nobody without capabilities; its output. */
    public static Sh.Result open(String device) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // nobody may not reach the build tree (a checkout under a mode-700 directory): run from a copy of
        // the class path in a directory every user can read
        String cp = readableCopyOfClassPath();
        return Sh.run("setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all --bounding-set=-all "
                + java + " --enable-native-access=ALL-UNNAMED -cp " + cp + " " + NoPrivileges.class.getName() + " '" + device + "'");
    }

    private static String readableCopyOfClassPath() {
        try {
            Path dir = Files.createTempDirectory("wirespeed-np", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            dir.toFile().deleteOnExit();
            List<String> entries = new ArrayList<>();
            int i = 0;
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path from = Path.of(entry);
                if (!Files.exists(from)) {
                    continue;
                }
                Path to = dir.resolve((i++) + (Files.isDirectory(from) ? "" : ".jar"));
                try (Stream<Path> files = Files.walk(from)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        Path target = to.resolve(from.relativize(f).toString());
                        if (Files.isDirectory(f)) {
                            Files.createDirectories(target);
                        } else {
                            Files.copy(f, Files.isDirectory(from) ? target : to, StandardCopyOption.REPLACE_EXISTING);
                        }
                        Files.setPosixFilePermissions(Files.isDirectory(from) ? target : to,
                                PosixFilePermissions.fromString(Files.isDirectory(f) ? "rwxr-xr-x" : "rw-r--r--"));
                    }
                }
                entries.add(to.toString());
            }
            return String.join(File.pathSeparator, entries);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
