/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.pci;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The kernel network interfaces of PCI functions ({@code <device>/net/<name>} in sysfs) and the routes
 * that use them ({@code /proc/net/route} and {@code /proc/net/ipv6_route}). A function whose interface
 * carries routes is "active" in dpdk-devbind's sense: taking it from its kernel driver may cut this
 * machine off a network, perhaps the one the user is logged in through. dpdk-devbind.py
 * ({@code get_device_details}) takes every {@code dev X} of {@code ip -o route} except 169.254/16 routes;
 * this reads the same table from /proc (no {@code ip} needed), and IPv6's too, leaving out what every
 * interface that is up has (link-local, multicast and the local table's own-address routes).
 *
 * <p>Both roots are parameters so tests use a fake tree; {@link #system()} reads {@code /sys} and
 * {@code /proc}. Nothing here depends on the driver the function is bound to.
 */
public final class NetInterfaces {
    private static final int RTF_UP = 0x0001;
    private static final int RTF_GATEWAY = 0x0002;
    private static final int RTF_REJECT = 0x0200;
    /** In ipv6_route: a route of the local table (an address of this host), not a network behind the interface. */
    private static final int RTF_LOCAL = 0x80000000;

    private final PciSysfs sysfs;
    private final Path proc;

    /** @param proc where procfs is mounted ({@code /proc} on a real system) */
    public NetInterfaces(PciSysfs sysfs, Path proc) {
        this.sysfs = Objects.requireNonNull(sysfs, "sysfs");
        this.proc = Objects.requireNonNull(proc, "proc");
    }

    public static NetInterfaces system() {
        return new NetInterfaces(PciSysfs.system(), Path.of("/proc"));
    }

    /**
     * The names of the function's kernel interfaces, sorted; empty when its driver created none (uio_msi,
     * vfio-pci). They are in {@code <device>/net/}, or one level down for drivers that put a bus of their
     * own in between ({@code <device>/virtio0/net/} for virtio-net), as dpdk-devbind also looks.
     */
    public List<String> of(PciAddress address) {
        Path device = sysfs.deviceDirectory(address);
        List<String> names = new ArrayList<>(children(device.resolve("net")));
        for (String child : children(device)) {
            Path dir = device.resolve(child);
            if (!child.equals("net") && !Files.isSymbolicLink(dir)) { // links lead to the driver, VFs, the PF
                names.addAll(children(dir.resolve("net")));
            }
        }
        names.sort(null);
        return names;
    }

    private static List<String> children(Path dir) {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return names;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, Files::isDirectory)) {
            entries.forEach(e -> names.add(e.getFileName().toString()));
        } catch (IOException e) {
            throw new SysfsException("cannot list " + dir + ": " + e.getMessage(), dir, e, false);
        }
        return names;
    }

    /**
     * The routes of the main and local routing tables, by interface name, as {@code ip route} would write
     * their destinations: {@code 192.0.2.0/24}, {@code default via 192.0.2.1}, {@code fd00::/64}.
     * Reads the tables once; call it once per command.
     */
    public Map<String, List<String>> routesByInterface() {
        Map<String, List<String>> routes = new TreeMap<>();
        for (String line : lines("net/route")) {
            ipv4Route(line.split("\\s+"), routes);
        }
        for (String line : lines("net/ipv6_route")) {
            ipv6Route(line.trim().split("\\s+"), routes);
        }
        return routes;
    }

    /** The routes among {@code routes} that use one of {@code interfaces}, each prefixed by its interface. */
    public static List<String> routesOf(List<String> interfaces, Map<String, List<String>> routes) {
        List<String> result = new ArrayList<>();
        for (String name : interfaces) {
            for (String route : routes.getOrDefault(name, List.of())) {
                result.add(route + " dev " + name);
            }
        }
        return result;
    }

    // Iface Destination Gateway Flags RefCnt Use Metric Mask MTU Window IRTT, addresses in hex as the
    // kernel stores them (network order read as a little-endian word), so 010200C0 is 192.0.2.1.
    private static void ipv4Route(String[] f, Map<String, List<String>> into) {
        if (f.length < 8 || f[0].equals("Iface")) {
            return;
        }
        int flags = Integer.parseInt(f[3], 16);
        int destination = Integer.reverseBytes((int) Long.parseLong(f[1], 16));
        int mask = Integer.reverseBytes((int) Long.parseLong(f[7], 16));
        if ((flags & RTF_UP) == 0 || (flags & RTF_REJECT) != 0 || (destination >>> 16) == 0xA9FE) { // 169.254/16
            return;
        }
        String to = mask == 0 ? "default" : ipv4(destination) + "/" + Integer.bitCount(mask);
        if ((flags & RTF_GATEWAY) != 0) {
            to += " via " + ipv4(Integer.reverseBytes((int) Long.parseLong(f[2], 16)));
        }
        into.computeIfAbsent(f[0], k -> new ArrayList<>()).add(to);
    }

    // Destination PrefixLen Source SourcePrefixLen NextHop Metric RefCnt Use Flags Iface, all in hex.
    private static void ipv6Route(String[] f, Map<String, List<String>> into) {
        if (f.length < 10 || f[0].length() != 32) {
            return;
        }
        int flags = (int) Long.parseLong(f[8], 16);
        int prefix = Integer.parseInt(f[1], 16);
        int firstWord = Integer.parseInt(f[0].substring(0, 4), 16);
        boolean linkLocal = (firstWord & 0xFFC0) == 0xFE80;
        boolean multicast = (firstWord & 0xFF00) == 0xFF00;
        if ((flags & RTF_UP) == 0 || (flags & (RTF_REJECT | RTF_LOCAL)) != 0 || f[9].equals("lo")
                || (prefix > 0 && (linkLocal || multicast))) {
            return;
        }
        String to = prefix == 0 ? "default" : ipv6(f[0]) + "/" + prefix;
        if ((flags & RTF_GATEWAY) != 0) {
            to += " via " + ipv6(f[4]);
        }
        into.computeIfAbsent(f[9], k -> new ArrayList<>()).add(to);
    }

    private List<String> lines(String relative) {
        Path file = proc.resolve(relative);
        try {
            return Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            return List.of(); // no IPv6 in this kernel, or no network namespace support: no routes to lose
        } catch (IOException e) {
            throw new SysfsException("cannot read " + file + ": " + e.getMessage(), file, e, false);
        }
    }

    private static String ipv4(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 0xFF) + "." + (address >>> 8 & 0xFF) + "." + (address & 0xFF);
    }

    /** 32 hex digits as RFC 5952 text: lower case, leading zeros dropped, the longest run of zero groups as ::. */
    static String ipv6(String hex) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = Integer.parseInt(hex.substring(4 * i, 4 * i + 4), 16);
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is not shortened
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(i, j);
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                text.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!text.isEmpty() && text.charAt(text.length() - 1) != ':') {
                text.append(':');
            }
            text.append(Integer.toHexString(groups[i]));
        }
        return text.toString();
    }
}
