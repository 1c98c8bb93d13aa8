/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.wire;

import dev.wirespeed.core.os.Errno;
import dev.wirespeed.emulator.HostTools;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What wire=tap:NAME says when the kernel will not give it a TAP of that name (issue 16: a raw TUNSETIFF EINVAL). */
class TapInterfaceTest {
    @TempDir
    Path sys;

    @Test
    void anExistingInterfaceThatIsNoTapIsNamedAsSuchWithWhatToDo() throws IOException {
        Files.createDirectories(sys.resolve("eth0"));
        assertThat(TapInterface.tunSetIffFailed("eth0", Errno.EINVAL, "ioctl: EINVAL", sys))
                .startsWith("wire=tap:eth0: eth0 already exists and is not a TAP interface (" + sys.resolve("eth0") + " has no tun_flags)")
                .contains("so it cannot be this port's wire; name a new interface (e.g. tap:ws0; the emulator creates it")
                .contains("To reach eth0's network, bridge the new TAP to it");
    }

    @Test
    void aTunOrATapInUseOrOfAnotherUserIsNamedAsSuch() throws IOException {
        Files.createDirectories(sys.resolve("tun0"));
        Files.writeString(sys.resolve("tun0/tun_flags"), "0x1001\n");
        assertThat(TapInterface.tunSetIffFailed("tun0", Errno.EINVAL, "ioctl: EINVAL", sys))
                .contains("tun0 already exists and is not a TAP interface this process can open (a TUN, or a multi-queue TAP)");
        assertThat(TapInterface.tunSetIffFailed("tun0", Errno.EBUSY, "ioctl: EBUSY", sys))
                .contains("tun0 is a TAP interface another process holds open; stop that process or name a new interface");
        assertThat(TapInterface.tunSetIffFailed("tun0", Errno.EPERM, "ioctl: EPERM", sys))
                .contains("needs root or CAP_NET_ADMIN, and tun0 is a persistent TAP that may belong to another user");
        assertThat(TapInterface.tunSetIffFailed("new0", Errno.EPERM, "ioctl: EPERM", sys)).endsWith("needs root or CAP_NET_ADMIN");
    }

    @Test
    void theKernelsAnswerForTheLoopbackInterfaceIsExplained() {
        Assumptions.assumeTrue(HostTools.isRoot() && Files.isReadable(Path.of("/dev/net/tun")), "needs root and /dev/net/tun");
        assertThatThrownBy(() -> new TapInterface("lo")).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("wire=tap:lo: lo already exists and is not a TAP interface");
    }
}
