/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.dma;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The system's pool of 2 MiB hugepages and the hugetlbfs mounts they are allocated through.
 *
 * <p>The pool lives in sysfs ({@code /sys/kernel/mm/hugepages/hugepages-2048kB/}); the mounts are
 * listed in {@code /proc/mounts}. Both locations can be replaced, so tests can point this class at
 * files they wrote.
 */
public final class Hugepages {
    /** The hugepage size wirespeed uses: one DMA chunk. */
    public static final long PAGE_SIZE = 2L << 20;
    public static final Path SYSFS_HUGEPAGES = Path.of("/sys/kernel/mm/hugepages");
    public static final Path PROC_MOUNTS = Path.of("/proc/mounts");
    /** Where distributions (systemd's dev-hugepages.mount) and DPDK expect the mount. */
    public static final Path DEFAULT_MOUNT = Path.of("/dev/hugepages");

    private static final String POOL_DIR = "hugepages-" + (PAGE_SIZE >> 10) + "kB";

    private final Path poolDir;
    private final Path procMounts;

    /**
     * @param sysfsHugepages the directory holding {@code hugepages-2048kB/}, normally {@link #SYSFS_HUGEPAGES}
     * @param procMounts     the mount table, normally {@link #PROC_MOUNTS}
     */
    public Hugepages(Path sysfsHugepages, Path procMounts) {
        this.poolDir = sysfsHugepages.resolve(POOL_DIR);
        this.procMounts = procMounts;
    }

    /** This machine's pool and mounts. */
    public static Hugepages system() {
        return new Hugepages(SYSFS_HUGEPAGES, PROC_MOUNTS);
    }

    /**
     * A snapshot of the pool's counters, as the kernel names them.
     *
     * @param total      {@code nr_hugepages}: pages in the pool
     * @param free       {@code free_hugepages}: pages not backing any mapping yet (includes reserved ones)
     * @param reserved   {@code resv_hugepages}: free pages already promised to a mapping
     * @param surplus    {@code surplus_hugepages}: pages allocated beyond {@code total} by overcommit
     * @param overcommit {@code nr_overcommit_hugepages}: how many surplus pages the kernel may allocate
     */
    public record Pool(long total, long free, long reserved, long surplus, long overcommit) {
        /** Pages a new mapping can get now: free ones nobody was promised, plus overcommit headroom. */
        public long available() {
            return Math.max(0, free - reserved) + Math.max(0, overcommit - surplus);
        }
    }

    /** A hugetlbfs mount point and the page size its files are made of. */
    public record Mount(Path directory, long pageSize) {
    }

    public Path poolDirectory() {
        return poolDir;
    }

    /** The file whose value is the pool size; writing it asks the kernel for that many pages. */
    public Path nrHugepagesFile() {
        return poolDir.resolve("nr_hugepages");
    }

    public Pool pool() {
        return new Pool(
                readCounter("nr_hugepages"),
                readCounter("free_hugepages"),
                readCounter("resv_hugepages"),
                readCounter("surplus_hugepages"),
                // Optional: older kernels and minimal test fixtures may lack it; no file means no overcommit.
                Files.exists(poolDir.resolve("nr_overcommit_hugepages")) ? readCounter("nr_overcommit_hugepages") : 0);
    }

    /**
     * Asks the kernel for a pool of {@code pages} hugepages (growing or shrinking it) and returns how many
     * it now holds. The kernel may grant fewer when physical memory is fragmented, and cannot shrink below
     * the pages in use, so callers must look at the result.
     */
    public long reserve(long pages) {
        if (pages < 0) {
            throw new IllegalArgumentException("hugepage count must not be negative: " + pages);
        }
        Path file = nrHugepagesFile();
        try {
            Files.writeString(file, pages + "\n", StandardCharsets.US_ASCII,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (AccessDeniedException e) {
            throw new DmaException("cannot write " + file + " to reserve " + pages
                    + " hugepages: permission denied. Changing the hugepage pool needs root: sudo bin/hugepages reserve " + pages, e);
        } catch (NoSuchFileException e) {
            throw new DmaException(noPoolMessage(file), e);
        } catch (IOException e) {
            throw new DmaException("cannot write " + file + " to reserve " + pages + " hugepages: " + e.getMessage(), e);
        }
        return readCounter("nr_hugepages");
    }

    /** Every hugetlbfs mount in the mount table, in table order. */
    public List<Mount> mounts() {
        List<String> lines;
        try {
            lines = Files.readAllLines(procMounts, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DmaException("cannot read the mount table " + procMounts + ": " + e.getMessage(), e);
        }
        List<Mount> mounts = new ArrayList<>();
        for (String line : lines) {
            // "<device> <mount point> <fs type> <options> <dump> <pass>", spaces in paths escaped as \040
            String[] fields = line.trim().split("\\s+");
            if (fields.length >= 4 && fields[2].equals("hugetlbfs")) {
                mounts.add(new Mount(Path.of(unescape(fields[1])), pageSizeOption(fields[3])));
            }
        }
        return List.copyOf(mounts);
    }

    /** The first mount of 2 MiB pages, if any. */
    public Optional<Mount> findMount() {
        return mounts().stream().filter(m -> m.pageSize() == PAGE_SIZE).findFirst();
    }

    /** The mount of 2 MiB pages whose mount point is {@code directory}, if it is one. */
    public Optional<Mount> mountAt(Path directory) {
        Path wanted = directory.toAbsolutePath().normalize();
        return mounts().stream()
                .filter(m -> m.pageSize() == PAGE_SIZE && m.directory().toAbsolutePath().normalize().equals(wanted))
                .findFirst();
    }

    /**
     * Mounts hugetlbfs with 2 MiB pages on {@code directory}, creating it first. Does nothing if a 2 MiB
     * hugetlbfs is already mounted there. Needs root.
     */
    public Mount mountHugetlbfs(Path directory) {
        Optional<Mount> existing = mountAt(directory);
        if (existing.isPresent()) {
            return existing.get();
        }
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new DmaException("cannot create the hugetlbfs mount point " + directory + ": " + e.getMessage(), e);
        }
        run("mount", "-t", "hugetlbfs", "-o", "pagesize=2M", "nodev", directory.toString());
        return mountAt(directory).orElseThrow(() -> new DmaException("mount reported success but " + procMounts
                + " lists no 2 MiB hugetlbfs at " + directory));
    }

    /** Unmounts the hugetlbfs at {@code directory} (the directory itself stays). Needs root. */
    public void unmount(Path directory) {
        run("umount", directory.toString());
    }

    /** Parses the {@code pagesize=} mount option ("2M", "1024M", "1G"); absent means 2 MiB. */
    static long pageSizeOption(String options) {
        for (String option : options.split(",")) {
            if (option.startsWith("pagesize=")) {
                return parseSize(option.substring("pagesize=".length()));
            }
        }
        return PAGE_SIZE;
    }

    static long parseSize(String text) {
        if (text.isEmpty()) {
            throw new DmaException("empty hugetlbfs pagesize option");
        }
        char unit = Character.toUpperCase(text.charAt(text.length() - 1));
        int shift = switch (unit) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            default -> 0;
        };
        String digits = shift == 0 ? text : text.substring(0, text.length() - 1);
        try {
            return Long.parseLong(digits) << shift;
        } catch (NumberFormatException e) {
            throw new DmaException("unreadable hugetlbfs pagesize option '" + text + "' (expected e.g. 2M or 1G)", e);
        }
    }

    /** Undoes the octal escapes ({@code \040} for a space) the kernel writes into mount table paths. */
    static String unescape(String field) {
        StringBuilder sb = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                sb.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }

    private long readCounter(String name) {
        Path file = poolDir.resolve(name);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException e) {
            throw new DmaException(noPoolMessage(file), e);
        } catch (IOException e) {
            throw new DmaException("cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new DmaException(file + " holds '" + text + "', not a page count", e);
        }
    }

    private static String noPoolMessage(Path file) {
        return file + " does not exist: this kernel has no pool of 2 MiB hugepages"
                + " (it needs CONFIG_HUGETLBFS, and an x86_64 or arm64 machine with 4 KiB base pages)";
    }

    /** Runs a mount-table command, failing with its output if it fails. */
    private static void run(String... command) {
        String commandLine = String.join(" ", command);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            // Only a hang guard: mount and umount finish at once or not at all.
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new DmaException("'" + commandLine + "' did not finish within 60 s");
            }
            if (p.exitValue() != 0) {
                String detail = output.isEmpty() ? "" : ": " + output.replaceAll("\\.+$", "");
                String hint = output.contains("superuser") || output.contains("ermission") || output.contains("root")
                        ? ". Mounting and unmounting need root: run it with sudo"
                        : output.contains("busy") ? ". Something still maps or opens a file in it: stop that process first" : "";
                throw new DmaException("'" + commandLine + "' failed (exit " + p.exitValue() + ")" + detail + hint);
            }
        } catch (IOException e) {
            throw new DmaException("cannot run '" + commandLine + "': " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DmaException("interrupted while running '" + commandLine + "'", e);
        }
    }
}
