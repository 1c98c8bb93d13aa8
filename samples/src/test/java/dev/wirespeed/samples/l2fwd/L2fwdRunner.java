/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.samples.l2fwd;

import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Runs l2fwd in this JVM on a thread of its own, for tests in other packages; stop() is Ctrl-C. */
public final class L2fwdRunner {
    private final L2fwd app;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final Thread thread;
    private volatile int exit = -1;

    private L2fwdRunner(String... args) {
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        app = new L2fwd(out);
        CommandLine cmd = new CommandLine(app);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(out, true));
        cmd.setExecutionExceptionHandler((e, line, parsed) -> {
            out.println("l2fwd: " + e.getMessage());
            return 2;
        });
        thread = Thread.ofPlatform().name("l2fwd-main").start(() -> exit = cmd.execute(args));
    }

    public static L2fwdRunner start(String... args) {
        return new L2fwdRunner(args);
    }

    /** Runs to the end (give --duration) and returns the output; fails on a non-zero exit. */
    public static String run(String... args) throws InterruptedException {
        L2fwdRunner r = new L2fwdRunner(args);
        r.thread.join(120_000);
        return r.finish();
    }

    /** What l2fwd has printed so far. */
    public String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /**
     * Waits until what l2fwd has printed satisfies {@code done} (e.g. it is forwarding, or a report shows it
     * slept): a test acts on l2fwd's state, not on a guess of how long it takes to get there. Hang guard 60 s;
     * fails at once if l2fwd ended.
     */
    public void awaitOutput(String what, Predicate<String> done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!done.test(output())) {
            if (!thread.isAlive()) {
                throw new AssertionError("l2fwd ended (exit " + exit + ") before " + what + ":\n" + output());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("l2fwd did not get to " + what + " within 60 s:\n" + output());
            }
            Thread.sleep(10);
        }
    }

    /** Stops l2fwd as Ctrl-C does, waits for it and returns what it printed; fails on a non-zero exit. */
    public String stop() throws InterruptedException {
        app.requestStop();
        thread.join(60_000);
        return finish();
    }

    private String finish() {
        String out = bytes.toString(StandardCharsets.UTF_8);
        if (thread.isAlive()) {
            throw new AssertionError("l2fwd did not stop within the hang guard:\n" + out);
        }
        if (exit != 0) {
            throw new AssertionError("l2fwd exited with " + exit + ":\n" + out);
        }
        return out;
    }
}
