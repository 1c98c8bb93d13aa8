/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.dma;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Command line for the 2 MiB hugepage pool: shows it, resizes it, mounts hugetlbfs. Run through
 * {@code bin/hugepages}.
 */
public final class HugepagesTool {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    static final String HELP = """
            usage: bin/hugepages [show]          show the 2 MiB hugepage pool and hugetlbfs mounts
                   bin/hugepages reserve N       set the pool to N hugepages (needs root)
                   bin/hugepages mount [DIR]     mount hugetlbfs with 2 MiB pages on DIR (default /dev/hugepages; needs root)
                   bin/hugepages --help          this text
            wirespeed takes DMA memory for real devices from 2 MiB hugepages through a hugetlbfs mount.
            """;

    private final Hugepages hugepages;
    private final PrintStream out;
    private final PrintStream err;

    HugepagesTool(Hugepages hugepages, PrintStream out, PrintStream err) {
        this.hugepages = hugepages;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new HugepagesTool(Hugepages.system(), System.out, System.err).run(args));
    }

    /** Runs one command; returns the process exit status. */
    int run(String... args) {
        String command = args.length == 0 ? "show" : args[0];
        try {
            return switch (command) {
                case "show" -> args.length == 1 || args.length == 0 ? show() : usage("'show' takes no arguments");
                case "reserve" -> args.length == 2 ? reserve(args[1]) : usage("'reserve' needs exactly one number of hugepages");
                case "mount" -> args.length <= 2 ? mount(args.length == 2 ? Path.of(args[1]) : Hugepages.DEFAULT_MOUNT)
                        : usage("'mount' takes at most one directory");
                case "--help", "-h", "help" -> {
                    out.print(HELP);
                    yield OK;
                }
                default -> usage("unknown command '" + command + "'");
            };
        } catch (DmaException e) {
            err.println("hugepages: " + e.getMessage());
            return FAILED;
        }
    }

    private int show() {
        Hugepages.Pool pool = hugepages.pool();
        out.printf("2 MiB hugepages (%s)%n", hugepages.poolDirectory());
        out.printf("  total     %6d  (%s)%n", pool.total(), mib(pool.total()));
        out.printf("  free      %6d  (%s)%n", pool.free(), mib(pool.free()));
        out.printf("  reserved  %6d  (%s)%n", pool.reserved(), mib(pool.reserved()));
        out.printf("  surplus   %6d  (%s)%n", pool.surplus(), mib(pool.surplus()));
        List<Hugepages.Mount> mounts = hugepages.mounts();
        if (mounts.isEmpty()) {
            out.println("hugetlbfs mounts: none (mount one with: bin/hugepages mount)");
        } else {
            out.println("hugetlbfs mounts:");
            for (Hugepages.Mount m : mounts) {
                out.printf("  %-30s pagesize %s%n", m.directory(), size(m.pageSize()));
            }
        }
        return OK;
    }

    private int reserve(String count) {
        long pages;
        try {
            pages = Long.parseLong(count);
        } catch (NumberFormatException e) {
            return usage("'" + count + "' is not a number of hugepages");
        }
        if (pages < 0) {
            return usage("the number of hugepages must not be negative: " + pages);
        }
        long granted = hugepages.reserve(pages);
        if (granted < pages) {
            err.printf("hugepages: asked for %d hugepages, the kernel granted %d (%s): physical memory is too small or"
                    + " too fragmented. Free some (echo 3 > /proc/sys/vm/drop_caches; echo 1 > /proc/sys/vm/compact_memory)"
                    + " and retry, or reserve at boot with the kernel parameter hugepages=%d%n", pages, granted, mib(granted), pages);
            return FAILED;
        }
        out.printf("reserved %d hugepages (%s)%n", granted, mib(granted));
        long surplus = hugepages.pool().surplus();
        if (surplus > 0) {
            // Shrinking below the pages in use turns the excess into surplus pages, freed when released.
            out.printf("%d more are in use beyond that and return to the system when freed%n", surplus);
        }
        return OK;
    }

    private int mount(Path directory) {
        Hugepages.Mount m = hugepages.mountHugetlbfs(directory);
        out.printf("hugetlbfs with %s pages mounted on %s%n", size(m.pageSize()), m.directory());
        return OK;
    }

    private int usage(String problem) {
        err.println("hugepages: " + problem);
        err.print(HELP);
        return USAGE;
    }

    private static String mib(long pages) {
        return (pages * Hugepages.PAGE_SIZE >> 20) + " MiB";
    }

    private static String size(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        return (bytes >> 10) + " KiB";
    }
}
