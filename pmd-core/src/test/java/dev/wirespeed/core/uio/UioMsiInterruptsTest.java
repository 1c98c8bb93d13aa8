/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.uio;

import dev.wirespeed.core.pci.FakeSysfs;
import dev.wirespeed.core.device.InterruptMode;
import dev.wirespeed.core.dma.AnonymousDmaDomain;
import dev.wirespeed.core.os.Errno;
import dev.wirespeed.core.os.ErrnoException;
import dev.wirespeed.core.os.EventFd;
import dev.wirespeed.core.pci.PciAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Binding eventfds to vectors: the exact command words written to /dev/uioN, the checks made before
 * writing, and the messages for the driver's errno answers.
 * Expected words come from {@link UioMsiAbiTest#expectedSetWord}, built independently of the library.
 */
class UioMsiInterruptsTest {
    static final PciAddress ADDR = PciAddress.parse("0000:00:03.0");

    static int expectedSetWord(int vector, int fd) {
        return UioMsiAbiTest.expectedSetWord(vector, fd);
    }

    @TempDir
    Path tmp;
    FakeSysfs.Uio uio;
    UioMsiFunction function;
    final List<EventFd> eventFds = new ArrayList<>();

    @BeforeEach
    void open() {
        FakeUioTree tree = new FakeUioTree(tmp);
        tree.uioMsiModule(true);
        uio = tree.device(ADDR.toString(), 0x8086, 0x10d3).boundTo("uio_msi")
                .bar(0, 0xfebc0000L, 0x20000, FakeSysfs.MEM32)
                .uio(0, "msix", 5)
                .map("BAR0", 0xfebc0000L, 0x20000)
                .node(0x20);
        function = new UioMsiBackend(tree.dev, () -> new AnonymousDmaDomain("unused")).open(ADDR, tree.sysfs);
    }

    @AfterEach
    void close() {
        function.close();
        eventFds.forEach(EventFd::close);
    }

    private EventFd eventFd() {
        EventFd e = EventFd.create();
        eventFds.add(e);
        return e;
    }

    @Test
    void bindRebindAndUnbindWriteOneCommandWordEach() {
        EventFd a = eventFd();
        EventFd b = eventFd();
        var irqs = function.interrupts();
        irqs.bind(0, a);
        irqs.bind(0, b);
        irqs.unbind(0);
        irqs.bind(4, a);
        // A regular file keeps every write at the advancing file position: the words in order.
        assertThat(uio.nodeWord(0)).isEqualTo(expectedSetWord(0, a.fd()));
        assertThat(uio.nodeWord(4)).isEqualTo(expectedSetWord(0, b.fd()));
        assertThat(uio.nodeWord(8)).as("the unbind op").isEqualTo(0x20000000);
        assertThat(uio.nodeWord(12)).isEqualTo(expectedSetWord(4, a.fd()));
        assertThat(uio.nodeWord(16)).as("nothing else written").isEqualTo(FakeSysfs.wordAt(16));
    }

    @Test
    void enableDmaWritesTheDmaEnableWord() {
        function.enableDma();
        // op 3 (bus mastering) with value 1, per driver/uapi/uio_msi.h (issue 13 point 1).
        assertThat(uio.nodeWord(0)).isEqualTo(0x30000001);
        assertThat(UioMsiAbi.describe(0x30000001)).contains("enable DMA");
    }

    @Test
    void removedWritesTheCheckWord() {
        assertThat(function.removed()).isFalse();
        // op 4 (check), per driver/uapi/uio_msi.h (issue 13 point 2).
        assertThat(uio.nodeWord(0)).isEqualTo(0x40000000);
    }

    @Test
    void intxUnmaskWritesTheClassicWordOne() {
        function.interrupts().unmaskIntx();
        assertThat(uio.nodeWord(0)).isEqualTo(1);
    }

    @Test
    void intxMaskIsRefusedOutsideIntxModeWithoutWriting() {
        assertThatThrownBy(() -> function.interrupts().maskIntx()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("its interrupts are MSIX, not INTX");
        assertThat(uio.nodeWord(0)).isEqualTo(FakeSysfs.wordAt(0));
    }

    @Test
    void aVectorOutOfRangeIsRefusedBeforeAnythingIsWritten() {
        EventFd e = eventFd();
        var irqs = function.interrupts();
        assertThatThrownBy(() -> irqs.bind(5, e)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("vector 5 is out of range for 0000:00:03.0: uio_msi gave it 5 MSIX vectors (0-4)");
        assertThatThrownBy(() -> irqs.bind(-1, e)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> irqs.unbind(5)).isInstanceOf(IllegalArgumentException.class);
        assertThat(uio.nodeWord(0)).isEqualTo(FakeSysfs.wordAt(0));
    }

    @Test
    void aClosedEventFdIsRefusedBeforeAnythingIsWritten() {
        EventFd e = EventFd.create();
        e.close();
        assertThatThrownBy(() -> function.interrupts().bind(0, e)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("the eventfd is closed");
        assertThat(uio.nodeWord(0)).isEqualTo(FakeSysfs.wordAt(0));
    }

    @Test
    void aDeviceWithoutInterruptsSaysSo() {
        UioMsiInterrupts none = new UioMsiInterrupts(ADDR, word -> {
            throw new AssertionError("nothing may be written");
        }, InterruptMode.NONE, 0);
        assertThatThrownBy(() -> none.bind(0, eventFd())).hasMessageContaining("uio_msi found no usable interrupt (irq_mode is none");
    }

    // ------------------------------------------------------------------- the driver's errno answers

    /** Interrupts whose writes the "driver" answers with {@code errno}. */
    private static UioMsiInterrupts answering(int errno, InterruptMode mode) {
        return new UioMsiInterrupts(ADDR, word -> {
            throw new ErrnoException("write(fd 9, 4 bytes)", errno);
        }, mode, 5);
    }

    @Test
    void erangeSaysTheDriverHasFewerVectorsThanSysfsSaid() {
        assertThatThrownBy(() -> answering(UioMsiInterrupts.ERANGE, InterruptMode.MSIX).bind(4, eventFd()))
                .isInstanceOf(ErrnoException.class)
                .hasMessageContaining("write(fd 9, 4 bytes) of 0x104")
                .hasMessageContaining("(set vector 4 to eventfd")
                .hasMessageContaining("failed: ERANGE")
                .hasMessageContaining("Cannot bind vector 4 to eventfd")
                .hasMessageContaining("fewer vectors than the 5 read from sysfs");
    }

    @Test
    void ebadfSaysTheEventFdIsNotOpen() {
        assertThatThrownBy(() -> answering(Errno.EBADF, InterruptMode.MSIX).bind(1, eventFd()))
                .hasMessageContaining("failed: EBADF").hasMessageContaining("the eventfd is not open in this process");
    }

    @Test
    void einvalOnBindSaysTheDescriptorIsNotAnEventFd() {
        assertThatThrownBy(() -> answering(Errno.EINVAL, InterruptMode.MSIX).bind(1, eventFd()))
                .hasMessageContaining("failed: EINVAL").hasMessageContaining("the descriptor is not an eventfd");
    }

    @Test
    void einvalOnIntxMaskSaysTheModeIsWrong() {
        assertThatThrownBy(() -> answering(Errno.EINVAL, InterruptMode.INTX).maskIntx())
                .hasMessageContaining("0x00000000 (mask INTx)").hasMessageContaining("the device is not in INTx mode");
    }

    @Test
    void enodevSaysTheDeviceIsBeingRemovedAndHowToRecover() {
        assertThatThrownBy(() -> answering(Errno.ENODEV, InterruptMode.MSIX).unbind(2))
                .isInstanceOf(ErrnoException.class)
                .hasMessageContaining("0x20200000 (unbind vector 2)")
                .hasMessageContaining("Cannot unbind vector 2 of 0000:00:03.0: the device is being removed from uio_msi")
                .hasMessageContaining("bin/devbind --bind uio_msi 0000:00:03.0")
                .satisfies(e -> assertThat(((ErrnoException) e).errno()).isEqualTo(Errno.ENODEV));
    }
}
