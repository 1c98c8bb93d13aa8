/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.uio;

import dev.wirespeed.core.pci.FakeSysfs;
import dev.wirespeed.core.device.Bar;
import dev.wirespeed.core.device.InterruptMode;
import dev.wirespeed.core.device.PciFunction;
import dev.wirespeed.core.dma.AnonymousDmaDomain;
import dev.wirespeed.core.dma.DmaDomain;
import dev.wirespeed.core.os.Errno;
import dev.wirespeed.core.os.ErrnoException;
import dev.wirespeed.core.os.EventFd;
import dev.wirespeed.core.pci.NoSuchPciDeviceException;
import dev.wirespeed.core.pci.PciAddress;
import dev.wirespeed.core.port.DeviceSpec;
import dev.wirespeed.core.port.Port;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.core.port.pci.PciBackend;
import dev.wirespeed.core.port.pci.PciDriver;
import dev.wirespeed.core.port.pci.PciPortDriver;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/** Opening uio_msi devices against a fake sysfs tree and a regular file standing in for /dev/uioN. */
class UioMsiBackendTest {
    static final PciAddress E1000E = PciAddress.parse("0000:00:03.0");
    static final long PAGE = UioMsiFunction.PAGE_SIZE;

    @TempDir
    Path tmp;
    FakeUioTree tree;
    final AtomicInteger domainsOpened = new AtomicInteger();
    final List<DmaDomain> domains = new ArrayList<>();
    UioMsiBackend backend;

    @BeforeEach
    void setUp() {
        tree = new FakeUioTree(tmp);
        backend = new UioMsiBackend(tree.dev, () -> {
            domainsOpened.incrementAndGet();
            AnonymousDmaDomain d = new AnonymousDmaDomain("test");
            domains.add(d);
            return d;
        });
    }

    /** An 82574L (e1000e) as uio_msi exports it: BAR0 and BAR1 memory, BAR2 I/O, BAR3 memory (MSI-X table). */
    private FakeSysfs.Uio e1000e(String mode, int vectors) {
        tree.uioMsiModule(true);
        FakeSysfs.Device d = tree.device(E1000E.toString(), 0x8086, 0x10d3).boundTo("uio_msi")
                .bar(0, 0xfebc0000L, 0x20000, FakeSysfs.MEM32)
                .bar(1, 0xfebe0000L, 0x20000, FakeSysfs.MEM32)
                .bar(2, 0xc000, 0x20, FakeSysfs.IO)
                .bar(3, 0xfec00000L, 0x4000, FakeSysfs.MEM32);
        return d.uio(0, mode, vectors)
                .map("BAR0", 0xfebc0000L, 0x20000)
                .map("BAR1", 0xfebe0000L, 0x20000)
                .map("BAR3", 0xfec00000L, 0x4000)
                .node(0x20 + 0x20 + 4);
    }

    @Test
    void opensTheDeviceAndReportsIdentityModeAndVectorCount() {
        e1000e("msix", 5);
        try (UioMsiFunction f = backend.open(E1000E, tree.sysfs)) {
            assertThat(f.address()).isEqualTo(E1000E);
            assertThat(f.vendorId()).isEqualTo(0x8086);
            assertThat(f.deviceId()).isEqualTo(0x10d3);
            assertThat(f.backend()).isEqualTo("uio_msi");
            assertThat(f.uioName()).isEqualTo("uio0");
            assertThat(f.interrupts().mode()).isEqualTo(InterruptMode.MSIX);
            assertThat(f.interrupts().count()).isEqualTo(5);
        }
    }

    @Test
    void eachInterruptModeNameIsUnderstood() {
        assertThat(Stream.of("msix", "msi", "intx", "none").map(UioMsiAbi::parseMode))
                .containsExactly(InterruptMode.MSIX, InterruptMode.MSI, InterruptMode.INTX, InterruptMode.NONE);
        assertThatThrownBy(() -> UioMsiAbi.parseMode("msi-x")).hasMessageContaining("unknown interrupt mode 'msi-x'");
    }

    @Test
    void eachBarIsMappedAtItsMapIndexTimesThePageSize() {
        e1000e("msix", 5);
        try (UioMsiFunction f = backend.open(E1000E, tree.sysfs)) {
            Bar bar0 = f.bar(0);
            Bar bar1 = f.bar(1);
            Bar bar3 = f.bar(3);
            assertThat(bar0.size()).isEqualTo(0x20000);
            assertThat(bar3.size()).isEqualTo(0x4000);
            assertThat(bar0.read32(0x8)).isEqualTo(FakeSysfs.wordAt(0x8));
            assertThat(bar1.read32(0x8)).isEqualTo(FakeSysfs.wordAt(PAGE + 0x8));
            // BAR3 is the third memory BAR: map 2, although it is BAR slot 3.
            assertThat(bar3.read32(0x10)).isEqualTo(FakeSysfs.wordAt(2 * PAGE + 0x10));
            assertThat(bar3.name()).isEqualTo("BAR3 of 0000:00:03.0");
        }
    }

    @Test
    void theMapNamesDecideWhichBarAMapIsNotTheirPosition() {
        // BAR0 is an I/O port here, so the first memory map is BAR2 and BAR5 is the second.
        tree.uioMsiModule(true);
        tree.device(E1000E.toString(), 0x8086, 0x10d3).boundTo("uio_msi")
                .bar(0, 0xc000, 0x40, FakeSysfs.IO)
                .bar(2, 0xfe000000L, 0x1000, FakeSysfs.MEM32)
                .bar(5, 0xfe001000L, 0x1000, FakeSysfs.MEM32)
                .uio(0, "msix", 3)
                .map("BAR2", 0xfe000000L, 0x1000)
                .map("BAR5", 0xfe001000L, 0x1000)
                .node(2);
        try (UioMsiFunction f = backend.open(E1000E, tree.sysfs)) {
            assertThat(f.bar(5).read32(0)).isEqualTo(FakeSysfs.wordAt(PAGE));
            assertThat(f.bar(2).read32(0)).isEqualTo(FakeSysfs.wordAt(0));
        }
    }

    @Test
    void aBarSmallerThanAPageStartsAtItsOffsetInsideThePage() {
        tree.uioMsiModule(true);
        tree.device(E1000E.toString(), 0x8086, 0x10d3).boundTo("uio_msi")
                .bar(0, 0xfe000800L, 0x100, FakeSysfs.MEM32)
                .uio(0, "msi", 1)
                .map("BAR0", 0xfe000800L, 0x100)
                .node(1);
        try (UioMsiFunction f = backend.open(E1000E, tree.sysfs)) {
            Bar bar = f.bar(0);
            assertThat(bar.size()).isEqualTo(0x100);
            assertThat(bar.read32(0)).isEqualTo(FakeSysfs.wordAt(0x800));
            assertThatThrownBy(() -> bar.read32(0x100)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void registerWritesReachTheDeviceNodeAndTheSameBarIsReturnedAgain() {
        FakeSysfs.Uio uio = e1000e("msix", 5);
        try (UioMsiFunction f = backend.open(E1000E, tree.sysfs)) {
            Bar bar1 = f.bar(1);
            assertThat(f.bar(1)).isSameAs(bar1);
            bar1.write32(0x40, 0xCAFEF00D);
            assertThat(uio.nodeWord(PAGE + 0x40)).isEqualTo(0xCAFEF00D);
        }
    }

    @Test
    void anIoPortBarIsRefusedNamingTheMemoryBars() {
        e1000e("msix", 5);
        try (UioMsiFunction f = backend.open(E1000E, tree.sysfs)) {
            assertThatThrownBy(() -> f.bar(2)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("cannot map BAR2 of 0000:00:03.0: it is an I/O port BAR, which cannot be memory-mapped"
                            + " (its memory BARs are BAR0, BAR1, BAR3)");
        }
    }

    @Test
    void anAbsentBarIsRefused() {
        e1000e("msix", 5);
        try (UioMsiFunction f = backend.open(E1000E, tree.sysfs)) {
            assertThatThrownBy(() -> f.bar(4)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cannot map BAR4 of 0000:00:03.0: the device does not implement it");
            assertThatThrownBy(() -> f.bar(6)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("BAR index 6 of 0000:00:03.0 is out of range: PCI has BARs 0-5");
            assertThatThrownBy(() -> f.bar(-1)).hasMessageContaining("out of range");
        }
    }

    @Test
    void theUpperHalfOfA64BitBarPointsToItsLowerHalf() {
        tree.uioMsiModule(true);
        tree.device(E1000E.toString(), 0x8086, 0x10ed).boundTo("uio_msi")
                .bar(0, 0x3800000000L, 0x4000, FakeSysfs.MEM64)
                .uio(0, "msix", 3)
                .map("BAR0", 0x3800000000L, 0x4000)
                .node(4);
        try (UioMsiFunction f = backend.open(E1000E, tree.sysfs)) {
            assertThatThrownBy(() -> f.bar(1)).hasMessageContaining("it is the upper half of 64-bit BAR0, map that one");
        }
    }

    @Test
    void aMemoryBarTheDriverDidNotExportIsExplained() {
        FakeSysfs.Uio uio = e1000e("msix", 5);
        try (var maps = Files.list(uio.dir.resolve("maps"))) {
            maps.filter(p -> p.endsWith("map2")).forEach(UioMsiBackendTest::deleteTree);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        try (UioMsiFunction f = backend.open(E1000E, tree.sysfs)) {
            assertThatThrownBy(() -> f.bar(3)).hasMessageContaining("uio_msi did not export it (UIO allows at most 5 memory maps");
        }
    }

    @Test
    void theDmaDomainIsOpenedOnFirstUseOnlyAndClosedWithTheFunction() {
        e1000e("msix", 5);
        UioMsiFunction f = backend.open(E1000E, tree.sysfs);
        assertThat(domainsOpened).hasValue(0);
        DmaDomain dma = f.dma();
        assertThat(f.dma()).isSameAs(dma);
        assertThat(domainsOpened).hasValue(1);
        f.close();
        assertThatThrownBy(() -> dma.allocate(4096, "after close")).hasMessageContaining("closed");
    }

    @Test
    void closeUnmapsTheBarsAndClosesTheDescriptor() throws IOException {
        FakeSysfs.Uio uio = e1000e("msix", 5);
        UioMsiFunction f = backend.open(E1000E, tree.sysfs);
        Bar bar0 = f.bar(0);
        f.bar(3);
        String node = uio.node.toString();
        assertThat(Files.readString(Path.of("/proc/self/maps"))).contains(node);
        assertThat(openDescriptorsOf(node)).isEqualTo(1);

        f.close();
        f.close(); // harmless

        assertThat(Files.readString(Path.of("/proc/self/maps"))).doesNotContain(node);
        assertThat(openDescriptorsOf(node)).isZero();
        // A register access after close fails cleanly instead of touching unmapped memory.
        assertThatThrownBy(() -> bar0.read32(0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> f.bar(1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot map BAR1: 0000:00:03.0 (uio0) is closed");
        assertThatThrownBy(f::dma).isInstanceOf(IllegalStateException.class);
        try (EventFd e = EventFd.create()) {
            assertThatThrownBy(() -> f.interrupts().bind(0, e)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is closed");
        }
    }

    private static long openDescriptorsOf(String path) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().equals(path);
                } catch (IOException gone) {
                    return false; // the descriptor of the listing itself, closed meanwhile
                }
            }).count();
        }
    }

    // ------------------------------------------------------------------------------------- open errors

    @Test
    void aMissingDeviceSaysWhereItLooked() {
        tree.uioMsiModule(true);
        assertThatThrownBy(() -> backend.open(E1000E, tree.sysfs)).isInstanceOf(NoSuchPciDeviceException.class)
                .hasMessageContaining("no PCI device 0000:00:03.0");
    }

    @Test
    void aModuleThatIsNotLoadedSaysHowToLoadIt() {
        tree.device(E1000E.toString(), 0x8086, 0x10d3);
        assertThatThrownBy(() -> backend.open(E1000E, tree.sysfs)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the uio_msi kernel module is not loaded (" + tree.sys.resolve("bus/pci/drivers/uio_msi"))
                .hasMessageContaining("load it with " + UioMsiLoadCommand.forThisMachine());
    }

    @Test
    void aDeviceBoundToAnotherDriverSaysHowToRebindIt() {
        tree.uioMsiModule(true);
        tree.device(E1000E.toString(), 0x8086, 0x10d3).boundTo("e1000e");
        assertThatThrownBy(() -> backend.open(E1000E, tree.sysfs)).isInstanceOf(IllegalStateException.class)
                .hasMessage("0000:00:03.0 is bound to e1000e, not uio_msi; bind it as root with"
                        + " bin/devbind --bind uio_msi 0000:00:03.0 (this detaches it from e1000e)");
    }

    @Test
    void anUnboundDeviceSaysHowToBindIt() {
        tree.uioMsiModule(true);
        tree.device(E1000E.toString(), 0x8086, 0x10d3);
        assertThatThrownBy(() -> backend.open(E1000E, tree.sysfs))
                .hasMessage("0000:00:03.0 is not bound to any driver, not uio_msi; bind it as root with"
                        + " bin/devbind --bind uio_msi 0000:00:03.0");
    }

    @Test
    void aBoundDeviceWithoutUioDevicePointsToTheKernelLog() {
        tree.uioMsiModule(true);
        tree.device(E1000E.toString(), 0x8086, 0x10d3).boundTo("uio_msi");
        assertThatThrownBy(() -> backend.open(E1000E, tree.sysfs))
                .hasMessageContaining("0000:00:03.0 is bound to uio_msi but has no UIO device")
                .hasMessageContaining("dmesg | grep uio_msi");
    }

    @Test
    void aMissingDeviceNodeSaysHowToCreateIt() {
        tree.uioMsiModule(true);
        tree.device(E1000E.toString(), 0x8086, 0x10d3).boundTo("uio_msi").uio(0, "msix", 5);
        assertThatThrownBy(() -> backend.open(E1000E, tree.sysfs)).isInstanceOf(ErrnoException.class)
                .satisfies(e -> assertThat(((ErrnoException) e).errno()).isEqualTo(Errno.ENOENT))
                .hasMessageContaining("open(\"" + tree.dev.resolve("uio0") + "\", O_RDWR|O_CLOEXEC) failed: ENOENT")
                .hasMessageContaining("mknod " + tree.dev.resolve("uio0") + " c MAJOR MINOR");
    }

    @Test
    void aNodeWeMayNotOpenSaysRootIsNeeded() throws IOException {
        // Root ignores file modes, so the refusal comes from a file even root cannot open for writing:
        // a read-only sysctl. (The driver's own refusal without CAP_SYS_RAWIO is EPERM; same message.)
        Path readOnly = Path.of("/proc/sys/kernel/ostype");
        assumeThat(Files.exists(readOnly)).as("needs /proc/sys").isTrue();
        tree.uioMsiModule(true);
        tree.device(E1000E.toString(), 0x8086, 0x10d3).boundTo("uio_msi").uio(0, "msix", 5);
        Path node = tree.dev.resolve("uio0");
        FakeSysfs.link(node, readOnly.toString());
        try {
            assertThatThrownBy(() -> backend.open(E1000E, tree.sysfs)).isInstanceOf(ErrnoException.class)
                    .hasMessageContaining("failed: EACCES")
                    .hasMessageContaining("needs root: uio_msi requires CAP_SYS_RAWIO on every open");
        } finally {
            Files.delete(node); // a link out of the temporary directory would make its cleanup warn
        }
    }

    @Test
    void theDriversEpermAndAVanishingDeviceAreExplainedToo() {
        Path node = Path.of("/dev/uio7");
        Path sysDir = Path.of("/sys/class/uio/uio7");
        assertThat(UioFile.openHint(Errno.EPERM, node, sysDir, "0000:00:03.0 (uio7)")).contains("needs root").contains("CAP_SYS_RAWIO");
        assertThat(UioFile.openHint(Errno.ENODEV, node, sysDir, "0000:00:03.0 (uio7)")).contains("being removed");
        assertThat(UioFile.openHint(Errno.EBUSY, node, sysDir, "0000:00:03.0 (uio7)")).contains("could not start").contains("dmesg");
    }

    @Test
    void aMalformedVectorCountIsReportedWithTheFile() {
        e1000e("msix", 5);
        FakeSysfs.write(tree.sysfs.deviceDirectory(E1000E).resolve("uio_msi/num_vectors"), "257\n");
        assertThatThrownBy(() -> backend.open(E1000E, tree.sysfs)).hasMessageContaining("uio_msi/num_vectors")
                .hasMessageContaining("expected 0-256 vectors, found 257");
    }

    // ------------------------------------------------------------------------------------- registration

    @Test
    void serviceLoaderFindsTheBackendForUioMsi() {
        assertThat(ServiceLoader.load(PciBackend.class).stream().map(ServiceLoader.Provider::get))
                .anySatisfy(b -> {
                    assertThat(b).isInstanceOf(UioMsiBackend.class);
                    assertThat(b.kernelDriver()).isEqualTo("uio_msi");
                });
    }

    @Test
    void aPciPortOpensThroughThisBackend() {
        e1000e("msi", 1);
        List<PciFunction> opened = new ArrayList<>();
        PciDriver driver = new PciDriver() {
            @Override
            public String name() {
                return "probe";
            }

            @Override
            public boolean supports(int vendorId, int deviceId) {
                return vendorId == 0x8086 && deviceId == 0x10d3;
            }

            @Override
            public Port open(PciFunction function, int portId, PortConfig config) {
                opened.add(function);
                throw new UnsupportedOperationException("only the function matters here");
            }
        };
        PciPortDriver ports = new PciPortDriver(tree.sysfs, List.of(backend), List.of(driver));
        assertThatThrownBy(() -> ports.open(DeviceSpec.parse("pci:0000:00:03.0"), 0, PortConfig.builder().build()))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(opened).singleElement().satisfies(f -> {
            assertThat(f.backend()).isEqualTo("uio_msi");
            assertThat(f.interrupts().mode()).isEqualTo(InterruptMode.MSI);
            // The port driver closed it after the failed open: nothing can be mapped any more.
            assertThatThrownBy(() -> f.bar(0)).isInstanceOf(IllegalStateException.class);
        });
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
