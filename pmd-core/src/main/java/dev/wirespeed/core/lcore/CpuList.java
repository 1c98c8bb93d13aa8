/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.lcore;

import dev.wirespeed.core.os.LibC;

import java.util.BitSet;

/**
 * The Linux/DPDK CPU list notation, e.g. {@code "0-3,6"} for CPUs 0, 1, 2, 3 and 6 (as in
 * {@code taskset -c}, {@code /sys/devices/system/cpu/online} and DPDK's {@code -l}).
 *
 * <p>Items are single CPUs or inclusive ranges {@code a-b} with {@code a <= b}, separated by commas;
 * blanks around items are ignored. A CPU may appear only once: lists usually assign one lcore per CPU,
 * so a repeat is almost always a typo. The stride form {@code 0-8:2} is not supported.
 */
public final class CpuList {
    /** The highest CPU number sched_setaffinity can address with our mask size. */
    public static final int MAX_CPU = LibC.CPU_SET_BYTES * 8 - 1;

    private CpuList() {
    }

    /** Parses {@code text}; throws {@link IllegalArgumentException} saying which item is wrong and why. */
    public static BitSet parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty CPU list; expected CPUs and ranges like \"0-3,6\"");
        }
        BitSet cpus = new BitSet();
        String[] items = text.split(",", -1);
        for (int i = 0; i < items.length; i++) {
            String item = items[i].strip();
            if (item.isEmpty()) {
                throw new IllegalArgumentException("CPU list \"" + text + "\" has an empty item at position " + (i + 1)
                        + " (stray comma?); expected CPUs and ranges like \"0-3,6\"");
            }
            if (item.indexOf(':') >= 0) {
                throw new IllegalArgumentException("CPU list \"" + text + "\": item \"" + item + "\" uses the stride"
                        + " form, which is not supported; list the CPUs explicitly, e.g. \"0,2,4\"");
            }
            int dash = item.indexOf('-');
            int first;
            int last;
            if (dash < 0) {
                first = cpuNumber(text, item, item);
                last = first;
            } else {
                first = cpuNumber(text, item, item.substring(0, dash).strip());
                last = cpuNumber(text, item, item.substring(dash + 1).strip());
                if (first > last) {
                    throw new IllegalArgumentException("CPU list \"" + text + "\": range \"" + item + "\" runs backwards;"
                            + " write it as \"" + last + "-" + first + "\"");
                }
            }
            int repeated = cpus.nextSetBit(first);
            if (repeated >= 0 && repeated <= last) {
                throw new IllegalArgumentException("CPU list \"" + text + "\" names CPU " + repeated
                        + " more than once (again in \"" + item + "\"); each CPU may appear only once");
            }
            cpus.set(first, last + 1);
        }
        return cpus;
    }

    /** Like {@link #parse} but as ascending CPU numbers. */
    public static int[] parseToArray(String text) {
        return parse(text).stream().toArray();
    }

    /** The shortest list notation for {@code cpus}, e.g. {@code "0-3,6"}; {@code ""} for none. */
    public static String format(BitSet cpus) {
        StringBuilder out = new StringBuilder();
        for (int first = cpus.nextSetBit(0); first >= 0; ) {
            int end = cpus.nextClearBit(first); // exclusive
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(first);
            if (end - 1 > first) {
                out.append('-').append(end - 1);
            }
            first = cpus.nextSetBit(end);
        }
        return out.toString();
    }

    private static int cpuNumber(String text, String item, String number) {
        if (number.isEmpty() || !number.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("CPU list \"" + text + "\": \"" + item + "\" is not a CPU number or a"
                    + " range a-b of non-negative CPU numbers");
        }
        int cpu;
        try {
            cpu = number.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(number);
        } catch (NumberFormatException e) {
            cpu = Integer.MAX_VALUE;
        }
        if (cpu > MAX_CPU) {
            throw new IllegalArgumentException("CPU list \"" + text + "\": CPU " + number + " in \"" + item
                    + "\" is beyond the largest supported CPU number " + MAX_CPU);
        }
        return cpu;
    }
}
