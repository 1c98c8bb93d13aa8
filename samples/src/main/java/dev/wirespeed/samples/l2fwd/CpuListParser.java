/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.samples.l2fwd;

import java.util.TreeSet;

/** Parses CPU lists like {@code 0-3,6} (as taskset and DPDK's -l take them) into sorted CPU numbers. */
final class CpuListParser {
    private CpuListParser() {
    }

    static int[] parse(String text) {
        TreeSet<Integer> cpus = new TreeSet<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            try {
                int dash = p.indexOf('-');
                int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).trim());
                int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1).trim());
                if (from < 0 || to < from || to > 1023) {
                    throw new NumberFormatException();
                }
                for (int c = from; c <= to; c++) {
                    cpus.add(c);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid CPU list '" + text + "': expected CPU numbers and ranges, e.g. 0-3,6");
            }
        }
        int online = Runtime.getRuntime().availableProcessors();
        for (int c : cpus) {
            if (c >= online) {
                throw new IllegalArgumentException("CPU " + c + " in '" + text + "' is not available: this machine offers CPUs 0-" + (online - 1));
            }
        }
        return cpus.stream().mapToInt(Integer::intValue).toArray();
    }
}
