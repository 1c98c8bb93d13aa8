/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.vdev.afpacket;

import dev.wirespeed.core.dma.AnonymousDmaDomain;
import dev.wirespeed.core.packet.PacketPool;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.core.port.Ports;
import dev.wirespeed.vdev.Sh;

import java.nio.file.Path;

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
        String cp = System.getProperty("java.class.path");
        // the class path is readable by nobody only if its directories are; they are under the build tree
        return Sh.run("setpriv --reuid=nobody --regid=nogroup --clear-groups --inh-caps=-all --bounding-set=-all "
                + java + " --enable-native-access=ALL-UNNAMED -cp " + cp + " " + NoPrivileges.class.getName() + " '" + device + "'");
    }
}
