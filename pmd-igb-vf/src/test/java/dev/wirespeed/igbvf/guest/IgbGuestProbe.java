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
 * bringup SCENARIO DEVICE EXPECTED_MAC|any [DEVICE EXPECTED_MAC|any]... [hold]
 *                                             per device: open, MAC, link up, what the PF grants, stop, pool
 *                                             full; hold: for a MAC the port chose ("any"), print IGB_HOLDING
 *                                             and wait for a file "release" before stopping
 * send    SCENARIO DEVICE DST_MAC KIND... [+ DST_MAC KIND...]...   KIND = raw | csum | vlan:TCI; prints
 *                                             IGB_SENT GROUP KIND HEX per frame (GROUP counts from 1)
 * recv    SCENARIO DEVICE SECONDS COUNT       prints IGB_READY, then IGB_RECEIVED FLAGS TCI HEX per frame
 * watch   SCENARIO DEVICE                     runs until a file "release" appears (600 s at most), printing
 *                                             IGB_LINK, IGB_MAC on change, IGB_RX COUNT as frames arrive,
 *                                             IGB_ERROR on an exception from the port; then stop, pool full
 * refuse  SCENARIO DEVICE WORDS [DEVICE WORDS]...   Ports.open must fail with a message containing
 *                                             every comma-separated word of WORDS; prints it as IGB_MESSAGE
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
                case "bringup" -> {
                    boolean hold = rest.contains("hold");
                    p.bringup(pool, p.device, rest.isEmpty() ? "any" : rest.getFirst(), hold);
                    for (int i = 1; i + 1 < rest.size() && !rest.get(i).equals("hold"); i += 2) {
                        p.bringup(pool, rest.get(i), rest.get(i + 1), hold);
                    }
                }
                case "send" -> {
                    // Groups "DST KIND..." separated by "+", all sent on one port.
                    List<List<String>> groups = new ArrayList<>();
                    groups.add(new ArrayList<>());
                    for (String a : rest) {
                        if (a.equals("+")) {
                            groups.add(new ArrayList<>());
                        } else {
                            groups.getLast().add(a);
                        }
                    }
                    p.send(pool, groups);
                }
                case "recv" -> p.recv(pool, Integer.parseInt(rest.get(0)), Integer.parseInt(rest.get(1)));
                case "watch" -> p.watch(pool);
                case "refuse" -> {
                    p.refuse(pool, p.device, rest.isEmpty() ? "" : rest.getFirst());
                    for (int i = 1; i + 1 < rest.size(); i += 2) {
                        p.refuse(pool, rest.get(i), rest.get(i + 1));
                    }
                }
                default -> throw new IllegalArgumentException("unknown mode " + args[0]);
            }
        } catch (RuntimeException e) {
            p.v.fail(args[0] + " on " + args[2], e.getClass().getSimpleName() + ": " + e.getMessage());
            e.printStackTrace(System.out);
        }
        System.exit(p.v.exitCode());
    }

    private Port open(PacketPool pool, Offload... offloads) {
        return open(pool, device, offloads);
    }

    private Port open(PacketPool pool, String device, Offload... offloads) {
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

    private void bringup(PacketPool pool, String device, String expectedMac, boolean hold) throws InterruptedException {
        Port port = open(pool, device);
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
        if (hold && expectedMac.equals("any")) {
            // The PF forgets a MAC the VF chose when the VF resets (stop), so the shell looks while we run.
            v.value("HOLDING", device);
            long end = System.nanoTime() + 60_000_000_000L;
            while (!Files.exists(Path.of("release")) && System.nanoTime() < end) {
                Thread.sleep(50);
            }
        }
        finish(port, pool);
    }

    /** One frame to send: the bytes handed to the port, the offload request, and the bytes the wire must carry. */
    private record Planned(int group, String kind, byte[] given, long flags, int tci, byte[] wire) {
    }

    /** The frames of every group ("DST KIND..."), in order, with distinct sequence numbers. */
    private static List<Planned> plan(List<List<String>> groups, long src) {
        List<Planned> out = new ArrayList<>();
        int seq = 0;
        for (int g = 0; g < groups.size(); g++) {
            long dst = MacAddress.parse(groups.get(g).getFirst()).value();
            for (String kind : groups.get(g).subList(1, groups.get(g).size())) {
                if (kind.equals("raw")) {
                    for (int len : new int[] {60, 61, 128, 1000, 1514}) {
                        byte[] f = Frames.raw(dst, src, len, ++seq);
                        out.add(new Planned(g + 1, kind, f, 0, 0, f));
                    }
                } else if (kind.equals("csum")) {
                    byte[] f = Frames.udp(dst, src, 0x0A0B0001, 0x0A0B0002, 100, ++seq);
                    out.add(new Planned(g + 1, kind, Frames.withoutChecksums(f),
                            PacketFlags.TX_IPV4 | PacketFlags.TX_IPV4_CHECKSUM | PacketFlags.TX_UDP_CHECKSUM, 0, f));
                } else if (kind.startsWith("vlan:")) {
                    int tci = Integer.parseInt(kind.substring(5));
                    byte[] f = Frames.raw(dst, src, 100, ++seq);
                    out.add(new Planned(g + 1, kind, f, PacketFlags.TX_VLAN_INSERT, tci, Frames.tagged(f, tci)));
                } else {
                    throw new IllegalArgumentException("unknown frame kind " + kind);
                }
            }
        }
        return out;
    }

    private void send(PacketPool pool, List<List<String>> groups) throws InterruptedException {
        Port port = open(pool, Offload.TX_IPV4_CHECKSUM, Offload.TX_UDP_CHECKSUM, Offload.TX_VLAN_INSERT);
        port.start();
        if (!waitLink(port)) {
            finish(port, pool);
            return;
        }
        PacketBatch batch = new PacketBatch(1);
        int sent = 0;
        for (Planned f : plan(groups, port.macAddress().value())) {
            int h = pool.alloc();
            MemorySegment.copy(f.given(), 0, pool.memory(), ValueLayout.JAVA_BYTE, pool.dataOffset(h), f.given().length);
            pool.setLength(h, f.given().length);
            pool.setFlags(h, f.flags());
            pool.setHeaderLengths(h, Frames.L2, Frames.L3);
            pool.setVlanTci(h, f.tci());
            batch.add(h);
            long end = System.nanoTime() + 1_000_000_000L;
            while (!batch.isEmpty() && System.nanoTime() < end) {
                port.tx(0, batch);
            }
            if (!batch.isEmpty()) {
                batch.freeAll();
                v.fail("tx of a " + f.kind() + " frame", "the tx ring took nothing for 1 s");
                continue;
            }
            sent++;
            v.value("SENT", f.group() + " " + f.kind() + " " + Frames.hex(f.wire()));
            Thread.sleep(20);
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

    private void watch(PacketPool pool) throws InterruptedException {
        Port port = open(pool, Offload.RX_CHECKSUM);
        port.start();
        v.value("READY", port.macAddress());
        PacketBatch batch = new PacketBatch(32);
        long received = 0;
        long reported = -1;
        boolean up = false;
        MacAddress mac = port.macAddress();
        long t0 = System.nanoTime();
        long end = t0 + 600_000_000_000L;
        long nextLook = 0;
        Path release = Path.of("release");
        try {
            while (System.nanoTime() < end) {
                int n = port.rx(0, batch);
                received += n;
                batch.freeAll();
                long now = System.nanoTime();
                if (n == 0 && now >= nextLook) {
                    nextLook = now + 100_000_000L;
                    if (Files.exists(release)) {
                        break;
                    }
                    if (port.isRemoved()) {
                        v.value("ERROR", "the port reports its device removed after " + (now - t0) / 1_000_000 + " ms");
                        break;
                    }
                    LinkStatus s = port.linkStatus();
                    if (s.up() != up) {
                        up = s.up();
                        v.value("LINK", (up ? "up" : "down") + " " + (now - t0) / 1_000_000 + " ms");
                    }
                    if (!port.macAddress().equals(mac)) {
                        mac = port.macAddress();
                        v.value("MAC", mac);
                    }
                    if (received != reported) {
                        reported = received;
                        v.value("RX", received);
                    }
                }
                if (n == 0) {
                    Thread.sleep(1);
                }
            }
        } catch (RuntimeException e) {
            batch.freeAll();
            v.value("ERROR", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        try {
            printStats(port);
        } catch (RuntimeException e) {
            System.out.println("   xstats: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        finish(port, pool);
    }

    private void refuse(PacketPool pool, String device, String words) {
        PortConfig cfg = PortConfig.builder().rxPool(pool).build();
        try (Port port = Ports.open(device, cfg)) {
            v.fail("Ports.open(\"" + device + "\") refuses", "it opened " + port.name());
        } catch (RuntimeException e) {
            String m = String.valueOf(e.getMessage());
            v.value("MESSAGE", e.getClass().getSimpleName() + ": " + m);
            List<String> missing = new ArrayList<>();
            for (String w : words.split(",")) {
                if (!w.isBlank() && !m.contains(w)) {
                    missing.add(w);
                }
            }
            v.check(missing.isEmpty(), "Ports.open(\"" + device + "\") refuses and says " + words,
                    "message lacks " + missing + ": " + m);
        }
        v.check(pool.available() == pool.capacity(), "no buffer taken by the refused open", (pool.capacity() - pool.available()) + " missing");
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
