/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.vdev.tap;

import dev.wirespeed.core.os.LibC;
import dev.wirespeed.core.packet.PacketPool;
import dev.wirespeed.core.port.DeviceSpec;
import dev.wirespeed.core.port.Port;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.core.port.PortDriver;
import dev.wirespeed.vdev.NetInterface;

import java.util.Set;

/** Opens {@code tap:NAME[,up=on]} ports (DPDK's {@code net_tap}); the TAP is created if missing. */
public final class TapDriver implements PortDriver {
    @Override
    public String scheme() {
        return "tap";
    }

    @Override
    public String usage() {
        return "tap:NAME[,up=on]   a Linux TAP interface, created if missing (CAP_NET_ADMIN); up=on brings it up";
    }

    @Override
    public Port open(DeviceSpec spec, int portId, PortConfig config) {
        spec.requireOnly(Set.of("up"));
        String name = NetInterface.checkName(spec.text(), spec.positional());
        boolean up = spec.flag("up", false);
        PacketPool[] pools = config.requireRxPools(spec.text());
        int queues = Math.max(config.rxQueues(), config.txQueues());
        int[] fds = new int[queues];
        int opened = 0;
        int ctl = -1;
        try {
            for (; opened < queues; opened++) {
                fds[opened] = TapDevice.attach(spec.text(), name, queues > 1);
            }
            ctl = LibC.socket(LibC.AF_INET, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0, "AF_INET, SOCK_DGRAM");
            NetInterface iface = new NetInterface(name, ctl);
            if (up) {
                iface.bringUp();
            }
            return new TapPort(portId, spec.text(), config, iface, ctl, fds, pools);
        } catch (RuntimeException e) {
            for (int i = 0; i < opened; i++) {
                LibC.close(fds[i]);
            }
            if (ctl >= 0) {
                LibC.close(ctl);
            }
            throw e;
        }
    }
}
