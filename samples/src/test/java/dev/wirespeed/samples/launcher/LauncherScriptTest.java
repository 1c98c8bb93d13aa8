/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.samples.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * samples/bin/launch.sh, which l2fwd and pktgen source, builds the samples jar when it is stale. Two
 * launchers started at once on a fresh clone must not run two builds into the same target directories
 * (issue 16 point 13), and the build must not compile tests.
 *
 * <p>Runs the real script in a copy of the repository's layout whose {@code mvnw} is a fake that logs
 * its start and end and its arguments, takes a while, and then writes the jar.
 */
class LauncherScriptTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    @Test
    void twoLaunchersStartedTogetherBuildOnceAndSkipTestCompilation(@TempDir Path root) throws Exception {
        layOutFakeCheckout(root);

        Process first = source(root);
        Process second = source(root);
        String out1 = finish(first);
        String out2 = finish(second);

        List<String> log = Files.readAllLines(root.resolve("mvnw.log"));
        assertThat(log).as("fake mvnw log; launcher outputs:%n%s%n%s", out1, out2)
                .hasSize(2)
                .satisfies(l -> assertThat(l.get(0)).startsWith("start "))
                .satisfies(l -> assertThat(l.get(1)).isEqualTo("end"));
        assertThat(log.get(0)).contains("-Dmaven.test.skip=true").contains("-pl samples -am");
        assertThat(out1 + out2).contains("another launcher is building the samples; waiting");
    }

    @Test
    void aFreshJarIsNotRebuiltAndANewerSourceIs(@TempDir Path root) throws Exception {
        layOutFakeCheckout(root);
        finish(source(root));
        finish(source(root));
        assertThat(Files.readAllLines(root.resolve("mvnw.log"))).hasSize(2);

        Path source = root.resolve("pmd-core/src/main/java/A.java");
        Files.setLastModifiedTime(source, FileTime.from(Instant.now().plusSeconds(5)));
        finish(source(root));
        assertThat(Files.readAllLines(root.resolve("mvnw.log"))).hasSize(4);
    }

    private static void layOutFakeCheckout(Path root) throws IOException {
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("samples/bin"));
        Files.copy(REPO.resolve("bin/jdk.sh"), root.resolve("bin/jdk.sh"));
        Files.copy(REPO.resolve("samples/bin/launch.sh"), root.resolve("samples/bin/launch.sh"));
        for (String module : List.of("pmd-core", "samples")) {
            Files.createDirectories(root.resolve(module + "/src/main/java"));
            Files.writeString(root.resolve(module + "/pom.xml"), "<project/>\n");
            Files.writeString(root.resolve(module + "/src/main/java/A.java"), "class A {}\n");
        }
        Files.writeString(root.resolve("pom.xml"), "<project/>\n");
        // Slow enough that the second launcher surely starts while the first one builds.
        Path mvnw = Files.writeString(root.resolve("mvnw"), """
                #!/bin/sh
                echo "start $*" >> mvnw.log
                sleep 1.5
                mkdir -p samples/target && echo jar > samples/target/wirespeed-samples.jar
                echo end >> mvnw.log
                """);
        assertThat(mvnw.toFile().setExecutable(true)).isTrue();
    }

    /** Sources launch.sh (its build step) in a fresh bash, with this JVM's JDK as JAVA_HOME. */
    private static Process source(Path root) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", ". samples/bin/launch.sh && echo LAUNCHED")
                .directory(root.toFile()).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        return pb.start();
    }

    private static String finish(Process p) throws Exception {
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("launcher finished").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("LAUNCHED");
        return out;
    }
}
