/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Host commands the wire tests check their results with (tshark, tcpdump, ip). On a fresh Debian
 * machine running as root, a missing tool is installed with apt-get, non-interactively, so CI's
 * {@code ./test} needs no preparation; elsewhere the caller skips with a message.
 */
public final class HostTools {
    private HostTools() {
    }

    public record Result(int exit, String output) {
    }

    public static boolean isRoot() {
        try {
            return run(10, "id", "-u").output().trim().equals("0");
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Whether {@code command} is on the PATH. */
    public static boolean has(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", command)) || Files.isExecutable(Path.of("/usr/bin", command));
    }

    /**
     * Makes {@code command} available, installing Debian package {@code pkg} if it is missing and we are
     * root; returns false when it cannot be had.
     */
    public static synchronized boolean ensure(String command, String pkg) {
        if (has(command)) {
            return true;
        }
        if (!isRoot() || !has("apt-get")) {
            return false;
        }
        // tshark asks whether non-root users may capture; preseed "no" so the install never prompts
        run(60, "sh", "-c", "echo 'wireshark-common wireshark-common/install-setuid boolean false' | debconf-set-selections");
        Result r = run(600, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "--no-install-recommends", pkg);
        if (r.exit() != 0) {
            run(600, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "update");
            run(600, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "--no-install-recommends", pkg);
        }
        return has(command);
    }

    /** Runs a command to completion (stderr merged); fails only if it cannot be started or hangs. */
    public static Result run(int timeoutSeconds, String... command) {
        return run(timeoutSeconds, List.of(command));
    }

    public static Result run(int timeoutSeconds, List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("'" + String.join(" ", command) + "' did not finish in " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot run '" + String.join(" ", command) + "': " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Like {@link #run} but fails with the command's output unless it exits 0. */
    public static String check(int timeoutSeconds, String... command) {
        Result r = run(timeoutSeconds, command);
        if (r.exit() != 0) {
            throw new IllegalStateException("'" + String.join(" ", command) + "' exited " + r.exit() + ": " + r.output());
        }
        return r.output();
    }
}
