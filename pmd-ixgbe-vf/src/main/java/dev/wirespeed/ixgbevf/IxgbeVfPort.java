/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

import dev.wirespeed.core.device.Bar;
import dev.wirespeed.core.device.DeviceGoneException;
import dev.wirespeed.core.device.PciFunction;
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

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;

/**
 * An 82599-family SR-IOV VF as a {@link Port}: bring-up and the PF conversation ({@link VfBringUp}),
 * rings ({@link RxQueue}, {@link TxQueue}), rx interrupts ({@link VectorWake}), counters
 * ({@link HardwareCounters}) and the {@link Watchdog} that notices a PF reset or a hung tx queue and
 * rebuilds the port under the application's feet.
 *
 * <p>The port owns the {@link PciFunction} it was opened on and closes it in {@link #close()}.
 * Control methods are serialised on one monitor; {@link #rx} and {@link #tx} never touch it.
 */
public final class IxgbeVfPort implements Port {
    private static final System.Logger LOG = System.getLogger(IxgbeVfPort.class.getName());

    /** Largest frame the family handles, CRC included (facts §4.3): MTU 9710. */
    static final int MAX_FRAME = 9728;
    static final int MAX_MTU = MAX_FRAME - 18;
    static final int MIN_RING = 64;
    static final int MAX_RING = 4096;
    static final int RING_STEP = 8;

    private final Object control = new Object();
    private final PciFunction function;
    private final Bar bar;
    private final Chip chip;
    private final int id;
    private final String name;
    private final PortConfig config;
    private final IxgbeVfOptions options;
    private final VfBringUp device;
    private final RxQueue[] rxQueues;
    private final TxQueue[] txQueues;
    private final int[] txRegisterIndex;
    private final DmaRegion rings;
    private final HardwareCounters hardware;
    private final VectorPlan vectors;
    private final EventFd[] eventFds = new EventFd[Regs.VECTORS];
    private final VectorWake[] wakes;
    private final Watchdog watchdog;
    private final TxHangCheck hangCheck;
    private volatile boolean started;
    private volatile boolean closed;
    private volatile boolean needsRecovery;
    private volatile boolean removed;
    /** When the VF was last reset (open or recovery, success or not): the watchdog's resets keep {@code resetHoldoff} apart. */
    private long lastReset;
    /** Why the port waits to be rebuilt (set with {@link #needsRecovery}). */
    private String resetReason;
    /** The reset episode came from the PF, whose reset clears the statistics registers: do not read them until rebuilt. */
    private boolean countersMayBeCleared;
    private volatile IxgbeVfEvent.Listener listener = (p, e, d) -> { };
    private LinkStatus lastLink = LinkStatus.DOWN;
    // driver counters (control thread)
    long resetsDetected;
    long recoveries;
    long recoveryFailures;
    long txHangs;
    long txDroppedOnReset;

    // ---------------------------------------------------------------- opening

    /** Opens the VF with default driver options. See {@link #open(PciFunction, int, PortConfig, IxgbeVfOptions)}. */
    public static IxgbeVfPort open(PciFunction function, int portId, PortConfig config) {
        return open(function, portId, config, IxgbeVfOptions.defaults());
    }

    /**
     * Resets the VF, negotiates with its PF, allocates the rings and sets up interrupts; the port is then
     * ready to {@link #start()}. On failure the device is quiesced and the function left open (the
     * caller opened it). On success the port owns the function.
     */
    public static IxgbeVfPort open(PciFunction function, int portId, PortConfig config, IxgbeVfOptions options) {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(options, "options");
        Chip chip = Chip.of(function.vendorId(), function.deviceId());
        String name = "ixgbe-vf " + function.address();
        if (chip == null) {
            throw new IllegalArgumentException(String.format("%s: device %04x:%04x is not an 82599-family VF; this driver takes "
                    + "8086:10ed (82599), 8086:1515 (X540), 8086:1565 (X550), 8086:15a8 (X550EM_x), 8086:15c5 (X550EM_a)",
                    name, function.vendorId(), function.deviceId()));
        }
        ConfigCheck.check(name, chip, config, function);
        return new IxgbeVfPort(function, chip, portId, name, config, options);
    }

    private IxgbeVfPort(PciFunction function, Chip chip, int portId, String name, PortConfig config, IxgbeVfOptions options) {
        this.function = function;
        this.bar = function.bar(0);
        this.chip = chip;
        this.id = portId;
        this.name = name;
        this.config = config;
        this.options = options;
        this.device = new VfBringUp(bar, chip, name, options, config.mtu() + 18, config.rssKey());
        DmaRegion allocated = null;
        try {
            device.bringUp(false);
            lastReset = System.nanoTime();
            // The VF is reset (VFCTRL.RST) and holds none of a previous user's rings: only now may it DMA.
            function.enableDma();
            VfBringUp.Queues q = device.queueInfo();
            ConfigCheck.checkQueues(name, config, q);
            int nRx = config.rxQueues();
            int nTx = config.txQueues();
            txRegisterIndex = new int[nTx];
            for (int i = 0; i < nTx; i++) {
                txRegisterIndex[i] = q.trafficClasses() > 1 ? q.defaultQueue() : i;
            }
            RingLayout layout = new RingLayout(function.dma().chunkSize(), nRx, config.rxRingSize(), nTx, config.txRingSize());
            allocated = function.dma().allocate(layout.totalBytes(), "rings of port " + portId + " (" + name + ")");
            rings = allocated;
            PacketPool[] pools = config.requireRxPools(name);
            rxQueues = new RxQueue[nRx];
            for (int i = 0; i < nRx; i++) {
                long off = layout.rxOffset(i);
                rxQueues[i] = new RxQueue(i, rings.segment().asSlice(off, (long) config.rxRingSize() * Descriptors.SIZE), rings.iova(off),
                        config.rxRingSize(), pools[i], portId, config.has(Offload.RX_CHECKSUM),
                        config.has(Offload.RX_VLAN_STRIP));
            }
            txQueues = new TxQueue[nTx];
            for (int i = 0; i < nTx; i++) {
                long off = layout.txOffset(i);
                txQueues[i] = new TxQueue(i, rings.segment().asSlice(off, (long) config.txRingSize() * Descriptors.SIZE), rings.iova(off),
                        config.txRingSize());
            }
            hardware = new HardwareCounters(bar);
            vectors = new VectorPlan(config.rxInterrupts(), nRx);
            for (int v = 0; v < vectors.used(); v++) {
                eventFds[v] = EventFd.create();
                function.interrupts().bind(v, eventFds[v]);
            }
            hangCheck = new TxHangCheck(nTx);
            wakes = new VectorWake[nRx];
            if (config.rxInterrupts()) {
                for (int i = 0; i < nRx; i++) {
                    int v = vectors.rxVector(i);
                    wakes[i] = new VectorWake(bar, Regs.WAKE, v, eventFds[v], rxQueues[i]);
                }
            }
            programInterrupts();
            pruneEchoesOfOurMac();
            lastLink = readLink();
            watchdog = options.watchdogPeriod().isZero() ? null : new Watchdog(this, eventFds[vectors.misc()], options);
        } catch (RuntimeException e) {
            try {
                device.quiesce();
            } catch (RuntimeException again) {
                e.addSuppressed(again);
            }
            for (int v = 0; v < Regs.VECTORS; v++) {
                if (eventFds[v] != null) {
                    function.interrupts().unbind(v);
                    eventFds[v].close();
                }
            }
            if (allocated != null) {
                allocated.close();
            }
            throw e;
        }
        if (watchdog != null) {
            watchdog.start();
        }
    }

    // ---------------------------------------------------------------- burst path

    @Override
    public int rx(int queue, PacketBatch batch) {
        return rxQueues[queue].receive(batch);
    }

    @Override
    public int tx(int queue, PacketBatch batch) {
        return txQueues[queue].transmit(batch);
    }

    // ---------------------------------------------------------------- start and stop

    @Override
    public void start() {
        synchronized (control) {
            checkOpen();
            if (started) {
                return;
            }
            if (removed) {
                throw new IxgbeVfException(name + ": cannot start: the device is gone (its registers read all ones)");
            }
            if (needsRecovery) {
                throw new IxgbeVfException(name + ": cannot start: the PF reset and the port could not be brought up again yet ("
                        + recoveryFailures + " attempts failed); the watchdog keeps trying");
            }
            configureQueues(true);
            started = true;
            openGates();
        }
    }

    @Override
    public void stop() {
        synchronized (control) {
            if (!started) {
                return;
            }
            started = false;
            shutGates();
            if (!removed) {
                drainTx();
                disableQueues();
            }
            VfQueues.releaseBuffers(rxQueues, txQueues);
        }
    }

    @Override
    public boolean isStarted() {
        return started;
    }

    private void openGates() {
        VfQueues.openGates(rxQueues, txQueues);
    }

    private void shutGates() {
        VfQueues.shutGates(name, rxQueues, txQueues);
    }

    /** Gives queued frames a moment to leave before the queues go down (a clean stop loses nothing it need not). */
    private void drainTx() {
        long deadline = System.nanoTime() + options.queueEnableTimeout().toNanos();
        for (int i = 0; i < txQueues.length; i++) {
            int r = txRegisterIndex[i];
            while (bar.read32(Regs.tx(Regs.TDH, r)) != bar.read32(Regs.tx(Regs.TDT, r)) && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(10_000);
            }
        }
    }

    private void disableQueues() {
        for (RxQueue q : rxQueues) {
            device.disableRx(q.index());
        }
        for (int i = 0; i < txQueues.length; i++) {
            device.disableTx(txRegisterIndex[i]);
        }
    }

    /**
     * Programs and enables every queue (facts §4.4, §4.5). {@code allocate}: whether rx rings may take
     * buffers from the pool on this thread (not during recovery on the watchdog thread).
     */
    private void configureQueues(boolean allocate) {
        device.programPsrtype(rxQueues.length);
        for (RxQueue q : rxQueues) {
            q.fill(allocate);
            device.enableRx(q.index(), q.ringIova(), q.size(), q.bufferBytes(), config.has(Offload.RX_VLAN_STRIP) || device.pfTagsFrames());
            q.startTail(bar, Regs.rx(Regs.RDT, q.index()));
        }
        for (int i = 0; i < txQueues.length; i++) {
            TxQueue q = txQueues[i];
            int r = txRegisterIndex[i];
            q.reset(bar, Regs.tx(Regs.TDT, r));
            device.enableTx(r, q.ringIova(), q.size());
        }
    }

    // ---------------------------------------------------------------- interrupts

    private void programInterrupts() {
        bar.write32(Regs.EIMC, Regs.ALL_VECTORS);
        int[] ivar = new int[Regs.QUEUES / 2];
        if (config.rxInterrupts()) {
            for (RxQueue q : rxQueues) {
                int entry = (vectors.rxVector(q.index()) | Regs.IVAR_VALID) << (16 * (q.index() & 1));
                ivar[q.index() >> 1] |= entry;
            }
        }
        for (int n = 0; n < ivar.length; n++) {
            bar.write32(Regs.IVAR_BASE + 4 * n, ivar[n]);
        }
        bar.write32(Regs.IVAR_MISC, vectors.misc() | Regs.IVAR_VALID);
        for (int v = 0; v < vectors.used(); v++) {
            bar.write32(Regs.eitr(v), v == vectors.misc() ? Regs.EITR_CNT_WDIS : options.eitrValue());
        }
        int mask = vectors.usedMask();
        bar.write32(Regs.EIAM, mask);
        bar.write32(Regs.EIAC, mask);
        bar.read32(Regs.EICR); // clear stale causes
        bar.write32(Regs.EIMS, 1 << vectors.misc()); // mailbox/link always; rx only when an idle thread arms it
    }

    /** Tells the rx queues which source address marks our own group frames coming back (IxgbeVfOptions.pruneOwnEchoes). */
    private void pruneEchoesOfOurMac() {
        long mac = options.pruneOwnEchoes() ? device.mac().value() : -1;
        for (RxQueue q : rxQueues) {
            q.pruneEchoesOf(mac);
        }
    }

    /** The watchdog re-enables the misc vector after handling it (it auto-masks when it fires). */
    void rearmMisc() {
        bar.write32(Regs.EIMS, 1 << vectors.misc());
    }

    @Override
    public WakeSource rxWakeSource(int queue) {
        Objects.checkIndex(queue, rxQueues.length);
        if (wakes[queue] == null) {
            throw new IllegalStateException(name + ": rx interrupts are off; open the port with PortConfig.builder().rxInterrupts(true)");
        }
        return wakes[queue];
    }

    // ---------------------------------------------------------------- health: PF reset, tx hang, link (watchdog thread)

    /**
     * Looks at the mailbox for a PF reset or a withdrawn CTS. From the first sign the port holds its bursts
     * and shows the link down; it rebuilds once the PF is out of reset (RSTI clear) and {@code resetHoldoff}
     * has passed since the VF's last reset, as Linux's VF waits 10 s (ixgbevf_watchdog_update_link). A PF
     * that stays down is looked at, not reset again and again.
     */
    void checkMailbox() {
        synchronized (control) {
            if (closed || removed || checkRemoved()) {
                return;
            }
            String why;
            try {
                why = device.pfResetReason();
            } catch (IxgbeVfException e) {
                why = e.getMessage();
            }
            if (why != null) {
                resetNeeded(why, true);
            }
            if (needsRecovery && !device.pfResetting() && System.nanoTime() - lastReset >= options.resetHoldoff().toNanos()) {
                rebuild();
            }
            LinkStatus link = readLink();
            if (!link.equals(lastLink)) {
                lastLink = link;
                listener.onEvent(this, IxgbeVfEvent.LINK_CHANGED, link.toString());
            }
        }
    }

    /**
     * The first sign of a reset episode: counted, logged and told once; bursts are held until the rebuild.
     * {@code fromPf}: the PF reset or withdrew CTS, and so may have cleared the statistics registers already.
     */
    private void resetNeeded(String why, boolean fromPf) {
        countersMayBeCleared |= fromPf;
        if (needsRecovery) {
            return;
        }
        needsRecovery = true;
        resetReason = why;
        resetsDetected++;
        LOG.log(System.Logger.Level.WARNING, () -> name + ": the VF must be reset: " + why);
        listener.onEvent(this, IxgbeVfEvent.RESET_DETECTED, why);
        if (started) {
            shutGates();
        }
    }

    /**
     * Adds what the statistics registers counted since the last read, unless a PF reset may have cleared
     * them since (a reset episode, or RSTI/RSTD showing): a cleared counter read as new would look like a
     * wrap, 2^32 frames at once. The rebuild takes their values afterwards as the new starting point.
     */
    private void readCounters() {
        if (!needsRecovery && !device.pfResetSignalled()) {
            hardware.update();
        }
    }

    /** Reads the statistics registers before they wrap and checks every tx queue for a hang. */
    void checkHealth() {
        synchronized (control) {
            if (closed || removed) {
                return;
            }
            readCounters();
            if (!started || needsRecovery) {
                return;
            }
            if (!readLink().up()) {
                // no carrier (link down, PF not talking to us, VF disabled by the administrator): the device
                // need not transmit, so a still TDH is no hang; Linux looks only with carrier up (ixgbevf_check_tx_hang)
                hangCheck.reset();
                return;
            }
            for (int i = 0; i < txQueues.length; i++) {
                int r = txRegisterIndex[i];
                if (hangCheck.hung(i, bar.read32(Regs.tx(Regs.TDH, r)), bar.read32(Regs.tx(Regs.TDT, r)))) {
                    txHangs++;
                    recover("tx queue " + i + " hung: TDH did not move over two checks while TDH != TDT");
                    return;
                }
            }
        }
    }

    /**
     * Rebuilds the port now (a hung tx queue, or on demand), whatever {@code resetHoldoff} says: bursts are
     * held off, bring-up runs again and restores MAC, filters, modes and MTU, the rings are re-armed with
     * the buffers they hold, and bursts resume. Tx packets still on the ring are dropped (and counted); no
     * buffer is lost. If the PF does not answer, the port stays held and the watchdog tries again later.
     */
    public void recover(String reason) {
        synchronized (control) {
            checkOpen();
            resetNeeded(reason, false);
            rebuild();
        }
    }

    private void rebuild() {
        String reason = resetReason;
        try {
            int[] heads = new int[txQueues.length];
            for (int i = 0; i < txQueues.length; i++) {
                heads[i] = bar.read32(Regs.tx(Regs.TDH, txRegisterIndex[i]));
            }
            if (!countersMayBeCleared) {
                hardware.update(); // what they counted until now; after a PF reset that is gone (cleared by it)
            }
            device.resetFunction();
            lastReset = System.nanoTime();
            if (started) {
                // only now: until VFCTRL.RST the device may still be reading these buffers
                for (int i = 0; i < txQueues.length; i++) {
                    txDroppedOnReset += txQueues[i].releaseAfterReset(heads[i]);
                }
            }
            hardware.rebase();
            hangCheck.reset();
            device.handshake(true);
            ConfigCheck.checkQueues(name, config, device.queueInfo());
            programInterrupts();
            pruneEchoesOfOurMac(); // the PF may have assigned another MAC meanwhile
            if (started) {
                configureQueues(false);
                openGates();
            }
            needsRecovery = false;
            countersMayBeCleared = false;
            resetReason = null;
            recoveries++;
            // closes the episode the warning opened: without it a log shows the reset and never its end
            LOG.log(System.Logger.Level.INFO, () -> name + ": recovered: reset and brought up again after: " + reason);
            listener.onEvent(this, IxgbeVfEvent.RECOVERED, "after " + reason);
        } catch (RuntimeException e) {
            if (checkRemoved()) {
                return;
            }
            recoveryFailures++;
            LOG.log(System.Logger.Level.WARNING, () -> name + ": bring-up after reset failed (the watchdog tries again in "
                    + options.resetHoldoff().toSeconds() + " s): " + e.getMessage());
            listener.onEvent(this, IxgbeVfEvent.RECOVERY_FAILED, e.getMessage());
        }
    }

    /**
     * The backend saying the function was taken away, or VFSTATUS reading all ones (nothing answers at the
     * VF's address any more, facts §1), or a register access faulting: the port
     * stops for good, bursts return 0, and no register is waited on again.
     */
    private boolean checkRemoved() {
        // the backend first: under uio_msi or vfio a removed device's registers are unmapped, and a read would fault
        boolean unbound = function.removed();
        if (!unbound && !statusReadsAllOnes()) {
            return false;
        }
        String why = unbound ? "the function was unbound from its driver or unplugged" : "VFSTATUS reads 0xffffffff";
        removed = true;
        shutGates();
        LOG.log(System.Logger.Level.ERROR, () -> name + ": the device is gone (" + why + "); stop and close the port");
        listener.onEvent(this, IxgbeVfEvent.DEVICE_REMOVED, why);
        return true;
    }

    private boolean statusReadsAllOnes() {
        try {
            return bar.read32(Regs.STATUS) == -1;
        } catch (DeviceGoneException e) {
            return true; // the mapping was taken away under us
        }
    }

    /** True once the device vanished (surprise removal): see {@link IxgbeVfEvent#DEVICE_REMOVED}. */
    @Override
    public boolean isRemoved() {
        return removed;
    }

    /** True while the PF is down and the port waits to be rebuilt (bursts return 0). */
    public boolean isRecovering() {
        return needsRecovery;
    }

    public void setEventListener(IxgbeVfEvent.Listener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    // ---------------------------------------------------------------- modes, filters, identity

    @Override
    public int id() {
        return id;
    }

    @Override
    public String name() {
        return name;
    }

    public Chip chip() {
        return chip;
    }

    /** The mailbox API the PF granted. */
    public MailboxApi api() {
        synchronized (control) {
            return device.api();
        }
    }

    /** Queue limits from GET_QUEUES (2/2 assumed on API 1.0). */
    public int maxRxQueues() {
        synchronized (control) {
            return device.queueInfo().rxQueues();
        }
    }

    public int maxTxQueues() {
        synchronized (control) {
            return device.queueInfo().txQueues();
        }
    }

    @Override
    public int rxQueueCount() {
        return rxQueues.length;
    }

    @Override
    public int txQueueCount() {
        return txQueues.length;
    }

    @Override
    public MacAddress macAddress() {
        synchronized (control) {
            return device.mac();
        }
    }

    /** Asks the PF for a new MAC; false if it refused (an administrator's MAC binds an untrusted VF). */
    public boolean setMacAddress(MacAddress mac) {
        synchronized (control) {
            checkOpen();
            boolean changed = device.changeMac(mac);
            pruneEchoesOfOurMac();
            return changed;
        }
    }

    @Override
    public boolean setPromiscuous(boolean enabled) {
        synchronized (control) {
            checkOpen();
            device.wantXcast(enabled, device.wantsAllMulticast());
            return device.xcast() == XcastMode.PROMISC;
        }
    }

    @Override
    public boolean isPromiscuous() {
        synchronized (control) {
            return device.xcast() == XcastMode.PROMISC;
        }
    }

    @Override
    public boolean setAllMulticast(boolean enabled) {
        synchronized (control) {
            checkOpen();
            device.wantXcast(device.wantsPromiscuous(), enabled);
            return device.xcast().compareTo(XcastMode.ALLMULTI) >= 0;
        }
    }

    /** The mode the PF actually granted (it downgrades an untrusted VF to MULTI). */
    public XcastMode xcastMode() {
        synchronized (control) {
            return device.xcast();
        }
    }

    /** Replaces the multicast addresses the PF lets through (at most 30). */
    public void setMulticastAddresses(List<MacAddress> addresses) {
        synchronized (control) {
            checkOpen();
            device.setMulticast(addresses);
        }
    }

    /** Adds a VLAN filter; false if the PF refused (it enforces a port VLAN, or its table is full). */
    public boolean addVlan(int vlan) {
        synchronized (control) {
            checkOpen();
            return device.vlan(vlan, true);
        }
    }

    public boolean removeVlan(int vlan) {
        synchronized (control) {
            checkOpen();
            return device.vlan(vlan, false);
        }
    }

    public List<Integer> vlans() {
        synchronized (control) {
            return List.copyOf(new TreeSet<>(device.vlans()));
        }
    }

    @Override
    public int mtu() {
        return config.mtu();
    }

    @Override
    public LinkStatus linkStatus() {
        synchronized (control) {
            if (closed) {
                throw new IllegalStateException(name + " is closed");
            }
            return readLink();
        }
    }

    /** Up only if VFLINKS says so, the PF is talking to us (CTS) and the administrator has not disabled the VF (facts §7). */
    private LinkStatus readLink() {
        if (removed) {
            return LinkStatus.DOWN;
        }
        try {
            device.readPfMessages();
        } catch (IxgbeVfException e) {
            return LinkStatus.DOWN; // the mailbox is not answering: the PF is not ready either
        }
        if (needsRecovery || !device.pfReady()) {
            return LinkStatus.DOWN;
        }
        int links = bar.read32(Regs.LINKS);
        if (chip.needsLinkDebounce() && (links & Regs.LINKS_UP) != 0) {
            for (int i = 0; i < 5 && (links & Regs.LINKS_UP) != 0; i++) {
                LockSupport.parkNanos(100_000);
                links = bar.read32(Regs.LINKS);
            }
        }
        return chip.decodeLinks(links);
    }

    // ---------------------------------------------------------------- statistics

    @Override
    public PortStats stats(PortStats into) {
        synchronized (control) {
            if (!closed && !removed) {
                readCounters();
            }
            into.clear();
            into.ipackets = hardware.rxPackets();
            into.ibytes = hardware.rxBytes();
            into.opackets = hardware.txPackets();
            into.obytes = hardware.txBytes();
            VfQueues.addDrops(into, rxQueues, txQueues);
            into.oerrors += txDroppedOnReset;
            return into;
        }
    }

    @Override
    public Map<String, Long> extendedStats() {
        synchronized (control) {
            PortStats s = stats(new PortStats());
            Map<String, Long> x = new LinkedHashMap<>();
            s.putNamed(x);
            x.put("rx_multicast_packets", hardware.rxMulticast());
            VfQueues.putPerQueue(x, rxQueues, txQueues);
            x.put("pf_resets_detected", resetsDetected);
            x.put("reset_recoveries", recoveries);
            x.put("reset_recovery_failures", recoveryFailures);
            x.put("tx_hangs_detected", txHangs);
            x.put("tx_dropped_on_reset", txDroppedOnReset);
            x.put("pf_pings", device.pings());
            return x;
        }
    }

    // ---------------------------------------------------------------- close

    @Override
    public void close() {
        synchronized (control) {
            if (closed) {
                return;
            }
            stop();
            closed = true;
        }
        if (watchdog != null) {
            watchdog.stop();
        }
        synchronized (control) {
            if (!removed) {
                device.quiesce();
            }
            for (int v = 0; v < Regs.VECTORS; v++) {
                if (eventFds[v] != null) {
                    function.interrupts().unbind(v);
                    eventFds[v].close();
                }
            }
            rings.close();
            function.close();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(name + " is closed");
        }
        if (removed) {
            throw new IllegalStateException(name + ": the device is gone (its registers read all ones); close the port");
        }
    }

    EventFd miscEventFd() {
        return eventFds[vectors.misc()];
    }

    @Override
    public String toString() {
        return "port " + id + " (" + name + ", " + chip + ")";
    }
}
