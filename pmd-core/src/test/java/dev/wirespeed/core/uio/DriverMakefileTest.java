/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.uio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** driver/Makefile (uio_msi's build) on a machine without kernel headers: one message naming the package. */
class DriverMakefileTest {
    @TempDir
    Path tmp;

    @Test
    void withoutKernelHeadersItSaysWhichPackageToInstall() throws IOException, InterruptedException {
        Path driver = Path.of("..", "driver").toAbsolutePath().normalize(); // surefire runs in pmd-core/
        assumeTrue(Files.isRegularFile(driver.resolve("Makefile")), "no driver/ next to pmd-core");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/make")) || Files.isExecutable(Path.of("/bin/make")), "no make");
        Path output = tmp.resolve("output");
        Process make = new ProcessBuilder("make", "-C", driver.toString(), "KDIR=" + tmp.resolve("no-headers"), "KVER=6.1.0-99-amd64")
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertThat(make.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(make.exitValue()).as(text).isNotZero();
        assertThat(text).contains("uio_msi: no kernel build tree at " + tmp.resolve("no-headers")
                        + ": the headers for kernel 6.1.0-99-amd64 are not installed.")
                .contains("sudo apt-get install linux-headers-6.1.0-99-amd64")
                .doesNotContain("No such file or directory"); // kbuild's own words when it runs without a tree
    }
}
