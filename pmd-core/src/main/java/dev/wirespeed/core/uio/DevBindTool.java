/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.uio;

import dev.wirespeed.core.pci.NetInterfaces;
import dev.wirespeed.core.pci.PciAddress;
import dev.wirespeed.core.pci.PciAdmin;
import dev.wirespeed.core.pci.PciDeviceInfo;
import dev.wirespeed.core.pci.PciSysfs;
import dev.wirespeed.core.vfio.VfioGroupAdmin;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Command line that shows PCI network functions and moves them between drivers, in the spirit of
 * DPDK's {@code dpdk-devbind.py}: {@code --status}, {@code --bind DRIVER ADDR...}, {@code --unbind ADDR...},
 * {@code --create-vfs N PF}. Run through {@code bin/devbind}.
 *
 * <p>Before unbinding a device it checks what would make the new binding fail (driver not loaded,
 * uio_msi without its opt-in), so a mistake never leaves the device without any driver. Like
 * dpdk-devbind it leaves alone, unless {@code --force} is given, a device whose kernel interface carries
 * routes (it is "*Active*" in {@code --status}): unbinding it could cut this machine off a network, perhaps
 * the one the user is logged in through. That check looks only at the device, not at the target driver.
 */
public final class DevBindTool {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    static final String HELP = """
            usage: bin/devbind [--status]                 list PCI network functions (and VFs) with their drivers
                                                          and kernel interfaces; *Active*: an interface has routes
                   bin/devbind --bind DRIVER ADDR...      bind functions to DRIVER: uio_msi, vfio-pci or a kernel
                                                          driver such as ixgbevf (unbinds them first; needs root)
                   bin/devbind --unbind ADDR...           detach functions from their driver (needs root)
                   bin/devbind --owner USER ADDR...       hand the IOMMU groups of functions on vfio-pci to USER
                                                          (their /dev/vfio/N), so USER runs wirespeed without root
                   --force                                with --bind/--unbind: also take *Active* functions
                   bin/devbind --create-vfs N PF_ADDR     enable N SR-IOV virtual functions on PF_ADDR, 0 removes
                                                          them (needs root and the PF's kernel driver, e.g. ixgbe)
                   bin/devbind --help                     this text
            ADDR is a PCI address, dddd:bb:dd.f or bb:dd.f (see --status or `lspci -D`).
            wirespeed drives devices bound to vfio-pci (with an IOMMU: the safe choice) or to uio_msi (without
            one; driver/README.md; --status says how to load it here).
            """;

    /**
     * The sysfs writes the tool makes, one interface so tests can play the kernel's part too (a bind
     * write to a plain file creates no driver link).
     */
    interface Kernel {
        Optional<String> unbind(PciAddress address);

        void bind(PciAddress address, String driver);

        void clearDriverOverride(PciAddress address);

        void setNumVfs(PciAddress pf, int count);

        static Kernel of(PciAdmin admin) {
            return new Kernel() {
                @Override
                public Optional<String> unbind(PciAddress address) {
                    return admin.unbind(address);
                }

                @Override
                public void bind(PciAddress address, String driver) {
                    admin.bind(address, driver);
                }

                @Override
                public void clearDriverOverride(PciAddress address) {
                    admin.setDriverOverride(address, null);
                }

                @Override
                public void setNumVfs(PciAddress pf, int count) {
                    admin.setNumVfs(pf, count);
                }
            };
        }
    }

    private final PciSysfs sysfs;
    private final NetInterfaces net;
    private final String loadUioMsi;
    private final Kernel kernel;
    private final VfioGroupAdmin vfio;
    private final PrintStream out;
    private final PrintStream err;
    private boolean force;
    private Map<String, List<String>> routes; // read once per command, when first needed

    /** @param loadUioMsi the command that loads uio_msi here, see {@link UioMsiLoadCommand} */
    DevBindTool(PciSysfs sysfs, NetInterfaces net, String loadUioMsi, Kernel kernel, PrintStream out, PrintStream err) {
        this(sysfs, net, loadUioMsi, kernel, Path.of("/dev"), out, err);
    }

    /** @param devDirectory where the {@code vfio/N} group nodes are ({@code /dev}) */
    DevBindTool(PciSysfs sysfs, NetInterfaces net, String loadUioMsi, Kernel kernel, Path devDirectory, PrintStream out,
                PrintStream err) {
        this.vfio = new VfioGroupAdmin(sysfs, devDirectory);
        this.sysfs = Objects.requireNonNull(sysfs, "sysfs");
        this.net = Objects.requireNonNull(net, "net");
        this.loadUioMsi = Objects.requireNonNull(loadUioMsi, "loadUioMsi");
        this.kernel = Objects.requireNonNull(kernel, "kernel");
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        PciSysfs sysfs = PciSysfs.system();
        System.exit(new DevBindTool(sysfs, new NetInterfaces(sysfs, Path.of("/proc")), UioMsiLoadCommand.forThisMachine(),
                Kernel.of(sysfs.admin()), System.out, System.err).run(args));
    }

    /** Runs one command; returns the process exit status. */
    int run(String... arguments) {
        List<String> all = new ArrayList<>(Arrays.asList(arguments));
        force = all.removeIf("--force"::equals); // anywhere on the line, as dpdk-devbind takes it
        routes = null;
        String[] args = all.toArray(String[]::new);
        String command = args.length == 0 ? "--status" : args[0];
        List<String> rest = Arrays.asList(args).subList(Math.min(1, args.length), args.length);
        if (command.startsWith("--bind=")) {
            rest = new ArrayList<>(rest);
            rest.addFirst(command.substring("--bind=".length()));
            command = "--bind";
        }
        try {
            return switch (command) {
                case "--status", "-s", "status" -> rest.isEmpty() ? status() : usage("--status takes no arguments");
                case "--bind", "-b" -> rest.size() >= 2 ? bind(rest.getFirst(), addresses(rest.subList(1, rest.size())))
                        : usage("--bind needs a driver and at least one PCI address, e.g. --bind uio_msi 0000:03:10.0");
                case "--unbind", "-u" -> rest.isEmpty() ? usage("--unbind needs at least one PCI address") : unbind(addresses(rest));
                case "--owner" -> rest.size() >= 2 ? owner(rest.getFirst(), addresses(rest.subList(1, rest.size())))
                        : usage("--owner needs a user and at least one PCI address, e.g. --owner alice 0000:03:10.0");
                case "--create-vfs" -> rest.size() == 2 ? createVfs(rest.get(0), PciAddress.parse(rest.get(1)))
                        : usage("--create-vfs needs a count and a physical function's address, e.g. --create-vfs 2 0000:03:00.0");
                case "--help", "-h", "help" -> {
                    out.print(HELP);
                    yield OK;
                }
                default -> usage("unknown command '" + command + "'");
            };
        } catch (BadArgument e) {
            return usage(e.getMessage());
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            err.println("devbind: " + e.getMessage());
            return FAILED;
        }
    }

    private int usage(String problem) {
        err.println("devbind: " + problem);
        err.print(HELP);
        return USAGE;
    }

    /** A command-line mistake (exit status 2 with the help), as opposed to a failed action. */
    private static final class BadArgument extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadArgument(String message) {
            super(message, null, false, false);
        }
    }

    private static List<PciAddress> addresses(List<String> texts) {
        List<PciAddress> result = new ArrayList<>();
        for (String text : texts) {
            try {
                result.add(PciAddress.parse(text));
            } catch (IllegalArgumentException e) {
                throw new BadArgument(e.getMessage());
            }
        }
        return result;
    }

    // ---------------------------------------------------------------------------------------- status

    private int status() {
        List<PciDeviceInfo> network = new ArrayList<>();
        for (PciAddress a : sysfs.listDevices()) {
            if (PciSysfs.isNetworkClass(sysfs.classCode(a))) {
                network.add(sysfs.info(a));
            }
        }
        if (network.isEmpty()) {
            out.println("no network functions (PCI class 02) on this machine");
        } else {
            String format = "%-13s %-10s %-10s %-10s %-6s %-5s %s";
            out.println(String.format(format, "ADDRESS", "ID", "DRIVER", "INTERFACE", "IOMMU", "NUMA", "DETAILS"));
            boolean anyActive = false;
            for (PciDeviceInfo d : network) {
                List<String> interfaces = net.of(d.address());
                boolean active = !activeRoutes(d.address()).isEmpty();
                anyActive |= active;
                out.println(String.format(format, d.address(), String.format("%04x:%04x", d.vendorId(), d.deviceId()),
                        d.driver().orElse("-"), interfaces.isEmpty() ? "-" : String.join(",", interfaces),
                        d.iommuGroup().isPresent() ? Integer.toString(d.iommuGroup().getAsInt()) : "-",
                        d.numaNode() < 0 ? "-" : Integer.toString(d.numaNode()), details(d, active)).stripTrailing());
            }
            if (anyActive) {
                out.println("*Active*: its interface carries routes; --bind and --unbind leave it alone without --force");
            }
        }
        List<String> groups = vfio.groupLines(network.stream().map(PciDeviceInfo::address).toList());
        if (!groups.isEmpty()) {
            out.println("IOMMU groups:");
            groups.forEach(g -> out.println("  " + g));
        }
        out.println("uio_msi: " + moduleState());
        out.println("vfio-pci: " + (sysfs.isDriverLoaded("vfio-pci") ? "loaded" : "not loaded"));
        return OK;
    }

    /** SR-IOV relation, driver reservation and, for uio_msi, the UIO device and interrupt mode. */
    private String details(PciDeviceInfo d, boolean active) {
        List<String> parts = new ArrayList<>();
        if (active) {
            parts.add("*Active*");
        }
        PciAddress a = d.address();
        Optional<PciAddress> pf = sysfs.physicalFunction(a);
        if (pf.isPresent()) {
            int n = sysfs.virtualFunctions(pf.get()).indexOf(a);
            parts.add("VF" + (n < 0 ? "" : " " + n) + " of " + pf.get());
        } else if (sysfs.hasSriov(a)) {
            parts.add("PF, " + sysfs.sriovNumVfs(a) + " of " + sysfs.sriovTotalVfs(a) + " VFs enabled");
        }
        sysfs.driverOverride(a).ifPresent(o -> parts.add("reserved for " + o));
        if (d.driver().filter(UioMsiAbi.DRIVER::equals).isPresent()) {
            parts.add(uioSummary(a));
        }
        return parts.isEmpty() ? "" : String.join(", ", parts);
    }

    private String uioSummary(PciAddress a) {
        Path dir = sysfs.deviceDirectory(a);
        try {
            UioDevice uio = UioDevice.of(a, dir);
            return "/dev/" + uio.name() + " " + UioDevice.read(dir.resolve(UioMsiAbi.SYSFS_IRQ_MODE)) + " x"
                    + UioDevice.readDecimal(dir.resolve(UioMsiAbi.SYSFS_NUM_VECTORS));
        } catch (RuntimeException e) {
            return "no UIO device (probe incomplete? see dmesg)";
        }
    }

    private String moduleState() {
        if (!sysfs.isDriverLoaded(UioMsiAbi.DRIVER)) {
            return "not loaded; load it with " + loadUioMsi;
        }
        return switch (allowUnsafeDma()) {
            case YES -> "loaded, allow_unsafe_dma=1";
            case NO -> "loaded without allow_unsafe_dma=1: it refuses every device (see --bind)";
            case UNKNOWN -> "loaded";
        };
    }

    private enum OptIn { YES, NO, UNKNOWN }

    private OptIn allowUnsafeDma() {
        Path param = sysfs.root().resolve(UioMsiAbi.PARAM_ALLOW_UNSAFE_DMA);
        if (!Files.isReadable(param)) {
            return OptIn.UNKNOWN;
        }
        String value = UioDevice.read(param);
        return value.equals("Y") || value.equals("1") ? OptIn.YES : OptIn.NO;
    }

    // ------------------------------------------------------------------------------------ bind, unbind

    private int bind(String driver, List<PciAddress> addresses) {
        requireLoaded(driver);
        if (driver.equals(UioMsiAbi.DRIVER) && allowUnsafeDma() == OptIn.NO) {
            Path param = sysfs.root().resolve(UioMsiAbi.PARAM_ALLOW_UNSAFE_DMA);
            throw new IllegalStateException("uio_msi is loaded without allow_unsafe_dma=1 and would refuse every device:"
                    + " it gives user space a device's DMA without IOMMU protection only when told to. Opt in as root with"
                    + " `echo 1 > " + param + "` (or reload it: `sudo rmmod uio_msi`, then " + loadUioMsi + ");"
                    + " or use vfio-pci if this machine has an IOMMU");
        }
        int status = OK;
        for (PciAddress a : addresses) {
            try {
                bindOne(a, driver, addresses);
            } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
                err.println("devbind: " + e.getMessage());
                status = FAILED;
            }
        }
        return status;
    }

    private void bindOne(PciAddress a, String driver, List<PciAddress> all) {
        if (!sysfs.exists(a)) {
            throw new IllegalArgumentException("no PCI device " + a + " (see bin/devbind --status or `lspci -D`)");
        }
        Optional<String> current = sysfs.driver(a);
        if (current.filter(driver::equals).isPresent()) {
            out.println(a + ": already bound to " + driver);
            return;
        }
        refuseIfActive(a, "binding it to " + driver);
        if (driver.equals("vfio-pci") && !force) {
            vfio.requireViableAfterBind(all, a); // before the unbind: a refusal leaves the function as it was
        }
        Optional<String> previous = kernel.unbind(a);
        previous.ifPresent(p -> out.println(a + ": unbound from " + p));
        try {
            kernel.bind(a, driver);
        } catch (RuntimeException e) {
            throw new IllegalStateException(bindFailed(a, driver, previous, e.getMessage()), e);
        }
        Optional<String> now = sysfs.driver(a);
        if (now.filter(driver::equals).isEmpty()) {
            // Some probe failures are not reported to the bind write (the kernel then logs "rejects match").
            throw new IllegalStateException(bindFailed(a, driver, previous, "the kernel accepted the request but "
                    + a + " is " + now.map(d -> "bound to " + d).orElse("still unbound")));
        }
        out.println(a + ": bound to " + driver + (driver.equals(UioMsiAbi.DRIVER) ? " (" + uioSummary(a) + ")" : ""));
    }

    /** Explains a failed bind and, since the device is now unbound, how to give it back. */
    private String bindFailed(PciAddress a, String driver, Optional<String> previous, String why) {
        try {
            kernel.clearDriverOverride(a); // so the previous driver may take it back
        } catch (RuntimeException ignored) {
            // the message below matters more; a stale override only affects later automatic probing
        }
        String hint = driver.equals(UioMsiAbi.DRIVER)
                ? "uio_msi refuses devices whose DMA an IOMMU translates (use vfio-pci for those); `dmesg | grep uio_msi` says why"
                : "`dmesg` says why";
        return "cannot bind " + a + " to " + driver + ": " + why + ". " + hint + "."
                + previous.map(p -> " It is now unbound; give it back with bin/devbind --bind " + p + " " + a).orElse("");
    }

    private void requireLoaded(String driver) {
        if (sysfs.isDriverLoaded(driver)) {
            return;
        }
        if (driver.equals(UioMsiAbi.DRIVER)) {
            throw new IllegalStateException(UioMsiBackend.moduleNotLoaded(sysfs, loadUioMsi));
        }
        String module = driver.replace('-', '_');
        throw new IllegalStateException("driver " + driver + " is not loaded (" + sysfs.driverDirectory(driver)
                + " does not exist); load it as root with `modprobe " + module + "`"
                + (driver.equals("vfio-pci") ? " (vfio-pci needs an IOMMU, or vfio's enable_unsafe_noiommu_mode=1)" : ""));
    }

    private int unbind(List<PciAddress> addresses) {
        int status = OK;
        for (PciAddress a : addresses) {
            try {
                if (!sysfs.exists(a)) {
                    throw new IllegalArgumentException("no PCI device " + a + " (see bin/devbind --status or `lspci -D`)");
                }
                refuseIfActive(a, "unbinding it");
                Optional<String> previous = kernel.unbind(a);
                // A leftover reservation would keep every other driver from probing it later.
                Optional<String> reservation = sysfs.driverOverride(a);
                if (reservation.isPresent()) {
                    kernel.clearDriverOverride(a);
                }
                out.println(a + ": " + previous.map(p -> "unbound from " + p).orElse("was not bound to any driver")
                        + reservation.map(r -> "; reservation for " + r + " cleared").orElse(""));
            } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
                err.println("devbind: " + e.getMessage());
                status = FAILED;
            }
        }
        return status;
    }

    private int owner(String user, List<PciAddress> addresses) {
        for (PciAddress a : addresses) {
            out.println(vfio.handOver(a, user));
        }
        return OK;
    }

    /** The routes through the function's kernel interfaces, "ROUTE dev NAME" each; empty when it has none. */
    private List<String> activeRoutes(PciAddress a) {
        if (routes == null) {
            routes = net.routesByInterface();
        }
        return NetInterfaces.routesOf(net.of(a), routes);
    }

    /** dpdk-devbind's guard (unbind_one, bind_one): an interface with routes is not taken without --force. */
    private void refuseIfActive(PciAddress a, String action) {
        List<String> active = activeRoutes(a);
        if (active.isEmpty()) {
            return;
        }
        if (force) {
            out.println(a + ": *Active* (" + String.join("; ", active) + "), taken anyway (--force)");
            return;
        }
        List<String> interfaces = net.of(a);
        String which = interfaces.size() == 1 ? "interface " + interfaces.getFirst() + " carries"
                : "interfaces " + String.join(", ", interfaces) + " carry";
        throw new IllegalStateException(a + " is active: its " + which + " routes (" + String.join("; ", active) + "), so "
                + action + " would cut this machine off those networks, perhaps including your own connection; left as it is."
                + " Take the interface down first (`sudo ip link set " + interfaces.getFirst() + " down`) or pass --force");
    }

    // ------------------------------------------------------------------------------------------ SR-IOV

    private int createVfs(String countText, PciAddress pf) {
        int count;
        try {
            count = Integer.parseInt(countText);
        } catch (NumberFormatException e) {
            throw new BadArgument("--create-vfs: '" + countText + "' is not a number of VFs");
        }
        if (!sysfs.exists(pf)) {
            throw new IllegalArgumentException("no PCI device " + pf + " (see bin/devbind --status or `lspci -D`)");
        }
        kernel.setNumVfs(pf, count);
        List<PciAddress> vfs = sysfs.virtualFunctions(pf);
        out.println(pf + ": " + sysfs.sriovNumVfs(pf) + " VFs enabled" + (vfs.isEmpty() ? ""
                : ": " + vfs.stream().map(PciAddress::toString).collect(Collectors.joining(" "))));
        if (!vfs.isEmpty()) {
            out.println("bind them with: bin/devbind --bind uio_msi "
                    + vfs.stream().map(PciAddress::toString).collect(Collectors.joining(" ")));
        }
        return OK;
    }
}
