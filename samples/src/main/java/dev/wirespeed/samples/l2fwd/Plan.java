/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.samples.l2fwd;

import dev.wirespeed.core.lcore.CpuList;

import java.util.ArrayList;
import java.util.List;

/**
 * Which ports l2fwd uses, how they pair, and which thread polls each: computed from the options and
 * validated before anything is opened, so a bad command line fails with one clear line.
 */
record Plan(List<PortPlan> ports, int[] cpus, List<PortPlan> skipped, long mask) {
    /** A port l2fwd uses: its id (= position in --dev), device string, and the thread that polls it. */
    record PortPlan(int id, String device, int lcore) {
    }

    static Plan of(List<String> devices, String portMask, String lcoreList, int burst) {
        if (burst < 1 || burst > 512) {
            throw new IllegalArgumentException("--burst must be 1..512, got " + burst);
        }
        long mask = parseMask(portMask, devices.size());
        List<Integer> enabled = new ArrayList<>();
        List<PortPlan> skipped = new ArrayList<>();
        for (int i = 0; i < devices.size(); i++) {
            if ((mask & (1L << i)) != 0) {
                enabled.add(i);
            } else {
                skipped.add(new PortPlan(i, devices.get(i), -1));
            }
        }
        if (enabled.isEmpty()) {
            throw new IllegalArgumentException("port mask 0x" + Long.toHexString(mask) + " enables none of the " + devices.size() + " ports");
        }
        if (enabled.size() % 2 != 0) {
            throw new IllegalArgumentException("l2fwd forwards between pairs of ports (0<->1, 2<->3, ...), but " + enabled.size()
                    + " port(s) are enabled; give an even number of --dev or a mask that enables pairs");
        }
        int[] cpus = lcoreList == null ? new int[] {-1} : availableCpus(lcoreList);
        int threads = Math.min(cpus.length, enabled.size());
        List<PortPlan> ports = new ArrayList<>();
        for (int k = 0; k < enabled.size(); k++) {
            ports.add(new PortPlan(enabled.get(k), devices.get(enabled.get(k)), k % threads));
        }
        int[] used = new int[threads];
        System.arraycopy(cpus, 0, used, 0, threads);
        return new Plan(List.copyOf(ports), used, List.copyOf(skipped), mask);
    }

    private static int[] availableCpus(String list) {
        int[] cpus = CpuList.parseToArray(list);
        int online = Runtime.getRuntime().availableProcessors();
        for (int c : cpus) {
            if (c >= online) {
                throw new IllegalArgumentException("CPU " + c + " in --lcores " + list + " is not available: this machine offers CPUs 0-" + (online - 1));
            }
        }
        return cpus;
    }

    private static long parseMask(String text, int portCount) {
        if (portCount > 63) {
            throw new IllegalArgumentException("l2fwd supports at most 63 ports, got " + portCount);
        }
        long all = (1L << portCount) - 1;
        if (text == null) {
            return all;
        }
        String t = text.trim().toLowerCase().replaceFirst("^0x", "");
        long mask;
        try {
            mask = Long.parseUnsignedLong(t, 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid port mask '" + text + "': expected hexadecimal, e.g. -p 3 for ports 0 and 1");
        }
        if ((mask & ~all) != 0) {
            throw new IllegalArgumentException("port mask 0x" + Long.toHexString(mask) + " names ports that were not given: only "
                    + portCount + " --dev (mask 0x" + Long.toHexString(all) + ")");
        }
        return mask;
    }

    int lcoreCount() {
        return cpus.length;
    }

    /** The CPU thread {@code lcore} is pinned to, or -1 for none. */
    int cpuOf(int lcore) {
        return cpus[lcore];
    }

    /** Positions (in {@link #ports()}) of the ports thread {@code lcore} receives from. */
    List<Integer> rxPortsOf(int lcore) {
        List<Integer> mine = new ArrayList<>();
        for (int i = 0; i < ports.size(); i++) {
            if (ports.get(i).lcore() == lcore) {
                mine.add(i);
            }
        }
        return mine;
    }

    /** Ports thread {@code lcore} receives from, as "rx port 0 -> tx port 1, rx port 2 -> tx port 3". */
    String describeLcore(int lcore) {
        List<String> flows = new ArrayList<>();
        for (int i : rxPortsOf(lcore)) {
            flows.add("rx port " + ports.get(i).id() + " -> tx port " + ports.get(partnerOf(i)).id());
        }
        return String.join(", ", flows);
    }

    /**
     * The fewest buffers thread {@code lcore}'s pool may hold: a full rx ring for each port it polls, and a
     * burst on top (with less, the rings are filled and nothing is left to replace a received buffer, or
     * the first ring cannot even be filled).
     */
    int minimumPoolSize(int lcore, int ringSize, int burst) {
        return rxPortsOf(lcore).size() * ringSize + burst;
    }

    /** The position of the port that position {@code i} forwards to: pairs are consecutive enabled ports. */
    int partnerOf(int i) {
        return i ^ 1;
    }
}
