/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.samples.l2fwd;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class L2fwdTest {
    private record Result(int exit, String out, String err) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new L2fwd(out));
        cmd.setErr(new PrintWriter(err, true));
        cmd.setOut(new PrintWriter(out, true));
        cmd.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("l2fwd: " + e.getMessage());
            return 2;
        });
        int exit = cmd.execute(args);
        return new Result(exit, bytes.toString(StandardCharsets.UTF_8), err.toString());
    }

    @Test
    void forwardsBetweenTwoNullPortsStopsCleanlyAndReturnsEveryBuffer() {
        Result r = run("--duration", "1", "-T", "0");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("port 0: null:size=64").contains("promiscuous on").contains("== final")
                .contains("all packet buffers returned to their pools");
        // Something was forwarded: the final totals are not zero.
        assertThat(r.out()).containsPattern("total .*\\| rx [1-9][0-9,]*  tx [1-9]");
    }

    @Test
    void jsonStatsAreOneObjectPerLine() {
        Result r = run("--duration", "1.5", "-T", "1", "--stats-format", "json", "--no-mac-updating", "--idle", "backoff");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out().lines().filter(l -> l.startsWith("{\"event\":")))
                .hasSizeGreaterThanOrEqualTo(2)
                .allSatisfy(l -> assertThat(l).endsWith("}").contains("\"ports\":[{\"id\":0").contains("\"total\":{"));
    }

    @Test
    void badOptionsGiveOneClearLineAndANonZeroExit() {
        assertThat(run("--dev", "null:", "--dev", "null:", "--dev", "null:").err())
                .contains("3 port(s) are enabled; give an even number");
        assertThat(run("-p", "4").err()).contains("port mask 0x4 names ports that were not given");
        assertThat(run("-p", "zz").err()).contains("invalid port mask 'zz'");
        assertThat(run("--dev", "bogus:1", "--dev", "null:").err()).contains("unknown scheme 'bogus'");
        assertThat(run("--lcores", "0-999").err()).contains("is not available");
        assertThat(run("--burst", "0").err()).contains("--burst must be 1..512");
        assertThat(run("--idle", "sleepy").err()).contains("expected spin");
        Result r = run("--dev", "pci:0000:7f:1f.7", "--dev", "null:");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("no PCI device 0000:7f:1f.7");
    }

    @Test
    void helpListsTheOptionsAndDeviceStrings() {
        Result r = run("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("--dev").contains("--lcores").contains("--[no-]mac-updating").contains("null:[size=BYTES]");
    }
}
