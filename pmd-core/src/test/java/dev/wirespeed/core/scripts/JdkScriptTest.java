/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.scripts;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** bin/jdk.sh, which every script sources, must find a JDK 25 or fail saying how to get one. */
class JdkScriptTest {
    private static final Path SCRIPT = Path.of("..", "bin", "jdk.sh").toAbsolutePath().normalize();

    private static String[] run(String javaHome, String extraGlobDir) throws IOException, InterruptedException {
        String cmd = ". " + SCRIPT + " && echo \"JAVA_HOME=$JAVA_HOME\"";
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", cmd).redirectErrorStream(true);
        if (javaHome == null) {
            pb.environment().remove("JAVA_HOME");
        } else {
            pb.environment().put("JAVA_HOME", javaHome);
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new String[] {String.valueOf(p.waitFor()), out};
    }

    @Test
    void honoursAJavaHomeThatIsAtLeast25() throws Exception {
        String current = System.getProperty("java.home");
        String[] r = run(current, null);
        assertThat(r[0]).isEqualTo("0");
        assertThat(r[1]).contains("JAVA_HOME=" + current);
    }

    @Test
    void skipsAnOlderJavaHomeAndFindsA25() throws Exception {
        Path fake = Files.createTempDirectory("jdk17");
        Files.createDirectories(fake.resolve("bin"));
        Files.writeString(fake.resolve("release"), "JAVA_VERSION=\"17.0.15\"\n");
        Path java = Files.writeString(fake.resolve("bin/java"), "#!/bin/sh\n");
        Path javac = Files.writeString(fake.resolve("bin/javac"), "#!/bin/sh\n");
        java.toFile().setExecutable(true);
        javac.toFile().setExecutable(true);
        String[] r = run(fake.toString(), null);
        assertThat(r[0]).isEqualTo("0");
        assertThat(r[1]).doesNotContain("JAVA_HOME=" + fake);
        assertThat(Files.readString(Path.of(r[1].trim().replaceFirst(".*JAVA_HOME=", ""), "release")))
                .containsPattern("JAVA_VERSION=\"(2[5-9]|[3-9][0-9])");
    }
}
