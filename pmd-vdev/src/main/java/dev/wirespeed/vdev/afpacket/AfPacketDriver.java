/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.vdev.afpacket;

import dev.wirespeed.core.os.Errno;
import dev.wirespeed.core.os.ErrnoException;
import dev.wirespeed.core.os.LibC;
import dev.wirespeed.core.packet.PacketPool;
import dev.wirespeed.core.port.DeviceSpec;
import dev.wirespeed.core.port.Port;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.core.port.PortDriver;
import dev.wirespeed.vdev.NetInterface;

import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** Opens {@code af_packet:IFNAME[,promisc=on|off][,frames=N]} ports (DPDK's {@code net_af_packet}). */
public final class AfPacketDriver implements PortDriver {
    /** Fanout group ids must differ between ports of one process (and should between processes). */
    private static final AtomicInteger NEXT_GROUP = new AtomicInteger((int) (ProcessHandle.current().pid() * 31));

    @Override
    public String scheme() {
        return "af_packet";
    }

    @Override
    public String usage() {
        return "af_packet:IFNAME[,promisc=on][,frames=N]   a Linux interface through packet sockets (CAP_NET_RAW)";
    }

    @Override
    public Port open(DeviceSpec spec, int portId, PortConfig config) {
        spec.requireOnly(Set.of("promisc", "frames"));
        String ifname = NetInterface.checkName(spec.text(), spec.positional());
        boolean promisc = spec.flag("promisc", false);
        int frames = spec.integer("frames", Math.max(config.rxRingSize(), config.txRingSize()), 16, 65536);
        PacketPool[] pools = config.requireRxPools(spec.text());
        int ifindex;
        try {
            ifindex = LibC.ifNameToIndex(ifname);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENODEV) {
                throw new IllegalArgumentException("device '" + spec.text() + "': there is no interface '" + ifname
                        + "' in this network namespace (see ip link show)", e);
            }
            throw e;
        }
        int queues = Math.max(config.rxQueues(), config.txQueues());
        // interface ioctls go through a socket anybody may open; the port keeps it for link and MTU queries
        int ctl = LibC.socket(LibC.AF_INET, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0, "AF_INET, SOCK_DGRAM");
        PacketSocket[] sockets = new PacketSocket[queues];
        try {
            NetInterface iface = new NetInterface(ifname, ctl);
            int mtu = iface.mtu();
            int frameSize = frameSize(Math.max(mtu, config.mtu()));
            int perBlock = Math.max(1, 4096 / frameSize);
            frames = (frames + perBlock - 1) / perBlock * perBlock; // whole blocks
            int group = NEXT_GROUP.getAndIncrement() & 0xFFFF;
            for (int q = 0; q < queues; q++) {
                sockets[q] = PacketSocket.open(spec.text(), ifname, ifindex, frameSize, frames, queues > 1, group);
            }
            AfPacketPort port = new AfPacketPort(portId, spec.text(), config, iface, ctl, ifindex, sockets, pools);
            if (promisc) {
                port.setPromiscuous(true);
            }
            return port;
        } catch (RuntimeException e) {
            for (PacketSocket s : sockets) {
                if (s != null) {
                    s.close();
                }
            }
            LibC.close(ctl);
            throw e;
        }
    }

    /**
     * A ring frame holds the TPACKET_V2 header, the kernel's alignment padding (rx data starts at 66 with a
     * 14-byte header: {@code tpacket_rcv}'s macoff) and an MTU-sized frame with a VLAN tag; a power of two
     * of at least 2048 bytes, so frames pack whole into 4 KiB pages.
     */
    static int frameSize(int mtu) {
        int need = 80 + mtu + 18;
        return Math.max(2048, Integer.highestOneBit(need - 1) << 1);
    }
}
