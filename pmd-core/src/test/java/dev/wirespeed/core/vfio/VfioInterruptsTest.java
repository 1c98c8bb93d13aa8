/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.vfio;

import dev.wirespeed.core.device.InterruptMode;
import dev.wirespeed.core.os.Errno;
import dev.wirespeed.core.os.ErrnoException;
import dev.wirespeed.core.os.EventFd;
import dev.wirespeed.core.pci.PciAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SET_IRQS calls each bind, unbind and unmask makes, recorded instead of sent. */
class VfioInterruptsTest {
    static final PciAddress ADDRESS = PciAddress.parse("0000:00:03.0");
    static final int TRIGGER = VfioAbi.IRQ_SET_DATA_EVENTFD | VfioAbi.IRQ_SET_ACTION_TRIGGER;

    final List<String> calls = new ArrayList<>();
    final EventFd a = EventFd.create();
    final EventFd b = EventFd.create();

    VfioInterrupts vectors(InterruptMode mode, int count) {
        return new VfioInterrupts(ADDRESS, (flags, index, start, n, fds) ->
                calls.add("flags=0x" + Integer.toHexString(flags) + " index=" + index + " start=" + start + " count=" + n
                        + (fds == null ? "" : " fds=" + Arrays.toString(fds))), mode, count);
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    @Test
    void theFirstBindEnablesEveryMsixVectorLaterOnesChangeOne() {
        VfioInterrupts v = vectors(InterruptMode.MSIX, 3);
        v.bind(1, a);
        v.bind(0, b);
        v.bind(1, b); // rebind
        v.unbind(0);
        v.unbind(0); // already unbound: no call
        v.unbind(2); // never bound: no call
        assertThat(calls).containsExactly(
                "flags=0x24 index=2 start=0 count=3 fds=[-1, " + a.fd() + ", -1]",
                "flags=0x24 index=2 start=0 count=1 fds=[" + b.fd() + "]",
                "flags=0x24 index=2 start=1 count=1 fds=[" + b.fd() + "]",
                "flags=0x24 index=2 start=0 count=1 fds=[-1]");
    }

    @Test
    void intxUnmasksOnlyOnceEnabledAndMsiUsesOneVector() {
        VfioInterrupts intx = vectors(InterruptMode.INTX, 1);
        intx.unmaskIntx(); // nothing enabled yet: nothing to unmask
        intx.bind(0, a);
        intx.unmaskIntx();
        assertThat(calls).containsExactly("flags=0x24 index=0 start=0 count=1 fds=[" + a.fd() + "]",
                "flags=0x11 index=0 start=0 count=1");
        assertThat(vectors(InterruptMode.MSI, 32).count()).isEqualTo(1);
        calls.clear();
        vectors(InterruptMode.MSIX, 3).unmaskIntx();
        assertThat(calls).isEmpty();
    }

    @Test
    void badVectorsAndKernelRefusalsSayWhat() {
        VfioInterrupts v = vectors(InterruptMode.MSIX, 3);
        assertThatThrownBy(() -> v.bind(3, a)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("vector 3 is out of range for 0000:00:03.0: it has 3 MSIX vectors (0-2)");
        assertThatThrownBy(() -> vectors(InterruptMode.NONE, 0).bind(0, a)).hasMessageContaining("no usable interrupt");
        EventFd closed = EventFd.create();
        closed.close();
        assertThatThrownBy(() -> v.bind(0, closed)).hasMessageContaining("the eventfd is closed");
        VfioInterrupts refusing = new VfioInterrupts(ADDRESS, (flags, index, start, n, fds) -> {
            throw new ErrnoException("ioctl(fd 5, 0x3b6e)", Errno.EINVAL);
        }, InterruptMode.MSIX, 3);
        assertThatThrownBy(() -> refusing.bind(0, a)).isInstanceOf(ErrnoException.class)
                .hasMessageContaining("[VFIO_DEVICE_SET_IRQS MSI-X start 0 count 3] failed: EINVAL")
                .hasMessageContaining("Cannot enable");
        assertThat(calls).isEmpty();
    }

    @Test
    void theModeIsTheBestTheDeviceOffers() {
        assertThat(VfioInterrupts.choose(3, 1, 1)).isEqualTo(InterruptMode.MSIX);
        assertThat(VfioInterrupts.choose(0, 1, 1)).isEqualTo(InterruptMode.MSI);
        assertThat(VfioInterrupts.choose(0, 0, 1)).isEqualTo(InterruptMode.INTX);
        assertThat(VfioInterrupts.choose(0, 0, 0)).isEqualTo(InterruptMode.NONE);
    }
}
