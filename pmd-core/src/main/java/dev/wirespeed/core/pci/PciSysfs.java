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
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kernel's view of PCI functions under {@code <root>/bus/pci}: identity, bound driver, IOMMU group,
 * NUMA node, SR-IOV state and address ranges, plus the few writes that move a device between drivers and
 * create virtual functions ({@link #admin()}). The root is a parameter so tests can point it at a fake
 * tree; real use is {@link #system()}.
 *
 * <p>Every per-device method first checks that the device exists and throws
 * {@link NoSuchPciDeviceException} if not. Other I/O failures throw {@link SysfsException} naming the
 * file.
 */
public final class PciSysfs {
    private static final Pattern VIRTFN = Pattern.compile("virtfn(\\d+)");
    // Driver names become path components: refuse anything that could leave bus/pci/drivers.
    private static final Pattern DRIVER_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.+-]*");

    private final Path root;
    private final Path devices;
    private final Path drivers;

    /** @param root where sysfs is mounted ({@code /sys} on a real system) */
    public PciSysfs(Path root) {
        this.root = Objects.requireNonNull(root, "root");
        this.devices = root.resolve("bus/pci/devices");
        this.drivers = root.resolve("bus/pci/drivers");
    }

    /** The running system's sysfs at {@code /sys}. */
    public static PciSysfs system() {
        return new PciSysfs(Path.of("/sys"));
    }

    /** The root-only writes (driver binding, SR-IOV) on this tree. */
    public PciAdmin admin() {
        return new PciAdmin(this);
    }

    public Path root() {
        return root;
    }

    /** {@code <root>/bus/pci/devices/<address>}, whether or not it exists. */
    public Path deviceDirectory(PciAddress address) {
        return devices.resolve(address.toString());
    }

    /** {@code <root>/bus/pci/drivers/<driver>}, whether or not it exists. */
    public Path driverDirectory(String driver) {
        return drivers.resolve(checkDriverName(driver));
    }

    public boolean exists(PciAddress address) {
        return Files.isDirectory(deviceDirectory(address));
    }

    /** Whether the kernel has a PCI driver of that name (its module is loaded or built in). */
    public boolean isDriverLoaded(String driver) {
        return Files.isDirectory(driverDirectory(driver));
    }

    // ---------------------------------------------------------------------------------------------- reads

    /** Every PCI function the kernel knows, in address order. */
    public List<PciAddress> listDevices() {
        if (!Files.isDirectory(devices)) {
            String message = "cannot list PCI devices: " + devices + " does not exist; is sysfs mounted at " + root
                    + " and does this machine have a PCI bus?";
            throw new SysfsException(message, devices, new NoSuchFileException(devices.toString()), false);
        }
        List<PciAddress> result = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(devices)) {
            for (Path entry : entries) {
                // The kernel puts only PCI addresses here; anything else is not ours to interpret.
                addIfAddress(entry.getFileName().toString(), result);
            }
        } catch (IOException e) {
            throw SysfsFiles.failure("cannot list " + devices, devices, e, null);
        }
        result.sort(Comparator.naturalOrder());
        return result;
    }

    private static void addIfAddress(String name, List<PciAddress> into) {
        try {
            into.add(PciAddress.parse(name));
        } catch (IllegalArgumentException notAnAddress) {
            // skipped, see listDevices
        }
    }

    public int vendorId(PciAddress address) {
        return SysfsFiles.readHex(attribute(address, "vendor"));
    }

    public int deviceId(PciAddress address) {
        return SysfsFiles.readHex(attribute(address, "device"));
    }

    public int subsystemVendorId(PciAddress address) {
        return SysfsFiles.readHex(attribute(address, "subsystem_vendor"));
    }

    public int subsystemDeviceId(PciAddress address) {
        return SysfsFiles.readHex(attribute(address, "subsystem_device"));
    }

    /** The 24-bit class code, e.g. 0x020000 for an Ethernet controller. */
    public int classCode(PciAddress address) {
        return SysfsFiles.readHex(attribute(address, "class"));
    }

    /** PCI base class 0x02, network controller (Ethernet is 0x0200xx). */
    public static boolean isNetworkClass(int classCode) {
        return (classCode >>> 16) == 0x02;
    }

    /** The driver bound to the device (the name its {@code driver} link points to), if any. */
    public Optional<String> driver(PciAddress address) {
        return SysfsFiles.linkTargetName(attribute(address, "driver"));
    }

    /** The IOMMU group number, or empty when no IOMMU is translating for this device. */
    public OptionalInt iommuGroup(PciAddress address) {
        Path link = attribute(address, "iommu_group");
        Optional<String> name = SysfsFiles.linkTargetName(link);
        if (name.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(name.get()));
        } catch (NumberFormatException e) {
            throw SysfsFiles.malformed(link, "the link should end in a group number, but points to '" + name.get() + "'");
        }
    }

    /** The NUMA node the device is attached to, or -1 if unknown (including kernels built without NUMA). */
    public int numaNode(PciAddress address) {
        Path file = attribute(address, "numa_node");
        return Files.exists(file) ? SysfsFiles.readDecimal(file) : -1;
    }

    /** The driver this device is reserved for, if set; the kernel shows an unset override as {@code (null)}. */
    public Optional<String> driverOverride(PciAddress address) {
        Path file = attribute(address, "driver_override");
        if (!Files.exists(file)) {
            return Optional.empty(); // kernels before 3.16 have no override
        }
        String value = SysfsFiles.readTrimmed(file);
        return value.isEmpty() || value.equals("(null)") ? Optional.empty() : Optional.of(value);
    }

    /** Whether the device is an SR-IOV physical function (only those have the sriov_* files). */
    public boolean hasSriov(PciAddress address) {
        return Files.exists(attribute(address, "sriov_totalvfs"));
    }

    /** How many VFs are enabled now. */
    public int sriovNumVfs(PciAddress address) {
        requireSriov(address);
        return SysfsFiles.readDecimal(attribute(address, "sriov_numvfs"));
    }

    /** The most VFs this physical function can have. */
    public int sriovTotalVfs(PciAddress address) {
        requireSriov(address);
        return SysfsFiles.readDecimal(attribute(address, "sriov_totalvfs"));
    }

    /** The enabled virtual functions of a physical function, VF 0 first; empty for any other device. */
    public List<PciAddress> virtualFunctions(PciAddress address) {
        Path dir = requireDevice(address);
        // virtfn10 sorts before virtfn2 by name, so order by the number.
        TreeMap<Integer, PciAddress> byNumber = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "virtfn*")) {
            for (Path entry : entries) {
                Matcher m = VIRTFN.matcher(entry.getFileName().toString());
                if (m.matches()) {
                    byNumber.put(Integer.parseInt(m.group(1)), linkedAddress(entry));
                }
            }
        } catch (IOException e) {
            throw SysfsFiles.failure("cannot list " + dir, dir, e, null);
        }
        return List.copyOf(byNumber.values());
    }

    /** For a virtual function, its physical function; empty for any other device. */
    public Optional<PciAddress> physicalFunction(PciAddress address) {
        Path link = attribute(address, "physfn");
        return Files.isSymbolicLink(link) ? Optional.of(linkedAddress(link)) : Optional.empty();
    }

    private static PciAddress linkedAddress(Path link) {
        String name = SysfsFiles.linkTargetName(link).orElseThrow(
                () -> SysfsFiles.malformed(link, "expected a symbolic link to a PCI device"));
        try {
            return PciAddress.parse(name);
        } catch (IllegalArgumentException e) {
            throw SysfsFiles.malformed(link, "the link should point to a PCI device, but points to '" + name + "'");
        }
    }

    /** The device's address ranges, one per line of its {@code resource} file (BARs 0–5 first, then ROM, ...). */
    public List<PciResource> resources(PciAddress address) {
        Path file = attribute(address, "resource");
        List<String> lines = SysfsFiles.readTrimmed(file).lines().toList();
        List<PciResource> result = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            try {
                result.add(PciResource.parse(i, lines.get(i)));
            } catch (IllegalArgumentException e) {
                throw SysfsFiles.malformed(file, "line " + (i + 1) + ": " + e.getMessage());
            }
        }
        return List.copyOf(result);
    }

    /** A snapshot of the device's identity and bindings. */
    public PciDeviceInfo info(PciAddress address) {
        return new PciDeviceInfo(address, vendorId(address), deviceId(address), subsystemVendorId(address),
                subsystemDeviceId(address), classCode(address), driver(address), iommuGroup(address),
                numaNode(address));
    }

    // ------------------------------------------------------------------------------------------- checks

    /** The device's directory, or {@link NoSuchPciDeviceException}. */
    Path requireDevice(PciAddress address) {
        Path dir = deviceDirectory(address);
        if (!Files.isDirectory(dir)) {
            throw new NoSuchPciDeviceException(address, dir);
        }
        return dir;
    }

    /** A file in the directory of a device that must exist. */
    Path attribute(PciAddress address, String name) {
        return requireDevice(address).resolve(name);
    }

    private void requireSriov(PciAddress address) {
        if (hasSriov(address)) {
            return;
        }
        Optional<PciAddress> pf = physicalFunction(address);
        String why = pf.isPresent()
                ? "it is itself a virtual function of " + pf.get() + "; VFs are created on the physical function"
                : "the device or its driver does not support SR-IOV";
        throw new IllegalStateException(address + " has no SR-IOV capability (no sriov_totalvfs in "
                + deviceDirectory(address) + "): " + why);
    }

    Path requireDriver(String driver) {
        Path dir = driverDirectory(driver);
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("driver " + driver + " is not loaded (" + dir + " does not exist);"
                    + " load its module as root with `modprobe " + driver + "`, or `insmod " + driver
                    + ".ko` for a module built out of tree (the module name may use _ where the driver uses -)");
        }
        return dir;
    }

    static String checkDriverName(String driver) {
        if (driver == null || !DRIVER_NAME.matcher(driver).matches()) {
            throw new IllegalArgumentException("invalid driver name '" + driver
                    + "': expected a kernel driver name such as ixgbevf or uio_msi");
        }
        return driver;
    }
}
