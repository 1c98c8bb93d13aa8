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
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bin/devbind builds pmd-core when its tool is missing or older than a pmd-core source: after an update a
 * stale DevBindTool would run without the classes it now needs. Runs the real script in a copy of the
 * repository's layout with a fake {@code mvnw} (logs its arguments, writes the class) and a fake JDK
 * whose {@code java} prints its arguments.
 */
class DevBindScriptTest {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize(); // surefire runs in pmd-core/
    private static final String TOOL = "pmd-core/target/classes/dev/wirespeed/core/uio/DevBindTool.class";

    @TempDir
    Path root;

    @Test
    void theToolIsBuiltWhenMissingOrOlderThanASourceAndOtherwiseRunAsItIs() throws Exception {
        layOut();
        assertThat(devbind()).contains("devbind: building pmd-core first").contains("java-args: --enable-native-access=ALL-UNNAMED -cp ")
                .contains("dev.wirespeed.core.uio.DevBindTool --status");
        assertThat(Files.readAllLines(root.resolve("mvnw.log"))).containsExactly("-q -B -pl pmd-core -DskipTests package");

        assertThat(devbind()).doesNotContain("building").contains("DevBindTool --status");
        assertThat(Files.readAllLines(root.resolve("mvnw.log"))).hasSize(1);

        Files.setLastModifiedTime(root.resolve("pmd-core/src/main/java/A.java"), FileTime.from(Instant.now().plusSeconds(5)));
        assertThat(devbind()).contains("devbind: building pmd-core first");
        assertThat(Files.readAllLines(root.resolve("mvnw.log"))).hasSize(2);
    }

    private void layOut() throws IOException {
        Files.createDirectories(root.resolve("bin"));
        for (String script : new String[] {"bin/devbind", "bin/jdk.sh"}) {
            Files.copy(REPO.resolve(script), root.resolve(script), StandardCopyOption.COPY_ATTRIBUTES);
        }
        Files.createDirectories(root.resolve("pmd-core/src/main/java"));
        Files.writeString(root.resolve("pmd-core/src/main/java/A.java"), "class A {}\n");
        Files.setLastModifiedTime(root.resolve("pmd-core/src/main/java/A.java"), FileTime.from(Instant.now().minusSeconds(60)));
        executable("mvnw", "#!/bin/sh\necho \"$*\" >> \"$(dirname \"$0\")/mvnw.log\"\nmkdir -p \"$(dirname \"$0\")/"
                + TOOL.substring(0, TOOL.lastIndexOf('/')) + "\"\ntouch \"$(dirname \"$0\")/" + TOOL + "\"\n");
        Files.createDirectories(root.resolve("jdk/bin"));
        Files.writeString(root.resolve("jdk/release"), "JAVA_VERSION=\"25.0.1\"\n");
        executable("jdk/bin/java", "#!/bin/sh\necho \"java-args: $*\"\n");
        executable("jdk/bin/javac", "#!/bin/sh\n");
    }

    private void executable(String relative, String text) throws IOException {
        Path file = root.resolve(relative);
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private String devbind() throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("bin/devbind").toString(), "--status").redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", root.resolve("jdk").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
