/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.samples.common;

import dev.wirespeed.core.os.LibC;
import picocli.CommandLine;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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

    /**
     * Runs a sample's command line and exits the JVM with its status. Ctrl-C or SIGTERM while it runs
     * calls {@code requestStop} and waits for the command to finish cleanly (threads stopped, queues
     * drained, final stats, pools checked), then exits with the command's own status, not the signal's.
     */
    public static void runAndExit(String name, Object command, Runnable requestStop, String[] args) {
        CommandLine cmd = configure(new CommandLine(command), name);
        OneLineLogging.install(name, new java.io.PrintWriter(System.err, true)); // drivers' events: one line each, on stderr
        handleSigintEvenIfIgnored();
        CountDownLatch finished = new CountDownLatch(1);
        int[] status = {1};
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (finished.getCount() == 0) {
                return; // normal exit
            }
            requestStop.run();
            try {
                if (finished.await(30, TimeUnit.SECONDS)) {
                    System.out.flush();
                    Runtime.getRuntime().halt(status[0]);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name + "-shutdown"));
        status[0] = cmd.execute(args);
        finished.countDown();
        System.exit(status[0]);
    }

    /**
     * A non-interactive shell starts a background job with SIGINT ignored, and the JVM installs its handler
     * (the one that runs the shutdown hooks) only for a signal not ignored at that moment: {@code kill -INT}
     * on a backgrounded sample did nothing. DPDK programs install theirs regardless; so do these. The
     * inherited "ignore" is reset to the default through sigaction, then the handler is registered as the
     * JVM's own would be (exit status 128 + 2, as the JVM's): the shutdown hook stops the run cleanly.
     * sun.misc.Signal is the supported way to register it (module jdk.unsupported; no --add-opens).
     */
    static void handleSigintEvenIfIgnored() {
        if (!LibC.signalIgnored(LibC.SIGINT)) {
            return; // the JVM's own handler is in place
        }
        LibC.defaultSignalAction(LibC.SIGINT);
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), signal -> System.exit(128 + LibC.SIGINT));
    }
}
