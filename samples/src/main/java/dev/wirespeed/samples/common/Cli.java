/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.samples.common;

import picocli.CommandLine;

/**
 * How the samples report a bad command line: one line naming the problem (and where to look) on stderr,
 * exit status 2, instead of picocli's message followed by the whole usage text.
 */
public final class Cli {
    public static final int BAD_USAGE = 2;

    private Cli() {
    }

    public static CommandLine configure(CommandLine cmd, String name) {
        cmd.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println(name + ": " + e.getMessage() + " (see " + name + " --help)");
            return BAD_USAGE;
        });
        cmd.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println(name + ": " + e.getMessage());
            return BAD_USAGE;
        });
        return cmd;
    }
}
