/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.samples.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs host commands (ip, ping, iperf3, tcpdump, tshark) for the end-to-end tests, with hang guards. */
final class Host {
    record Output(int exit, String text) {
    }

    private Host() {
    }

    static Output run(int timeoutSeconds, String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[][] out = new byte[1][];
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    out[0] = p.getInputStream().readAllBytes();
                } catch (IOException e) {
                    out[0] = e.toString().getBytes(StandardCharsets.UTF_8);
                }
            });
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                reader.join(5_000);
                return new Output(-1, "timed out after " + timeoutSeconds + " s: " + String.join(" ", command));
            }
            reader.join(5_000);
            return new Output(p.exitValue(), out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Output(-2, "cannot run " + command[0] + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Output(-3, "interrupted");
        }
    }

    /** Runs a command that must succeed; the exception names the command and its output. */
    static String check(int timeoutSeconds, String... command) {
        Output o = run(timeoutSeconds, command);
        if (o.exit() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (" + o.exit() + "): " + o.text());
        }
        return o.text();
    }

    static boolean has(String tool) {
        return run(10, "sh", "-c", "command -v " + tool).exit() == 0;
    }

    static boolean isRoot() {
        return run(10, "id", "-u").text().trim().equals("0");
    }

    /** Installs iperf3, tcpdump and tshark with apt-get when one is missing (CI images are minimal). */
    static void installTools() {
        if (has("iperf3") && has("tcpdump") && has("tshark") || !has("apt-get")) {
            return;
        }
        run(60, "sh", "-c", "echo 'wireshark-common wireshark-common/install-setuid boolean false' | debconf-set-selections");
        run(600, "sh", "-c", "DEBIAN_FRONTEND=noninteractive apt-get update -q && DEBIAN_FRONTEND=noninteractive "
                + "apt-get install -y -q --no-install-recommends iperf3 tcpdump tshark");
    }

    /** Starts a long-running command (tcpdump, iperf3 -s), output to {@code log}. */
    static Process start(Path log, String... command) throws IOException {
        return new ProcessBuilder(List.of(command)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Waits until {@code ip link show NAME} finds the interface in the root namespace. */
    static void awaitInterface(String name, int timeoutSeconds) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (run(10, "ip", "link", "show", "dev", name).exit() != 0) {
            if (System.nanoTime() > end) {
                throw new IllegalStateException("interface " + name + " did not appear within " + timeoutSeconds + " s");
            }
            Thread.sleep(100);
        }
    }

    static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }
}
