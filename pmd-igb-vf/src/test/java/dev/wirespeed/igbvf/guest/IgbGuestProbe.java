/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.igbvf.guest;

import dev.wirespeed.core.dma.DmaDomain;
import dev.wirespeed.core.dma.HugepageDmaDomain;
import dev.wirespeed.core.packet.MacAddress;
import dev.wirespeed.core.packet.PacketBatch;
import dev.wirespeed.core.packet.PacketFlags;
import dev.wirespeed.core.packet.PacketPool;
import dev.wirespeed.core.port.LinkStatus;
import dev.wirespeed.core.port.Offload;
import dev.wirespeed.core.port.Port;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.core.port.PortStats;
import dev.wirespeed.core.port.Ports;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs inside the igb guest (pmd-igb-vf/guest/scenarios) on a VF bound to uio_msi, through pmd-core's public
 * port API only ({@code Ports.open("pci:...")}): the driver is found as any application finds it.
 *
 * <pre>
 * bringup SCENARIO DEVICE EXPECTED_MAC|any [hold]   open, MAC, link up, what the PF grants, stop, pool full;
 *                                             hold: print IGB_HOLDING and wait for a file "release" first
 * send    SCENARIO DEVICE DST_MAC KIND...     KIND = raw | csum | vlan:TCI; prints IGB_SENT KIND HEX per frame
 * recv    SCENARIO DEVICE SECONDS COUNT       prints IGB_READY, then IGB_RECEIVED FLAGS TCI HEX per frame
 * </pre>
 * Verdicts are PASS:/FAIL: lines (see {@link Verdicts}); the shell compares the hex with its captures.
 */
public final class IgbGuestProbe {
    private static final int POOL = 1024;
    private static final long LINK_WAIT_NS = 20_000_000_000L;

    private final Verdicts v;
    private final String device;

    private IgbGuestProbe(String scenario, String device) {
        this.v = new Verdicts(scenario);
        this.device = device;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: IgbGuestProbe bringup|send|recv SCENARIO DEVICE ARGS...");
            System.exit(2);
        }
        IgbGuestProbe p = new IgbGuestProbe(args[1], args[2]);
        List<String> rest = List.of(args).subList(3, args.length);
        try (DmaDomain dma = HugepageDmaDomain.open(); PacketPool pool = PacketPool.create("probe", dma, POOL)) {
            switch (args[0]) {
                case "bringup" -> p.bringup(pool, rest.isEmpty() ? "any" : rest.getFirst(), rest.contains("hold"));
                case "send" -> p.send(pool, MacAddress.parse(rest.getFirst()), rest.subList(1, rest.size()));
                case "recv" -> p.recv(pool, Integer.parseInt(rest.get(0)), Integer.parseInt(rest.get(1)));
                default -> throw new IllegalArgumentException("unknown mode " + args[0]);
            }
        } catch (RuntimeException e) {
            p.v.fail(args[0] + " on " + args[2], e.getClass().getSimpleName() + ": " + e.getMessage());
            e.printStackTrace(System.out);
        }
        System.exit(p.v.exitCode());
    }

    private Port open(PacketPool pool, Offload... offloads) {
        PortConfig cfg = PortConfig.builder().rxRingSize(256).txRingSize(256).rxPool(pool).offload(offloads).build();
        Port port = Ports.open(device, cfg);
        v.pass("Ports.open(\"" + device + "\") -> " + port.name());
        return port;
    }

    private boolean waitLink(Port port) throws InterruptedException {
        long end = System.nanoTime() + LINK_WAIT_NS;
        LinkStatus s = port.linkStatus();
        while (!s.up() && System.nanoTime() < end) {
            Thread.sleep(50);
            s = port.linkStatus();
        }
        return v.check(s.up(), "link up (" + s + ")", "no link within 20 s: " + s);
    }

    /** Stops and closes the port; every buffer must be back in the pool. */
    private void finish(Port port, PacketPool pool) {
        port.stop();
        v.check(pool.available() == pool.capacity(), "after stop every buffer is back in the pool (" + pool.capacity() + ")",
                (pool.capacity() - pool.available()) + " of " + pool.capacity() + " buffers missing");
        port.close();
    }

    private void printStats(Port port) {
        for (Map.Entry<String, Long> e : port.extendedStats().entrySet()) {
            System.out.println("   xstat " + e.getKey() + " = " + e.getValue());
        }
    }

    private void bringup(PacketPool pool, String expectedMac, boolean hold) throws InterruptedException {
        Port port = open(pool);
        MacAddress mac = port.macAddress();
        v.value("MAC", mac);
        if (expectedMac.equals("any")) {
            v.check(!mac.isMulticast() && !mac.isZero(), "MAC " + mac + " is a unicast address", "MAC " + mac);
        } else {
            v.check(mac.equals(MacAddress.parse(expectedMac)), "MAC " + mac + " is the one the PF assigned",
                    "expected " + expectedMac + ", port has " + mac);
        }
        port.start();
        waitLink(port);
        v.value("PROMISC_GRANTED", port.setPromiscuous(true));
        v.value("ALLMULTI_GRANTED", port.setAllMulticast(true));
        v.value("MTU", port.mtu());
        printStats(port);
        if (hold) {
            // The PF forgets a MAC the VF chose when the VF resets (stop), so the shell looks while we run.
            v.value("HOLDING", device);
            long end = System.nanoTime() + 60_000_000_000L;
            while (!Files.exists(Path.of("release")) && System.nanoTime() < end) {
                Thread.sleep(50);
            }
        }
        finish(port, pool);
    }

    private void send(PacketPool pool, MacAddress dst, List<String> kinds) throws InterruptedException {
        Port port = open(pool, Offload.TX_IPV4_CHECKSUM, Offload.TX_UDP_CHECKSUM, Offload.TX_VLAN_INSERT);
        port.start();
        if (!waitLink(port)) {
            finish(port, pool);
            return;
        }
        long src = port.macAddress().value();
        PacketBatch batch = new PacketBatch(1);
        int seq = 0;
        int sent = 0;
        for (String kind : kinds) {
            List<byte[]> wire = new ArrayList<>();
            List<byte[]> given = new ArrayList<>();
            long flags = 0;
            int tci = 0;
            if (kind.equals("raw")) {
                for (int len : new int[] {60, 61, 128, 1000, 1514}) {
                    byte[] f = Frames.raw(dst.value(), src, len, ++seq);
                    wire.add(f);
                    given.add(f);
                }
            } else if (kind.equals("csum")) {
                byte[] f = Frames.udp(dst.value(), src, 0x0A0B0001, 0x0A0B0002, 100, ++seq);
                wire.add(f);
                given.add(Frames.withoutChecksums(f));
                flags = PacketFlags.TX_IPV4 | PacketFlags.TX_IPV4_CHECKSUM | PacketFlags.TX_UDP_CHECKSUM;
            } else if (kind.startsWith("vlan:")) {
                tci = Integer.parseInt(kind.substring(5));
                byte[] f = Frames.raw(dst.value(), src, 100, ++seq);
                wire.add(Frames.tagged(f, tci));
                given.add(f);
                flags = PacketFlags.TX_VLAN_INSERT;
            } else {
                throw new IllegalArgumentException("unknown frame kind " + kind);
            }
            for (int i = 0; i < given.size(); i++) {
                int h = pool.alloc();
                byte[] f = given.get(i);
                MemorySegment.copy(f, 0, pool.memory(), ValueLayout.JAVA_BYTE, pool.dataOffset(h), f.length);
                pool.setLength(h, f.length);
                pool.setFlags(h, flags);
                pool.setHeaderLengths(h, Frames.L2, Frames.L3);
                pool.setVlanTci(h, tci);
                batch.add(h);
                long end = System.nanoTime() + 1_000_000_000L;
                while (!batch.isEmpty() && System.nanoTime() < end) {
                    port.tx(0, batch);
                }
                if (!batch.isEmpty()) {
                    batch.freeAll();
                    v.fail("tx of a " + kind + " frame", "the tx ring took nothing for 1 s");
                    continue;
                }
                sent++;
                v.value("SENT", kind + " " + Frames.hex(wire.get(i)));
                Thread.sleep(20);
            }
        }
        Thread.sleep(300);
        PortStats s = port.stats(new PortStats());
        v.check(s.opackets >= sent && sent > 0, sent + " frames sent, port counts " + s.opackets,
                "sent " + sent + ", port counts " + s.opackets);
        printStats(port);
        finish(port, pool);
    }

    private void recv(PacketPool pool, int seconds, int count) throws InterruptedException {
        Port port = open(pool, Offload.RX_CHECKSUM, Offload.RX_VLAN_STRIP);
        port.start();
        if (!waitLink(port)) {
            finish(port, pool);
            return;
        }
        v.value("READY", port.macAddress());
        PacketBatch batch = new PacketBatch(32);
        int got = 0;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (got < count && System.nanoTime() < end) {
            int n = port.rx(0, batch);
            if (n == 0) {
                Thread.sleep(1);
                continue;
            }
            for (int i = 0; i < batch.size(); i++) {
                int h = batch.get(i);
                v.value("RECEIVED", String.format("%x %d %s", pool.flags(h), pool.vlanTci(h), Frames.hex(bytes(pool, h))));
                got++;
            }
            batch.freeAll();
        }
        v.check(got >= count, "received " + got + " frames", "expected " + count + " within " + seconds + " s, got " + got);
        printStats(port);
        finish(port, pool);
    }

    /** A received packet's bytes, following its segment chain. */
    private static byte[] bytes(PacketPool pool, int h) {
        byte[] out = new byte[pool.packetLength(h)];
        int at = 0;
        for (int seg = h; seg != PacketPool.NO_PACKET && at < out.length; seg = pool.next(seg)) {
            int n = Math.min(pool.dataLength(seg), out.length - at);
            MemorySegment.copy(pool.memory(), ValueLayout.JAVA_BYTE, pool.dataOffset(seg), out, at, n);
            at += n;
        }
        return out;
    }
}
