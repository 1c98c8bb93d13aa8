/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.uio;

import dev.wirespeed.core.pci.PciAddress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The UIO device ({@code uioN}) the kernel created for a PCI function bound to uio_msi, as sysfs
 * describes it under {@code <pci device>/uio/uioN} (the directory {@code /sys/class/uio/uioN} links to):
 * its name, which gives the {@code /dev} node, and its memory maps, which say where each BAR is in
 * that node's mmap offsets.
 */
final class UioDevice {
    private static final Pattern UIO_NAME = Pattern.compile("uio(\\d+)");
    private static final Pattern MAP_NAME = Pattern.compile("map(\\d+)");
    private static final Pattern BAR_NAME = Pattern.compile("BAR([0-5])");

    /**
     * One UIO memory map: the {@code index}-th memory BAR, reachable by mmap of {@code /dev/uioN} at
     * {@code index} pages.
     *
     * @param address the BAR's bus address (its low bits place a BAR smaller than a page inside its page)
     */
    record MemoryMap(int index, int bar, long address, long size) {
    }

    private final PciAddress pci;
    private final String name;
    private final Path directory;
    private final List<MemoryMap> maps;

    private UioDevice(PciAddress pci, String name, Path directory, List<MemoryMap> maps) {
        this.pci = pci;
        this.name = name;
        this.directory = directory;
        this.maps = List.copyOf(maps);
    }

    /**
     * Reads the UIO device of the PCI function whose sysfs directory is {@code pciDirectory}.
     *
     * @throws IllegalStateException if the function has no UIO device (the driver's probe failed)
     */
    static UioDevice of(PciAddress pci, Path pciDirectory) {
        Path uioDir = pciDirectory.resolve("uio");
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(uioDir)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(uioDir)) {
                for (Path entry : entries) {
                    if (UIO_NAME.matcher(entry.getFileName().toString()).matches()) {
                        found.add(entry);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + uioDir + ": " + e.getMessage(), e);
            }
        }
        if (found.size() != 1) {
            throw new IllegalStateException(pci + " is bound to uio_msi but " + (found.isEmpty()
                    ? "has no UIO device (" + uioDir + " lists no uioN)" : "has " + found.size() + " UIO devices in " + uioDir)
                    + "; the driver's probe did not complete. `dmesg | grep uio_msi` says why; rebind with"
                    + " bin/devbind --bind uio_msi " + pci);
        }
        Path dir = found.getFirst();
        return new UioDevice(pci, dir.getFileName().toString(), dir, readMaps(dir.resolve("maps")));
    }

    private static List<MemoryMap> readMaps(Path mapsDir) {
        List<MemoryMap> maps = new ArrayList<>();
        if (!Files.isDirectory(mapsDir)) {
            return maps; // a device without memory BARs has no maps directory
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(mapsDir)) {
            for (Path entry : entries) {
                Matcher m = MAP_NAME.matcher(entry.getFileName().toString());
                if (m.matches()) {
                    maps.add(readMap(Integer.parseInt(m.group(1)), entry));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + mapsDir + ": " + e.getMessage(), e);
        }
        maps.sort((a, b) -> Integer.compare(a.index(), b.index()));
        return maps;
    }

    private static MemoryMap readMap(int index, Path dir) {
        String barName = read(dir.resolve("name"));
        Matcher bar = BAR_NAME.matcher(barName);
        if (!bar.matches()) {
            throw malformed(dir.resolve("name"), "expected BAR0 to BAR5 (uio_msi names every map after its BAR), found '"
                    + barName + "'; is this device really bound to uio_msi?");
        }
        return new MemoryMap(index, Integer.parseInt(bar.group(1)), readHex(dir.resolve("addr")), readHex(dir.resolve("size")));
    }

    /** The name, e.g. {@code uio0}, which is also the name of its {@code /dev} node. */
    String name() {
        return name;
    }

    /** Its sysfs directory ({@code <pci device>/uio/uioN}). */
    Path directory() {
        return directory;
    }

    List<MemoryMap> maps() {
        return maps;
    }

    /** The map that exports memory BAR {@code bar}, if the driver exported it. */
    Optional<MemoryMap> mapOfBar(int bar) {
        return maps.stream().filter(m -> m.bar() == bar).findFirst();
    }

    @Override
    public String toString() {
        return name + " (" + pci + ")";
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e, e);
        }
    }

    static long readHex(Path file) {
        String text = read(file);
        if (text.startsWith("0x") || text.startsWith("0X")) {
            try {
                return Long.parseUnsignedLong(text.substring(2), 16);
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw malformed(file, "expected a hexadecimal number such as 0x0000000000020000, found '" + text + "'");
    }

    static int readDecimal(Path file) {
        String text = read(file);
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw malformed(file, "expected a decimal number, found '" + text + "'");
        }
    }

    static UncheckedIOException malformed(Path file, String detail) {
        String message = "unexpected content in " + file + ": " + detail;
        return new UncheckedIOException(message, new IOException(message));
    }
}
