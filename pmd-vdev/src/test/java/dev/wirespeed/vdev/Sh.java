/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.vdev;

import java.io.File;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

/** Shell lines for the tests that need real interfaces (ip link …); output captured through a file. */
public final class Sh {
    private Sh() {
    }

    public record Result(int exit, String output) {
    }

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Runs {@code sh -c line} for at most 60 s; the exit code and combined output. */
    public static Result run(String line) {
        try {
            File log = File.createTempFile("vdev-sh", ".log");
            try {
                Process p = new ProcessBuilder("sh", "-c", line).redirectErrorStream(true).redirectOutput(log).start();
                boolean done = p.waitFor(60, TimeUnit.SECONDS);
                if (!done) {
                    p.destroyForcibly().waitFor();
                }
                return new Result(done ? p.exitValue() : -1, Files.readString(log.toPath()));
            } finally {
                log.delete();
            }
        } catch (Exception e) {
            return new Result(-2, e.toString());
        }
    }

    /** Runs a line that must succeed. */
    public static String ok(String line) {
        Result r = run(line);
        if (r.exit() != 0) {
            throw new IllegalStateException("'" + line + "' failed (" + r.exit() + "): " + r.output());
        }
        return r.output();
    }
}
