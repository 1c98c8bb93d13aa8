/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.vfio;

import dev.wirespeed.core.device.Bar;
import dev.wirespeed.core.device.InterruptMode;
import dev.wirespeed.core.dma.DmaRegion;
import dev.wirespeed.core.os.Epoll;
import dev.wirespeed.core.os.EventFd;
import dev.wirespeed.core.os.LibC;
import dev.wirespeed.core.pci.PciAddress;
import dev.wirespeed.core.pci.PciSysfs;
import dev.wirespeed.core.uio.E1000eChecks;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

import static dev.wirespeed.core.uio.E1000eChecks.check;
import static dev.wirespeed.core.uio.E1000eChecks.sleep;
import static dev.wirespeed.core.uio.E1000eChecks.step;
import static dev.wirespeed.core.uio.E1000eRegisters.CAUSE_RXQ0;
import static dev.wirespeed.core.uio.E1000eRegisters.ICR;
import static dev.wirespeed.core.uio.E1000eRegisters.ICS;
import static dev.wirespeed.core.uio.E1000eRegisters.IMC;
import static dev.wirespeed.core.uio.E1000eRegisters.IMS;
import static dev.wirespeed.core.uio.E1000eRegisters.IMS_ALL;
import static dev.wirespeed.core.uio.E1000eRegisters.IVAR;
import static dev.wirespeed.core.uio.E1000eRegisters.IVAR_ROUTING;
import static dev.wirespeed.core.uio.E1000eRegisters.STATUS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * End-to-end check of the VFIO backend in a QEMU guest with an emulated Intel IOMMU (driver/test/guest-vfio.sh).
 *
 * <ul>
 *   <li>{@code msix BDF} (an 82574L, QEMU's e1000e, bound to vfio-pci): BAR0 and config space through the device
 *       fd, bus mastering off after open, on after {@code enableDma()}, off after close; MSI-X vector 0 to an
 *       eventfd, rebound, unbound; the interrupt idle strategy woken by the device; then DMA through the IOMMU:
 *       a transmit descriptor in mapped memory is written back (the device reaches what was mapped), a
 *       descriptor ring at an IOVA never mapped and one at an IOVA unmapped after use fault (their IOVAs are
 *       printed as {@value #EXPECT_FAULT} lines; the guest script finds a DMAR fault for each and for nothing else)
 *       and the memory behind them, a canary, is unchanged.</li>
 *   <li>{@code intx BDF} (an 82540EM, QEMU's e1000, which has no MSI): INTx to an eventfd; vfio-pci masks the line
 *       at each interrupt, so a second interrupt arrives only after {@code unmaskIntx()}.</li>
 *   <li>{@code expect-error BDF}: opening the device and mapping 4 MiB of DMA memory must fail; prints
 *       {@value #ERROR} and the one-line message, which the guest script checks for the fix it expects.</li>
 * </ul>
 * Prints {@value #PASSED} (or {@value #INTX_PASSED}) and exits 0 only if every step did what it should.
 */
public final class VfioSelfTest {
    static final String PASSED = "VFIO_JAVA_PASSED";
    static final String IDLE_WAKE_PASSED = "VFIO_JAVA_IDLE_WAKE_PASSED";
    static final String IOMMU_PROTECTS = "VFIO_JAVA_IOMMU_PROTECTS";
    static final String INTX_PASSED = "VFIO_JAVA_INTX_PASSED";
    static final String FAILED = "VFIO_JAVA_FAILED";
    static final String EXPECT_FAULT = "VFIO_EXPECT_FAULT";
    static final String ERROR = "VFIO_ERROR:";

    // 82574L (and 8254x) registers: transmit control and transmit ring 0 (datasheet section 10).
    private static final int TCTL = 0x0400;
    private static final int TCTL_EN = 1 << 1;
    private static final int TDBAL = 0x3800;
    private static final int TDBAH = 0x3804;
    private static final int TDLEN = 0x3808;
    private static final int TDH = 0x3810;
    private static final int TDT = 0x3818;
    /** Legacy transmit descriptor: buffer address, length (16 bits), CSO, CMD at byte 11, STA at byte 12. */
    private static final int DESC_SIZE = 16;
    private static final int RING_DESCS = 8; // TDLEN must be a multiple of 128 bytes
    private static final int CMD_EOP = 0x01;
    private static final int CMD_IFCS = 0x02;
    private static final int CMD_RS = 0x08;
    private static final int STA_DD = 0x01;
    /** Canary byte: what memory the device must not reach keeps. */
    private static final byte CANARY = (byte) 0xA5;
    /** 82540EM's receive timer cause, any cause will do to raise INTx. */
    private static final int E1000_CAUSE_RXT0 = 1 << 7;

    private static final int SILENCE_MILLIS = 500;
    private static final int IDLE_TIMEOUT_MILLIS = 5_000;
    private static final int IDLE_SETTLE_MILLIS = 200;

    private final PciAddress address;
    private final int timeoutMillis = 10_000;

    private VfioSelfTest(PciAddress address) {
        this.address = address;
    }

    public static void main(String[] args) {
        if (args.length != 2 || !(args[0].equals("msix") || args[0].equals("intx") || args[0].equals("expect-error"))) {
            System.err.println("usage: VfioSelfTest msix|intx|expect-error PCI_ADDRESS   (a device bound to vfio-pci:"
                    + " msix an e1000e, intx an e1000; expect-error: opening and mapping DMA memory must fail)");
            System.exit(2);
        }
        VfioSelfTest test = new VfioSelfTest(PciAddress.parse(args[1]));
        String mode = args[0];
        E1000eChecks.runAndExit(FAILED, () -> {
            switch (mode) {
                case "msix" -> {
                    test.runMsix();
                    System.out.println(PASSED);
                }
                case "intx" -> {
                    test.runIntx();
                    System.out.println(INTX_PASSED);
                }
                default -> test.expectError();
            }
        });
    }

    private void expectError() {
        VfioFunction f;
        try {
            f = new VfioBackend().open(address);
        } catch (RuntimeException e) {
            reportError(e);
            return;
        }
        try {
            DmaRegion r = f.dma().allocate(4L << 20, "expect-error check");
            r.close();
        } catch (RuntimeException e) {
            reportError(e);
            return;
        } finally {
            f.close();
        }
        throw new AssertionError("opening " + address + " and mapping 4 MiB of DMA memory succeeded");
    }

    private static void reportError(RuntimeException e) {
        String message = e.getMessage();
        check(message != null && !message.isBlank() && !message.contains("\n"), "the error is not one line: " + e);
        System.out.println(ERROR + " " + e.getClass().getSimpleName() + ": " + message);
    }

    private void runMsix() {
        VfioFunction f = new VfioBackend().open(address);
        try (EventFd first = EventFd.create(); EventFd second = EventFd.create(); Epoll epoll = new Epoll(3)) {
            VfioInterrupts irqs = f.interrupts();
            step("opened " + f + (f.resetSupported() ? ", reset by VFIO_DEVICE_RESET" : ", no VFIO reset offered"));
            check(f.readConfig16(0) == 0x8086, String.format("config space through the VFIO region reads vendor 0x%04x", f.readConfig16(0)));
            check(irqs.mode() == InterruptMode.MSIX && irqs.count() >= 1, "expected MSI-X vectors, got " + irqs);
            check(!f.busMaster() && !busMasterInSysfs(), "bus mastering is on right after open");
            step("bus mastering off after open (VFIO config region and sysfs agree)");

            Bar bar0 = f.bar(0);
            int status = bar0.read32(STATUS);
            check(status != -1, "STATUS reads 0xffffffff: BAR0 does not reach the device");
            step(String.format("BAR0 mmapped from the device fd (%d bytes), STATUS = 0x%08x", bar0.size(), status));
            E1000eChecks.resetDevice(bar0);
            f.enableDma();
            check(f.busMaster() && busMasterInSysfs(), "bus mastering is still off after enableDma()");
            step("device reset through CTRL.RST, then DMA enabled: bus mastering on");

            epoll.add(first.fd(), 1);
            epoll.add(second.fd(), 2);
            bar0.write32(IVAR, IVAR_ROUTING);
            irqs.bind(0, first);
            raiseVector0(bar0);
            check(awaitOne(epoll) == 1 && first.drain() >= 1, "vector 0 did not reach the bound eventfd");
            step("vector 0 delivered to eventfd " + first.fd() + " through VFIO_DEVICE_SET_IRQS");
            irqs.bind(0, second);
            raiseVector0(bar0);
            check(awaitOne(epoll) == 2 && second.drain() >= 1 && first.drain() == 0, "after rebinding, vector 0 did not reach only the new eventfd");
            step("rebound vector 0 delivered to eventfd " + second.fd() + " only");
            irqs.unbind(0);
            raiseVector0(bar0);
            check(epoll.await(SILENCE_MILLIS) == 0 && first.drain() == 0 && second.drain() == 0, "an unbound vector still signalled an eventfd");
            step("unbound vector 0 signals nothing");
            bar0.write32(IMC, -1);

            idleStrategyWakes(bar0, irqs, epoll);
            dmaThroughTheIommu(f, bar0);
            System.out.println(IOMMU_PROTECTS);
        } finally {
            f.close();
        }
        check(!busMasterInSysfs(), "bus mastering is still on after close");
        step("closed: bus mastering off");
    }

    /** The interrupt idle strategy sleeps over vector 0 and the device wakes it (one wake by event, none by timeout). */
    private void idleStrategyWakes(Bar bar0, VfioInterrupts irqs, Epoll epoll) {
        // The unbound step before raised vector 0 while it had no eventfd: the MSI-X entry was masked, so the
        // message waits in the pending bit and arrives on the next bind (PCI's rule for masked vectors); it is
        // let in and drained first, so only the device's post can end the sleep.
        E1000eChecks.idleStrategyWakesOnVector0(bar0, irqs, epoll, IDLE_TIMEOUT_MILLIS, SILENCE_MILLIS, IDLE_SETTLE_MILLIS);
        System.out.println(IDLE_WAKE_PASSED);
    }

    /**
     * Three transmits of one descriptor each. (1) Ring and buffer mapped: the device writes the descriptor back
     * (DD), so DMA through the IOMMU works. (2) A ring base just past a mapped region, in the guard chunk that
     * is never mapped: the descriptor fetch faults. (3) A ring whose region was mapped, used, then unmapped: the
     * fetch faults and the memory, still ours, is unchanged (descriptor not written back, canary intact).
     */
    private void dmaThroughTheIommu(VfioFunction f, Bar bar0) {
        VfioContainer container = f.dmaContainer();
        long ringBytes = RING_DESCS * DESC_SIZE;
        try (DmaRegion mapped = f.dma().allocate(VfioDmaDomain.CHUNK_SIZE, "self-test ring and buffer")) {
            MemorySegment ring = mapped.segment();
            long bufferOffset = 4096;
            ring.asSlice(bufferOffset, 64).fill((byte) 0x5A);
            writeDescriptor(ring, 0, mapped.iova(bufferOffset), 60);
            transmitOne(bar0, mapped.iova(0), ringBytes);
            check(awaitDone(ring, 0), "the device did not write the descriptor back through the IOMMU: DMA to mapped memory fails");
            step("transmit descriptor at IOVA 0x" + Long.toHexString(mapped.iova(0)) + " written back (DD): the device reaches mapped memory");

            long neverMapped = mapped.iova(0) + mapped.size(); // the guard chunk after the region
            System.out.println(EXPECT_FAULT + " 0x" + Long.toHexString(neverMapped));
            transmitOne(bar0, neverMapped, ringBytes);
            sleep(SILENCE_MILLIS);
            check(bar0.read32(TDH) == 1, "the device did not even try the descriptor at the unmapped IOVA");
            step("descriptor ring at never-mapped IOVA 0x" + Long.toHexString(neverMapped) + " fetched: must fault (DMAR)");
        }

        // (3) memory kept by the test, mapped only for a while.
        long bytes = VfioDmaDomain.CHUNK_SIZE;
        MemorySegment canary = LibC.mmap(bytes, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_PRIVATE | LibC.MAP_ANONYMOUS, -1, 0);
        try {
            long iova = VfioDmaDomain.reserveIova(bytes);
            canary.fill(CANARY);
            writeDescriptor(canary, 0, iova + 4096, 60);
            container.map(canary, iova, "self-test canary");
            container.unmap(iova);
            System.out.println(EXPECT_FAULT + " 0x" + Long.toHexString(iova));
            transmitOne(bar0, iova, ringBytes);
            sleep(SILENCE_MILLIS);
            check(bar0.read32(TDH) == 1, "the device did not even try the descriptor at the unmapped IOVA");
            check((canary.get(JAVA_BYTE, 12) & STA_DD) == 0, "the device wrote back a descriptor in memory that was unmapped");
            for (long i = DESC_SIZE; i < bytes; i++) {
                if (canary.get(JAVA_BYTE, i) != CANARY) {
                    throw new AssertionError("canary byte " + i + " of the unmapped region changed");
                }
            }
            step("after unmap, IOVA 0x" + Long.toHexString(iova) + " is out of the device's reach: descriptor not written"
                    + " back, all " + bytes + " canary bytes unchanged");
        } finally {
            LibC.munmap(canary);
        }
        bar0.write32(TCTL, 0);
    }

    private static void writeDescriptor(MemorySegment ring, long offset, long bufferIova, int length) {
        ring.set(JAVA_LONG, offset, bufferIova);
        ring.set(JAVA_BYTE, offset + 8, (byte) length);
        ring.set(JAVA_BYTE, offset + 9, (byte) (length >>> 8));
        ring.set(JAVA_BYTE, offset + 11, (byte) (CMD_EOP | CMD_IFCS | CMD_RS));
        ring.set(JAVA_BYTE, offset + 12, (byte) 0);
    }

    /** Points transmit ring 0 at {@code ringIova} (head and tail 0), enables transmit, hands the device one descriptor. */
    private static void transmitOne(Bar bar0, long ringIova, long ringBytes) {
        bar0.write32(TCTL, 0);
        bar0.write32(TDBAL, (int) ringIova);
        bar0.write32(TDBAH, (int) (ringIova >>> 32));
        bar0.write32(TDLEN, (int) ringBytes);
        bar0.write32(TDH, 0);
        bar0.write32(TDT, 0);
        bar0.write32(TCTL, TCTL_EN);
        bar0.write32(TDT, 1);
    }

    private boolean awaitDone(MemorySegment ring, long offset) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (System.nanoTime() < deadline) {
            if ((ring.get(JAVA_BYTE, offset + 12) & STA_DD) != 0) {
                return true;
            }
            sleep(1);
        }
        return false;
    }

    /** INTx on a device without MSI: delivered, masked by vfio-pci until unmasked, delivered again after. */
    private void runIntx() {
        VfioFunction f = new VfioBackend().open(address);
        try (EventFd intx = EventFd.create(); Epoll epoll = new Epoll(1)) {
            VfioInterrupts irqs = f.interrupts();
            step("opened " + f);
            check(irqs.mode() == InterruptMode.INTX && irqs.count() == 1, "expected one INTx vector, got " + irqs);
            Bar bar0 = f.bar(0);
            E1000eChecks.resetDevice(bar0);
            bar0.read32(ICR);
            epoll.add(intx.fd(), 1);
            irqs.bind(0, intx);
            bar0.write32(IMS, E1000_CAUSE_RXT0);
            bar0.write32(ICS, E1000_CAUSE_RXT0);
            check(awaitOne(epoll) == 1 && intx.drain() >= 1, "INTx did not reach the eventfd");
            step("INTx delivered to eventfd " + intx.fd());

            bar0.read32(ICR); // clears the cause: the line drops
            bar0.write32(ICS, E1000_CAUSE_RXT0);
            check(epoll.await(SILENCE_MILLIS) == 0 && intx.drain() == 0, "a second INTx arrived before unmaskIntx(): vfio-pci did not mask the line");
            step("second interrupt held back while the line is masked");
            irqs.unmaskIntx();
            check(awaitOne(epoll) == 1 && intx.drain() >= 1, "the pending INTx did not arrive after unmaskIntx()");
            step("unmaskIntx(): the pending interrupt arrives");
            bar0.write32(IMC, -1);
            bar0.read32(ICR);
            irqs.unbind(0);
        } finally {
            f.close();
        }
    }

    private static void raiseVector0(Bar bar0) {
        bar0.write32(ICR, -1);
        bar0.write32(IMS, IMS_ALL);
        bar0.write32(ICS, CAUSE_RXQ0);
    }

    private int awaitOne(Epoll epoll) {
        return E1000eChecks.awaitOne(epoll, timeoutMillis);
    }

    private boolean busMasterInSysfs() {
        return E1000eChecks.busMaster(PciSysfs.system().deviceDirectory(address).resolve("config"));
    }
}
