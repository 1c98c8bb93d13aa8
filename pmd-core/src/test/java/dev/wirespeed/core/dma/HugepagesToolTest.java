/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.dma;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class HugepagesToolTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(FakeSystem fake, String... args) {
        return new HugepagesTool(fake.hugepages(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void showIsTheDefaultAndPrintsCountersAndMounts() {
        FakeSystem fake = new FakeSystem(dir).pool(16, 10, 2, 1)
                .mounts("nodev /dev/hugepages hugetlbfs rw,relatime,pagesize=2M 0 0\n");

        assertThat(run(fake)).isEqualTo(HugepagesTool.OK);

        assertThat(out())
                .containsPattern("total\\s+16\\s+\\(32 MiB\\)")
                .containsPattern("free\\s+10\\s+\\(20 MiB\\)")
                .containsPattern("reserved\\s+2\\s+\\(4 MiB\\)")
                .containsPattern("surplus\\s+1\\s+\\(2 MiB\\)")
                .containsPattern("/dev/hugepages\\s+pagesize 2 MiB");
        assertThat(err()).isEmpty();
    }

    @Test
    void showSaysHowToMountWhenThereIsNoMount() {
        FakeSystem fake = new FakeSystem(dir);

        assertThat(run(fake, "show")).isEqualTo(HugepagesTool.OK);

        assertThat(out()).contains("hugetlbfs mounts: none (mount one with: bin/hugepages mount)");
    }

    @Test
    void reserveWritesThePoolSize() {
        FakeSystem fake = new FakeSystem(dir).pool(0, 0, 0, 0);

        assertThat(run(fake, "reserve", "64")).isEqualTo(HugepagesTool.OK);

        assertThat(fake.read("nr_hugepages")).isEqualTo("64\n");
        assertThat(out()).contains("reserved 64 hugepages (128 MiB)");
    }

    @Test
    void badArgumentsPrintUsageAndExitWith2() {
        FakeSystem fake = new FakeSystem(dir).pool(3, 3, 0, 0);

        assertThat(run(fake, "reserve", "many")).isEqualTo(HugepagesTool.USAGE);
        assertThat(run(fake, "reserve", "-4")).isEqualTo(HugepagesTool.USAGE);
        assertThat(run(fake, "reserve")).isEqualTo(HugepagesTool.USAGE);
        assertThat(run(fake, "frobnicate")).isEqualTo(HugepagesTool.USAGE);
        assertThat(run(fake, "mount", "/a", "/b")).isEqualTo(HugepagesTool.USAGE);

        assertThat(err()).contains("'many' is not a number of hugepages", "must not be negative: -4",
                "unknown command 'frobnicate'", "usage: bin/hugepages");
        assertThat(fake.read("nr_hugepages")).as("nothing was written").isEqualTo("3\n");
    }

    @Test
    void helpGoesToStandardOutput() {
        assertThat(run(new FakeSystem(dir), "--help")).isEqualTo(HugepagesTool.OK);

        assertThat(out()).contains("reserve N", "mount [DIR]");
    }

    @Test
    void failuresExitWith1AndExplain() {
        Hugepages missing = new Hugepages(dir.resolve("absent"), dir.resolve("absent-mounts"));
        int rc = new HugepagesTool(missing, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run("show");

        assertThat(rc).isEqualTo(HugepagesTool.FAILED);
        assertThat(err()).startsWith("hugepages: ").contains("CONFIG_HUGETLBFS");
    }
}
