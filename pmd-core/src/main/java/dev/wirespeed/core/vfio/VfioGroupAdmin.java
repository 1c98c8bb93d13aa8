/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.vfio;

import dev.wirespeed.core.pci.PciAddress;
import dev.wirespeed.core.pci.PciSysfs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * bin/devbind's VFIO part: whether binding functions to vfio-pci leaves their IOMMU groups viable, handing a
 * group's device node to a user, and the groups' members for {@code --status}.
 *
 * @param sysfs        the sysfs tree
 * @param devDirectory where the {@code vfio/N} nodes are ({@code /dev} on a real system)
 */
public record VfioGroupAdmin(PciSysfs sysfs, Path devDirectory) {

    /**
     * Refuses to bind {@code a}, one of {@code toBind}, to vfio-pci where the result would be unusable: no IOMMU
     * group (no IOMMU, no no-IOMMU mode), or a group left with a function on another kernel driver. Functions in
     * {@code toBind} count as bound already.
     *
     * @throws IllegalStateException naming the functions in the way and the command that binds them too
     */
    public void requireViableAfterBind(Collection<PciAddress> toBind, PciAddress a) {
        OptionalInt group = sysfs.iommuGroup(a);
        if (group.isEmpty()) {
            throw new IllegalStateException("cannot bind " + a + " to vfio-pci: " + VfioBackend.noIommuMessage(a, sysfs.root()));
        }
        List<String> blockers = new ArrayList<>();
        TreeSet<PciAddress> together = new TreeSet<>(toBind);
        for (PciAddress m : new GroupCheck(sysfs, a).members(group.getAsInt())) {
            Optional<String> driver = sysfs.driver(m);
            if (!toBind.contains(m) && driver.isPresent() && !GroupCheck.HARMLESS_DRIVERS.contains(driver.get())) {
                blockers.add(m + " (" + driver.get() + ")");
                together.add(m);
            }
        }
        if (!blockers.isEmpty()) {
            throw new IllegalStateException("not binding " + a + " to vfio-pci: its IOMMU group " + group.getAsInt()
                    + " also holds " + String.join(", ", blockers) + ", and VFIO gives a process a group only when every"
                    + " function in it is on vfio-pci or on no driver (the IOMMU cannot keep them apart). Bind them"
                    + " together: bin/devbind --bind vfio-pci " + together.stream().map(PciAddress::toString).collect(Collectors.joining(" "))
                    + " (or --force to bind " + a + " alone)");
        }
    }

    /** Makes {@code user} the owner of the group node of {@code a} (bound to vfio-pci); returns what was done. */
    public String handOver(PciAddress a, String user) {
        if (sysfs.driver(a).filter(VfioAbi.DRIVER::equals).isEmpty()) {
            throw new IllegalStateException(a + " is not bound to vfio-pci; bind it first: bin/devbind --bind vfio-pci " + a);
        }
        int group = sysfs.iommuGroup(a).orElseThrow(() -> new IllegalStateException(a + " has no IOMMU group"));
        Path node = devDirectory.resolve("vfio").resolve(Integer.toString(group));
        if (!Files.exists(node)) {
            node = devDirectory.resolve("vfio").resolve("noiommu-" + group);
        }
        UserPrincipal owner;
        try {
            owner = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(user);
        } catch (UserPrincipalNotFoundException e) {
            throw new IllegalArgumentException("--owner: no user '" + user + "' on this machine (see `getent passwd`)");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot look up user " + user, e);
        }
        try {
            Files.setOwner(node, owner);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hand " + node + " to " + user + " (needs root): " + e.getMessage(), e);
        }
        return a + ": IOMMU group " + group + " (" + node + ") now belongs to " + user + "; " + user + " also needs a"
                + " locked-memory limit for the packet memory (ulimit -l; a line `" + user + " - memlock unlimited` in"
                + " /etc/security/limits.conf). The node is recreated root-owned when the group is rebound or the machine restarts";
    }

    /** One line per IOMMU group of {@code functions}: its members with their drivers, viability and node owner. */
    public List<String> groupLines(Collection<PciAddress> functions) {
        TreeSet<Integer> groups = new TreeSet<>();
        for (PciAddress a : functions) {
            sysfs.iommuGroup(a).ifPresent(groups::add);
        }
        List<String> lines = new ArrayList<>();
        for (int g : groups) {
            GroupCheck check = new GroupCheck(sysfs, functions.iterator().next());
            String members;
            boolean viable;
            try {
                List<PciAddress> list = check.members(g);
                members = list.stream().map(m -> m + " (" + sysfs.driver(m).orElse("-") + ")").collect(Collectors.joining(", "));
                viable = check.blockers(g).isEmpty();
            } catch (UncheckedIOException e) {
                lines.add("group " + g + ": members unknown (" + e.getMessage() + ")");
                continue;
            }
            lines.add("group " + g + ": " + members + (viable ? "; viable for VFIO" : "; not viable for VFIO (a member is on"
                    + " another kernel driver)") + nodeOwner(g));
        }
        return lines;
    }

    private String nodeOwner(int group) {
        Path node = devDirectory.resolve("vfio").resolve(Integer.toString(group));
        if (!Files.exists(node)) {
            return "";
        }
        try {
            return "; " + node + " owned by " + Files.getOwner(node).getName();
        } catch (IOException e) {
            return "; " + node;
        }
    }
}
