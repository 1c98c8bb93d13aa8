/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.igbvf;

import dev.wirespeed.core.device.Bar;
import dev.wirespeed.core.device.DeviceGoneException;
import dev.wirespeed.core.device.InterruptMode;
import dev.wirespeed.core.device.PciFunction;
import dev.wirespeed.core.device.vf.AdvancedRxRing;
import dev.wirespeed.core.device.vf.AdvancedTxRing;
import dev.wirespeed.core.device.vf.RingLayout;
import dev.wirespeed.core.device.vf.VectorWake;
import dev.wirespeed.core.device.vf.VfQueues;
import dev.wirespeed.core.dma.DmaRegion;
import dev.wirespeed.core.idle.WakeSource;
import dev.wirespeed.core.os.EventFd;
import dev.wirespeed.core.packet.MacAddress;
import dev.wirespeed.core.packet.PacketBatch;
import dev.wirespeed.core.packet.PacketPool;
import dev.wirespeed.core.port.LinkStatus;
import dev.wirespeed.core.port.Offload;
import dev.wirespeed.core.port.Port;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.core.port.PortStats;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * An 82576/I350 SR-IOV VF as a {@link Port}. {@link VfDevice} resets the VF and talks to the PF; the
 * rings are pmd-core's shared advanced rings with this family's bits ({@link Rings}); a watchdog thread
 * ({@link #poll()} every {@code watchdogPeriod}) reads the mailbox for PF resets and pings, the link and
 * the counters, and rebuilds the port after a PF reset with the buffers the rings hold.
 *
 * <p>MSI-X vectors as Linux igbvf maps them (igbvf_configure_msix): tx queue 0 → vector 0, rx queues →
 * vector 1, mailbox → vector 2. QEMU's model ORs VTIVAR writes together and never clears them, so
 * any other mapping would mix with what igbvf left behind (facts §7.5). The mailbox is polled, not
 * interrupt-driven: the model delivers it on the wrong vector (facts §7.4).
 *
 * <p>The port owns the function it was opened on. Control methods hold one monitor; rx/tx never do.
 */
public final class IgbVfPort implements Port {
    private static final System.Logger LOG = System.getLogger(IgbVfPort.class.getName());
    /** Linux's igb PF caps a VF's frame at 9728 bytes with CRC (igb_set_vf_rlpml); the MTU leaves room for header, one VLAN tag and CRC. */
    static final int MAX_FRAME = 9728;
    static final int FRAME_OVERHEAD = 14 + 4 + 4;
    static final int MAX_MTU = MAX_FRAME - FRAME_OVERHEAD;
    static final int MIN_RING = 64, MAX_RING = 4096, RING_STEP = 8;
    static final int TX_VECTOR = 0, RX_VECTOR = 1, MISC_VECTOR = 2;
    private static final String[] DRIVER_STATS = {"pf_pings", "pf_resets_detected", "reset_recoveries", "reset_recovery_failures",
            "tx_dropped_on_reset"};

    // what the port is
    private final String name;
    private final int id;
    private final Chip chip;
    private final PortConfig config;
    private final IgbVfOptions options;
    // what it drives; control methods and the watchdog hold `control`, bursts never do
    private final PciFunction function;
    private final Bar bar;
    private final VfDevice device;
    private final Rings.Rx[] rx;
    private final Rings.Tx[] tx;
    private final DmaRegion rings;
    private final EventFd rxEventFd; // null without rx interrupts
    private final VectorWake wake;
    private final VfCounters counters;
    private final Object control = new Object();
    private final Thread watchdog;  // null when watchdogPeriod is 0
    // life cycle: read without the monitor by isStarted/isRemoved and the watchdog loop
    private volatile boolean started, closed, removed;
    // a PF reset being waited out (under the monitor)
    private boolean needsRebuild;
    private String rebuildReason;
    private long lastReset;
    long resetsDetected, rebuilds, rebuildFailures, txDroppedOnReset;

    public static IgbVfPort open(PciFunction function, int portId, PortConfig config) {
        return open(function, portId, config, IgbVfOptions.defaults());
    }

    /**
     * Resets the VF, brings it up with its PF and allocates the rings; then {@link #start()}. On failure
     * the function is left open (the caller's); on success the port owns it.
     */
    public static IgbVfPort open(PciFunction function, int portId, PortConfig config, IgbVfOptions options) {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(options, "options");
        String name = "igb-vf " + function.address();
        Chip chip = Chip.of(function.vendorId(), function.deviceId());
        if (chip == null) {
            throw new IllegalArgumentException(String.format("%s: device %04x:%04x is not an 82576/I350 VF; this driver takes 8086:10ca "
                    + "(82576 VF), 8086:152d (82576 VF, Hyper-V), 8086:1520 (I350 VF), 8086:152f (I350 VF, Hyper-V). A PF (8086:10c9, "
                    + "8086:1521) is driven by the kernel's igb; create VFs with echo N > /sys/bus/pci/devices/<pf>/sriov_numvfs",
                    name, function.vendorId(), function.deviceId()));
        }
        checkConfig(name, chip, config, function);
        return new IgbVfPort(function, chip, portId, name, config, options);
    }

    private static void checkConfig(String name, Chip chip, PortConfig config, PciFunction function) {
        for (int size : new int[]{config.rxRingSize(), config.txRingSize()}) {
            if (size < MIN_RING || size > MAX_RING || size % RING_STEP != 0) {
                throw new IllegalArgumentException(name + ": ring size " + size + " is invalid: the VF takes " + MIN_RING + ".." + MAX_RING
                        + " descriptors in steps of " + RING_STEP + " (RDLEN/TDLEN count 128-byte units)");
            }
        }
        if (config.rxQueues() > chip.queuePairs() || config.txQueues() > chip.queuePairs()) {
            throw new IllegalArgumentException(name + ": " + config.rxQueues() + " rx / " + config.txQueues() + " tx queues requested; an "
                    + chip + " VF has " + chip.queuePairs() + " queue pair(s)");
        }
        if (config.mtu() > MAX_MTU) {
            throw new IllegalArgumentException(name + ": MTU " + config.mtu() + " is too large: an igb PF gives a VF frames up to "
                    + MAX_FRAME + " bytes with CRC (igb_set_vf_rlpml), so the MTU can be at most " + MAX_MTU);
        }
        for (PacketPool pool : config.requireRxPools(name)) {
            if (pool.dataRoom() < 1024) {
                throw new IllegalArgumentException(name + ": packet pool '" + pool.name() + "' has " + pool.dataRoom() + "-byte buffers;"
                        + " SRRCTL.BSIZEPACKET counts whole KiB, so buffers need at least 1024 bytes of data room");
            }
        }
        if (config.rxInterrupts() && (function.interrupts().mode() != InterruptMode.MSIX || function.interrupts().count() < Regs.VECTORS)) {
            throw new IllegalArgumentException(name + ": rx interrupts need the VF's " + Regs.VECTORS + " MSI-X vectors, but the backend ("
                    + function.backend() + ") offers " + function.interrupts().count() + " " + function.interrupts().mode()
                    + "; turn rx interrupts off or bind the VF to uio_msi or vfio-pci");
        }
    }

    private IgbVfPort(PciFunction function, Chip chip, int portId, String name, PortConfig config, IgbVfOptions options) {
        this.name = name;
        this.id = portId;
        this.chip = chip;
        this.config = config;
        this.options = options;
        this.function = function;
        this.bar = function.bar(0);
        this.device = new VfDevice(bar, name, options, config.mtu() + FRAME_OVERHEAD);
        DmaRegion region = null;
        EventFd fd = null;
        try {
            device.resetFunction();
            device.handshake(false);
            lastReset = System.nanoTime();
            function.enableDma(); // only now: the VF holds none of a previous user's rings after CTRL.RST
            RingLayout layout = new RingLayout(function.dma().chunkSize(), config.rxQueues(), config.rxRingSize(), config.txQueues(), config.txRingSize());
            region = function.dma().allocate(layout.totalBytes(), "rings of port " + portId + " (" + name + ")");
            PacketPool[] pools = config.requireRxPools(name);
            rx = new Rings.Rx[config.rxQueues()];
            for (int q = 0; q < rx.length; q++) {
                long off = layout.rxOffset(q);
                // strip reported whenever VP is set: the PF, not the VF, turns stripping on (facts §6.3)
                rx[q] = new Rings.Rx(q, region.segment().asSlice(off, config.rxRingSize() * 16L), region.iova(off), config.rxRingSize(),
                        pools[q], portId, config.has(Offload.RX_CHECKSUM), true, chip);
            }
            tx = new Rings.Tx[config.txQueues()];
            for (int q = 0; q < tx.length; q++) {
                long off = layout.txOffset(q);
                tx[q] = new Rings.Tx(q, region.segment().asSlice(off, config.txRingSize() * 16L), region.iova(off), config.txRingSize());
            }
            counters = new VfCounters(bar);
            if (config.rxInterrupts()) {
                fd = EventFd.create();
                function.interrupts().bind(RX_VECTOR, fd);
            }
            rxEventFd = fd;
            wake = fd == null ? null : new VectorWake(bar, Regs.WAKE, RX_VECTOR, fd, rx);
            programInterrupts();
        } catch (RuntimeException e) {
            try {
                device.quiesce();
            } catch (RuntimeException again) {
                e.addSuppressed(again);
            }
            if (fd != null) {
                function.interrupts().unbind(RX_VECTOR);
                fd.close();
            }
            if (region != null) {
                region.close();
            }
            throw e;
        }
        rings = region;
        if (options.watchdogPeriod().isZero()) {
            watchdog = null;
        } else {
            watchdog = Thread.ofPlatform().daemon().name(name + " watchdog").unstarted(this::watch);
            watchdog.start();
        }
    }

    /** VTIVAR0 byte 0 rx q0, byte 1 tx q0, byte 2 rx q1, byte 3 tx q1 (igbvf_assign_vector); mailbox on VTIVAR_MISC. */
    private void programInterrupts() {
        bar.write32(Regs.EIMC, Regs.ALL_VECTORS);
        int ivar = 0;
        for (int q = 0; q < rx.length; q++) {
            ivar |= (RX_VECTOR | Regs.IVAR_VALID) << (16 * q);
        }
        for (int q = 0; q < tx.length; q++) {
            ivar |= (TX_VECTOR | Regs.IVAR_VALID) << (8 + 16 * q);
        }
        bar.write32(Regs.IVAR0, ivar);
        bar.write32(Regs.IVAR_MISC, MISC_VECTOR | Regs.IVAR_VALID);
        bar.write32(Regs.eitr(RX_VECTOR), options.eitr());
        // auto-clear so each message re-arms the cause; auto-mask (ignored by QEMU's model) as igbvf sets it
        bar.write32(Regs.EIAC, Regs.ALL_VECTORS);
        bar.write32(Regs.EIAM, Regs.ALL_VECTORS);
        bar.write32(Regs.EICR, Regs.ALL_VECTORS); // stale causes (write 1 to clear)
    }

    // ---------------------------------------------------------------- start, stop

    /** Fills the rx rings from the pools and enables every queue; bursts work from here on. */
    @Override
    public void start() {
        synchronized (control) {
            ensureUsable();
            if (needsRebuild) {
                throw new IgbVfException(name + ": cannot start while the PF is resetting (" + rebuildReason + "); the watchdog rebuilds the port when it is back");
            }
            if (!started) {
                enableQueues(true);
                gates(true);
                started = true;
            }
        }
    }

    /** Holds bursts, disables the queues and gives every buffer the rings hold back to its pool. */
    @Override
    public void stop() {
        synchronized (control) {
            if (started) {
                started = false;
                gates(false);
                try {
                    disableQueues();
                } finally {
                    VfQueues.releaseBuffers(rx, tx); // the device reads no ring now: disabled, reset or gone
                }
            }
        }
    }

    private void disableQueues() {
        onDevice(() -> {
            try {
                for (int q = 0; q < Math.max(rx.length, tx.length); q++) {
                    if (q < rx.length) {
                        device.disableRx(q);
                    }
                    if (q < tx.length) {
                        device.disableTx(q);
                    }
                }
            } catch (IgbVfException e) {
                // a queue would not stop (PF gone or resetting): reset the function, after which it reads no ring
                LOG.log(System.Logger.Level.WARNING, () -> name + ": " + e.getMessage() + "; resetting the VF to stop it");
                device.resetFunction();
            }
        });
    }

    /**
     * Runs register work unless the VF is gone, and marks it gone if the work faults. The backend is asked
     * first (uio_msi and vfio-pci know when the function was unbound or unplugged, e.g. by rmmod igb); a
     * register window taken away during the work faults: a {@link DeviceGoneException} from the Bar, or,
     * when the JIT compiled the access, the JVM's InternalError for a faulting unsafe access, which it may
     * deliver a little after the access, outside the Bar.
     */
    private void onDevice(Runnable registerWork) {
        if (removed || function.removed()) {
            markRemoved("the backend reports the function removed");
            return;
        }
        try {
            registerWork.run();
        } catch (DeviceGoneException | InternalError e) {
            if (e instanceof InternalError && !isAccessFault(e)) {
                throw e;
            }
            markRemoved(e.getMessage());
        }
    }

    static boolean isAccessFault(Throwable e) {
        return e instanceof DeviceGoneException
                || e instanceof InternalError && String.valueOf(e.getMessage()).contains("unsafe memory access");
    }

    @Override
    public boolean isStarted() {
        return started;
    }

    private void enableQueues(boolean allocate) {
        for (AdvancedRxRing q : rx) {
            q.fill(allocate);
            device.enableRx(q.index(), q.ringIova(), q.size(), q.bufferBytes());
            q.startTail(bar, Regs.q(Regs.RDT, q.index()));
        }
        for (AdvancedTxRing q : tx) {
            q.reset(bar, Regs.q(Regs.TDT, q.index()));
            device.enableTx(q.index(), q.ringIova(), q.size());
        }
    }

    private void gates(boolean open) {
        if (open) {
            VfQueues.openGates(rx, tx);
        } else {
            VfQueues.shutGates(name, rx, tx);
        }
    }

    // ---------------------------------------------------------------- watchdog: PF reset, link, counters

    private void watch() {
        long period = options.watchdogPeriod().toNanos();
        while (!closed) {
            LockSupport.parkNanos(period);
            try {
                poll();
            } catch (RuntimeException | Error e) { // keep watching: a dead watchdog would leave the port blind
                LOG.log(System.Logger.Level.WARNING, () -> name + ": watchdog: " + e);
            }
        }
    }

    /**
     * One look at the device (the watchdog calls it; with {@code watchdogPeriod} 0 the application does):
     * gone? PF reset or CTS withdrawn (facts §4.4, §4.5)? Then the port holds its bursts and, once RSTI is
     * clear and {@code resetHoldoff} has passed since the last reset, resets the VF and brings everything
     * up again with the buffers the rings hold. Also reads the counters before they wrap.
     */
    public void poll() {
        synchronized (control) {
            if (!closed) {
                onDevice(() -> {
                    if (!checkRemoved()) {
                        look();
                    }
                });
            }
        }
    }

    private void look() {
        String why = pfResetReason();
        if (why != null && !needsRebuild) {
            needsRebuild = true;
            rebuildReason = why;
            resetsDetected++;
            LOG.log(System.Logger.Level.WARNING, () -> name + ": " + why + "; holding the queues until the VF is brought up again");
            if (started) {
                gates(false);
            }
        }
        if (!needsRebuild) {
            counters.update(); // not while a reset is pending: the PF's reset may have zeroed them (rebased in rebuild)
        } else if (!device.pfResetting() && System.nanoTime() - lastReset >= options.resetHoldoff().toNanos()) {
            rebuild();
        }
    }

    /** Why the VF must be reset (a PF reset, CTS withdrawn, the mailbox not answering), or null. */
    private String pfResetReason() {
        try {
            return device.pfResetReason();
        } catch (IgbVfException e) {
            return e.getMessage();
        }
    }

    private void rebuild() {
        try {
            int[] fetchedUpTo = new int[tx.length]; // TDH before the reset: what the device had read
            Arrays.setAll(fetchedUpTo, q -> bar.read32(Regs.q(Regs.TDH, q)));
            device.resetFunction();
            lastReset = System.nanoTime();
            if (started) {
                for (AdvancedTxRing q : tx) {
                    txDroppedOnReset += q.releaseAfterReset(fetchedUpTo[q.index()]); // the VF reads no ring after CTRL.RST
                }
            }
            device.handshake(true);
            counters.rebase();
            programInterrupts();
            if (started) {
                enableQueues(false); // the watchdog does not own the pools: the polling thread's refill tops rings up
                gates(true);
            }
            needsRebuild = false;
            rebuilds++;
            LOG.log(System.Logger.Level.INFO, () -> name + ": brought up again after: " + rebuildReason);
        } catch (RuntimeException e) {
            if (isAccessFault(e)) {
                throw e; // the VF went away during the bring-up: onDevice marks it removed
            }
            if (!checkRemoved()) { // a vanished VF is not a failed bring-up: it stays down for good
                rebuildFailures++;
                LOG.log(System.Logger.Level.WARNING, () -> name + ": bring-up after a PF reset failed, trying again in "
                        + options.resetHoldoff().toMillis() + " ms: " + e.getMessage());
            }
        }
    }

    /** The backend says the function went away, or STATUS reads all ones: nothing answers any more (rmmod igb removes the VFs). */
    private boolean checkRemoved() {
        if (function.removed() || bar.read32(Regs.STATUS) == -1) {
            markRemoved("STATUS reads all ones or the backend reports the function removed");
        }
        return removed;
    }

    /** The VF is gone for good: bursts return 0 from now on, and no register is touched again. */
    private void markRemoved(String why) {
        if (!removed) {
            removed = true;
            gates(false);
            LOG.log(System.Logger.Level.ERROR, () -> name + ": the VF is gone (" + why + "; PF driver unloaded or SR-IOV disabled?);"
                    + " stop and close the port");
        }
    }

    /** True once the VF vanished: bursts return 0; close the port. */
    @Override
    public boolean isRemoved() {
        return removed;
    }

    /** True while a PF reset is being waited out (bursts return 0). */
    public boolean isRecovering() {
        synchronized (control) {
            return needsRebuild;
        }
    }

    // ---------------------------------------------------------------- queues; rx and tx take no lock

    @Override
    public int rxQueueCount() {
        return rx.length;
    }

    @Override
    public int rx(int queue, PacketBatch batch) {
        int before = batch.size();
        try {
            return rx[queue].receive(batch);
        } catch (DeviceGoneException | InternalError e) {
            burstFaulted(e); // the tail write faulted after the ring appended its packets: count what moved
            return batch.size() - before;
        }
    }

    @Override
    public int txQueueCount() {
        return tx.length;
    }

    @Override
    public int tx(int queue, PacketBatch batch) {
        int before = batch.size();
        try {
            return tx[queue].transmit(batch);
        } catch (DeviceGoneException | InternalError e) {
            burstFaulted(e); // the tail write faulted after the ring took the packets: count what moved
            return before - batch.size();
        }
    }

    /** A tail write faulted: the VF went away between two looks of the watchdog (cold path). */
    private void burstFaulted(Throwable e) {
        if (e instanceof Error err && !isAccessFault(err)) {
            throw err;
        }
        synchronized (control) {
            markRemoved(e.getMessage());
        }
    }

    /** The rx vector (1), shared by both rx queues of an 82576 VF. */
    @Override
    public WakeSource rxWakeSource(int queue) {
        Objects.checkIndex(queue, rx.length);
        if (wake == null) {
            throw new IllegalStateException(name + ": rx interrupts are off; open the port with PortConfig.builder().rxInterrupts(true)");
        }
        return wake;
    }

    // ---------------------------------------------------------------- identity, link

    @Override
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "port " + id + " (" + name + ", " + chip + ")";
    }

    @Override
    public int id() {
        return id;
    }

    public Chip chip() {
        return chip;
    }

    /** Up when STATUS.LU is set and the PF is clear to send (Linux igbvf_has_link needs both, facts §6.2). */
    @Override
    public LinkStatus linkStatus() {
        synchronized (control) {
            int[] status = {0};
            if (!closed && !needsRebuild && device.clearToSend()) {
                onDevice(() -> status[0] = bar.read32(Regs.STATUS)); // not once the backend says the VF is gone
            }
            if ((status[0] & Regs.STATUS_LU) == 0) {
                return LinkStatus.DOWN;
            }
            int speed = switch (status[0] & Regs.STATUS_SPEED_MASK) {
                case Regs.STATUS_SPEED_1000 -> 1000;
                case Regs.STATUS_SPEED_100 -> 100;
                case 0 -> 10;
                default -> 1000;
            };
            return new LinkStatus(true, speed, (status[0] & Regs.STATUS_FD) != 0);
        }
    }

    // ---------------------------------------------------------------- MAC, modes, filters (PF conversations)

    @Override
    public MacAddress macAddress() {
        synchronized (control) {
            return device.mac();
        }
    }

    /** The MTU the port was opened with; the PF was told MTU + 22 (SET_LPE). */
    @Override
    public int mtu() {
        return config.mtu();
    }

    /** SET_MAC_ADDR; false if the PF refused (an administrator's MAC binds an untrusted VF). */
    public boolean setMacAddress(MacAddress mac) {
        return withPf(d -> d.changeMac(mac));
    }

    /** Unicast promiscuity: Linux's igb PF does not grant it (it NACKs the flag); returns what was granted. */
    @Override
    public boolean setPromiscuous(boolean enabled) {
        return withPf(d -> d.promisc(PfChannel.PROMISC_UNICAST, enabled));
    }

    @Override
    public boolean isPromiscuous() {
        synchronized (control) {
            return (device.promiscGranted() & PfChannel.PROMISC_UNICAST) != 0;
        }
    }

    /** Multicast promiscuity (VMOLR.MPME on the PF); returns whether it is on. */
    @Override
    public boolean setAllMulticast(boolean enabled) {
        return withPf(d -> d.promisc(PfChannel.PROMISC_MULTICAST, enabled));
    }

    /** Replaces the multicast addresses the PF lets through (at most 30). */
    public void setMulticastAddresses(List<MacAddress> addresses) {
        withPf(d -> {
            d.setMulticast(addresses);
            return null;
        });
    }

    /** Adds a VLAN filter; false if the PF refused (an administrator's port VLAN, or its 32 VLVF entries are used). */
    public boolean addVlan(int vlan) {
        return withPf(d -> d.vlan(vlan, true));
    }

    public boolean removeVlan(int vlan) {
        return withPf(d -> d.vlan(vlan, false));
    }

    public Set<Integer> vlans() {
        return withPf(d -> new TreeSet<>(d.vlans()));
    }

    /** Runs a PF conversation under the control monitor, on a port that is open and present. */
    private <T> T withPf(Function<VfDevice, T> conversation) {
        synchronized (control) {
            ensureUsable();
            return conversation.apply(device);
        }
    }

    // ---------------------------------------------------------------- statistics

    /** Basic statistics: the VF's counters (read now) plus the rings' drops; allocates nothing. */
    @Override
    public PortStats stats(PortStats into) {
        synchronized (control) {
            into.clear();
            if (!closed && !needsRebuild) {
                onDevice(counters::update);
            }
            VfQueues.addDrops(into, rx, tx);
            into.oerrors += txDroppedOnReset;
            into.ipackets = counters.get(VfCounters.RX_PACKETS);
            into.opackets = counters.get(VfCounters.TX_PACKETS);
            into.ibytes = counters.get(VfCounters.RX_BYTES);
            into.obytes = counters.get(VfCounters.TX_BYTES);
            return into;
        }
    }

    @Override
    public Map<String, Long> extendedStats() {
        Map<String, Long> named = new LinkedHashMap<>();
        synchronized (control) {
            stats(new PortStats()).putNamed(named); // rx/tx_good_packets/bytes among them
            for (int i = VfCounters.FIRST_EXTRA; i < VfCounters.NAMES.length; i++) {
                named.put(VfCounters.NAMES[i], counters.get(i));
            }
            VfQueues.putPerQueue(named, rx, tx);
            VfQueues.put(named, "", DRIVER_STATS, device.pings(), resetsDetected, rebuilds, rebuildFailures, txDroppedOnReset);
        }
        return named;
    }

    // ---------------------------------------------------------------- close

    /** Stops the port, ends the watchdog, quiesces the VF and releases the rings, the vectors and the function. */
    @Override
    public void close() {
        if (!markClosed()) {
            return; // closed before
        }
        if (watchdog != null) {
            LockSupport.unpark(watchdog);
            joinWatchdog();
        }
        synchronized (control) {
            onDevice(device::quiesce);
            if (rxEventFd != null) {
                function.interrupts().unbind(RX_VECTOR);
                rxEventFd.close();
            }
            rings.close();
            function.close();
        }
    }

    /** Stops the port and marks it closed (the watchdog loop ends at its next look); false if it was closed before. */
    private boolean markClosed() {
        synchronized (control) {
            boolean first = !closed;
            closed = true;
            stop();
            return first;
        }
    }

    private void joinWatchdog() {
        try {
            watchdog.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void ensureUsable() {
        if (closed) {
            throw new IllegalStateException(name + " is closed");
        }
        if (removed) {
            throw new IllegalStateException(name + ": the VF is gone; close the port");
        }
    }
}
