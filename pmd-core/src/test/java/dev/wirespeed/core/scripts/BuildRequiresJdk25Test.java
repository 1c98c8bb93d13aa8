/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.scripts;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The build stops at once with the fix when Maven runs on a JDK older than 25 (issue 16 point 10),
 * instead of failing later in javac with a flag or class-version error. Runs the Maven Wrapper on the
 * root pom (validate only, offline: this build already fetched the enforcer plugin) with an older JDK
 * from /usr/lib/jvm; the machines we test on have Debian's JDK 17 as their default java.
 */
class BuildRequiresJdk25Test {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @Test
    void mavenOnAnOlderJdkStopsWithTheFix() throws Exception {
        Optional<Path> old = olderJdk();
        assumeTrue(old.isPresent(), "no JDK older than 25 under /usr/lib/jvm to try the build with");

        ProcessBuilder pb = new ProcessBuilder(REPO.resolve("mvnw").toString(), "-B", "-q", "-o", "-N", "validate")
                .directory(REPO.toFile()).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", old.get().toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(out).isNotZero();
        assertThat(out).contains("wirespeed needs JDK 25 or newer to build, found ")
                .contains("set JAVA_HOME to a JDK 25");
    }

    private static Optional<Path> olderJdk() throws IOException {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(jvms)) {
            return dirs.filter(d -> Files.isExecutable(d.resolve("bin/java")) && majorVersion(d) > 0 && majorVersion(d) < 25)
                    .sorted()
                    .findFirst();
        }
    }

    private static int majorVersion(Path jdk) {
        try {
            for (String line : Files.readAllLines(jdk.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=\"")) {
                    return Integer.parseInt(line.substring(14).split("[.\"]")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
