/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.port;

import dev.wirespeed.core.pci.PciAddress;
import dev.wirespeed.core.port.DeviceSpec;
import dev.wirespeed.emulator.EmulatedVf;
import dev.wirespeed.emulator.dma.DeviceThread;
import dev.wirespeed.emulator.dma.DeviceWork;
import dev.wirespeed.emulator.dma.VfDmaEngine;
import dev.wirespeed.emulator.pf.EmulatedPf;
import dev.wirespeed.emulator.wire.FrameQueue;
import dev.wirespeed.emulator.wire.FrameSink;
import dev.wirespeed.emulator.wire.PairRegistry;
import dev.wirespeed.emulator.wire.PcapReader;
import dev.wirespeed.emulator.wire.PcapWriter;
import dev.wirespeed.emulator.wire.RxSource;
import dev.wirespeed.emulator.wire.TapInterface;
import dev.wirespeed.emulator.wire.TrafficGenerator;
import dev.wirespeed.emulator.wire.TrafficSink;
import dev.wirespeed.emulator.wire.TxDrain;
import dev.wirespeed.emulator.wire.WireEnd;
import dev.wirespeed.emulator.wire.WirePump;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Everything behind one {@code emu:} port except the driver: an emulated PF with one VF set up as the
 * device string says, its wire, and a device thread running the wire's pump and the VF's DMA engine
 * (its transmit half on a second thread with {@code txthread=}).
 * {@link EmuPortDriver} hands {@link #vf()} to a VF poll-mode driver; tests and benchmarks may instead
 * drive the VF's BAR themselves. Each device has its own PF and device thread, so a pair of ports runs
 * on two threads, each the only producer and the only consumer of its side's queues.
 *
 * <p>Benchmarks: {@code emu:wire=gen+sink,size=64} runs generator → rx and tx → sink on the device
 * thread; read {@link #generator()} and {@link #sink()} for what went in and came out.
 */
public final class EmulatedDevice implements AutoCloseable {
    private static final int VF = 0;
    /**
     * Emulated PFs sit in PCI domain e000, one bus each (the VF at e000:NN:10.0): no real machine has that
     * domain, so the address reads as emulated, and each port's driver messages name a different one.
     */
    static final int EMULATED_DOMAIN = 0xE000;
    private static final AtomicInteger DEVICES_OPENED = new AtomicInteger();

    private final EmuOptions options;
    private final EmulatedPf pf;
    private final WireEnd wire;
    private final WirePump pump;
    private TrafficGenerator generator;
    private TrafficSink sink;
    private final VfDmaEngine engine;
    private final FaultInjector faults;
    private final DeviceWork[] work;       // everything: a stepped pass
    private final DeviceWork[] threadWork; // what the device thread runs: all of it, or all but transmit (txthread=)
    private final DeviceWork sharedWork = this::runShared; // one object: the shared thread removes it by identity
    private final DeviceThread thread; // null when the caller steps the device (openStepped)
    private final DeviceThread txThread; // the txthread= thread, or null
    private final ScheduledExecutorService faultScheduler;
    private boolean closed;

    /** Opens the device an {@code emu:} string describes, e.g. {@code emu:wire=loopback,mac=02:00:00:00:00:01}. */
    public static EmulatedDevice open(String deviceString) {
        return new EmulatedDevice(EmuOptions.parse(DeviceSpec.parse(deviceString)));
    }

    /**
     * Opens the device without a device thread: its DMA engine and wire run only when the caller calls
     * {@link #doWork()}. For deterministic tests and for measuring the model's own cost on one thread.
     */
    public static EmulatedDevice openStepped(String deviceString) {
        return new EmulatedDevice(EmuOptions.parse(DeviceSpec.parse(deviceString)), false);
    }

    public EmulatedDevice(EmuOptions options) {
        this(options, true);
    }

    private EmulatedDevice(EmuOptions options, boolean ownThread) {
        this.options = options;
        int n = DEVICES_OPENED.getAndIncrement();
        pf = new EmulatedPf(options.pfConfig.pfAddress(new PciAddress(EMULATED_DOMAIN + (n >>> 8), n & 0xFF, 0, 0)));
        WireEnd end = null;
        WirePump p = null;
        try {
            if (options.mac != null) {
                pf.setVfMac(VF, options.mac);
            }
            pf.setVfTrust(VF, options.trust);
            pf.setVfSpoofCheck(VF, options.spoofCheck);
            pf.setVfPortVlan(VF, options.vlan, options.qos);
            pf.setVfLinkState(VF, options.linkState);
            pf.setVfQueryRss(VF, options.queryRss);
            end = switch (options.wire) {
                case WireSpec.Pair pair -> PairRegistry.attach(pair.name(), options.depth);
                case WireSpec.Loopback l -> WireEnd.loopback(options.depth);
                // a replayed file is not a link: its frames wait for descriptors (even under DROP_EN) so that
                // every record arrives, in order, whatever the driver's pace (issue 16 point 1)
                case WireSpec.Pcap pc when pc.in() != null ->
                        new WireEnd(label(options.wire), new FrameQueue(options.depth, true), new FrameQueue(options.depth));
                default -> new WireEnd(label(options.wire), new FrameQueue(options.depth), new FrameQueue(options.depth));
            };
            p = pumpFor(options.wire, end);
            wire = end;
            pump = p;
            engine = options.wire instanceof WireSpec.Traffic t ? trafficEngine(t) : new VfDmaEngine(pf, VF, wire);
            faults = new FaultInjector(pf, engine, VF, options.linkState);
            options.faults.applyAtOpen(faults); // before any thread runs the engine: see FaultPlan.applyAtOpen
            work = pump == null ? new DeviceWork[] {engine} : new DeviceWork[] {pump, engine};
            boolean txApart = ownThread && options.txThreadName != null;
            DeviceWork rxSide = txApart ? engine.receiveWork() : engine;
            threadWork = pump == null ? new DeviceWork[] {rxSide} : new DeviceWork[] {pump, rxSide};
            if (!ownThread) {
                thread = null;
            } else if (options.threadName != null) {
                thread = SharedDeviceThreads.attach(options.threadName, sharedWork);
            } else {
                thread = new DeviceThread("emu-" + pf.vf(VF).address(), List.of(threadWork)).start();
            }
            txThread = txApart ? attachTransmit() : null;
        } catch (RuntimeException | Error e) {
            if (p != null) {
                p.close();
            }
            if (end != null && options.wire instanceof WireSpec.Pair pair) {
                PairRegistry.release(pair.name(), end);
            }
            pf.close();
            throw e;
        }
        if (!options.faults.hasLaterSteps()) {
            faultScheduler = null;
        } else {
            faultScheduler = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon(true)
                    .name("emu-faults-" + pf.vf(VF).address()).unstarted(r));
            options.faults.scheduleLater(faultScheduler, faults);
        }
    }

    /** Puts transmit on its txthread=; if that fails, stops the receive thread first: nothing may run the device's work after the failed open frees it. */
    private DeviceThread attachTransmit() {
        try {
            return SharedDeviceThreads.attach(options.txThreadName, engine.transmitWork());
        } catch (RuntimeException | Error e) {
            try {
                stopReceiveThread();
            } catch (RuntimeException | Error suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void stopReceiveThread() {
        if (thread != null && options.threadName != null) {
            SharedDeviceThreads.detach(options.threadName, thread, sharedWork);
        } else if (thread != null) {
            thread.close();
        }
    }

    private static String label(WireSpec w) {
        return switch (w) {
            case WireSpec.Tap t -> "tap:" + t.interfaceName();
            case WireSpec.Pcap p -> "pcap";
            case WireSpec.Traffic t -> t.generator() && t.sink() ? "gen+sink" : t.generator() ? "gen" : "sink";
            default -> w.toString();
        };
    }

    private WirePump pumpFor(WireSpec w, WireEnd end) {
        switch (w) {
            case WireSpec.Tap t -> {
                TapInterface tap = new TapInterface(t.interfaceName());
                return new WirePump(end, tap, tap);
            }
            case WireSpec.Pcap pc -> {
                PcapReader in = pc.in() == null ? null : new PcapReader(pc.in());
                try {
                    return new WirePump(end, in == null ? null : startsWithRx(in), pc.out() == null ? TxDrain.discard() : new PcapWriter(pc.out()));
                } catch (RuntimeException e) {
                    if (in != null) {
                        in.close();
                    }
                    throw e;
                }
            }
            case WireSpec.Traffic t -> {
                return null; // no queue: the engine reads the generator and feeds the sink directly (trafficEngine)
            }
            default -> {
                return null; // pair and loopback: the queues are the whole wire
            }
        }
    }

    /**
     * The engine of a {@code gen}/{@code sink} wire: generated frames are read in place and copied once,
     * into the rx buffers; transmitted frames are verified where they lie, in the tx buffers. No queue
     * in between, so the model is not what limits a benchmark. The generator holds its frames until
     * the VF enables rx queue 0, as a pcap replay does (see {@link #startsWithRx}). A {@code sink}-only
     * device receives what is put into {@link #wire()}'s inbound queue.
     */
    private VfDmaEngine trafficEngine(WireSpec.Traffic t) {
        if (t.generator()) {
            long dst = options.mac != null ? options.mac.value() : 0xFFFF_FFFF_FFFFL;
            var queue0 = pf.vf(VF).registers().queue(0);
            generator = new TrafficGenerator(dst, EmuOptions.GENERATOR_MAC.value(), t.length(), t.flows(), t.rate(), t.count())
                    .startWhen(queue0::rxEnabled);
        }
        FrameSink out = t.sink() ? (sink = new TrafficSink()) : FrameSink.DISCARD;
        // without a generator, rx reads the wire's inbound queue: a test or benchmark may put frames there
        return new VfDmaEngine(pf, VF, label(t), generator != null ? generator : wire.inbound(), out);
    }

    /**
     * Holds a pcap replay back until the VF first enables rx queue 0: before that the PF's and the queue's
     * filters would drop the first frames. From then on the replay waits for free descriptors (its inbound
     * queue {@link FrameQueue#waitsForDescriptors() waits for descriptors}), so a driver that enables the
     * queue before it posts its buffers still receives every record.
     */
    private RxSource startsWithRx(RxSource replay) {
        var queue0 = pf.vf(VF).registers().queue(0);
        return new RxSource() {
            private boolean started;

            @Override
            public int fill(FrameQueue inbound) {
                if (!started) {
                    if (!queue0.rxEnabled()) {
                        return 0;
                    }
                    started = true;
                }
                return replay.fill(inbound);
            }

            @Override
            public void close() {
                replay.close();
            }
        };
    }

    /** This device's part of a pass of a shared device thread. */
    private int runShared() {
        int done = 0;
        for (DeviceWork w : threadWork) {
            done += w.doWork();
        }
        return done;
    }

    /**
     * One pass of the device's work (wire, then DMA engine) on the calling thread; returns the amount of
     * work done, 0 when idle. Only for a device opened with {@link #openStepped}, from one thread at a time.
     */
    public int doWork() {
        if (thread != null) {
            throw new IllegalStateException("device '" + options.text + "' runs on its own device thread; open it with openStepped to step it");
        }
        int done = 0;
        for (DeviceWork w : work) {
            done += w.doWork();
        }
        return done;
    }

    /**
     * The thread running the device's work (for its busy time; shared with other devices under
     * {@code thread=NAME}), or null for a device opened with {@link #openStepped}. With {@code txthread=}
     * it runs everything but transmit.
     */
    public DeviceThread deviceThread() {
        return thread;
    }

    /** The thread running transmit: the {@code txthread=} thread, else the same as {@link #deviceThread()}. */
    public DeviceThread transmitThread() {
        return txThread != null ? txThread : thread;
    }

    /** The emulated VF, as a {@link dev.wirespeed.core.device.PciFunction} a driver opens. */
    public EmulatedVf vf() {
        return pf.vf(VF);
    }

    public EmulatedPf pf() {
        return pf;
    }

    public VfDmaEngine engine() {
        return engine;
    }

    public WireEnd wire() {
        return wire;
    }

    public FaultInjector faults() {
        return faults;
    }

    /** The generator feeding rx ({@code wire=gen…}). */
    public TrafficGenerator generator() {
        if (generator != null) {
            return generator;
        }
        throw new IllegalStateException("device '" + options.text + "' has no generator: open it with wire=gen or wire=gen+sink");
    }

    /** The sink verifying tx ({@code wire=sink} or {@code gen+sink}). */
    public TrafficSink sink() {
        if (sink != null) {
            return sink;
        }
        throw new IllegalStateException("device '" + options.text + "' has no sink: open it with wire=sink or wire=gen+sink");
    }

    /** The TAP interface ({@code wire=tap:…}). */
    public TapInterface tap() {
        if (pump != null && pump.source() instanceof TapInterface t) {
            return t;
        }
        throw new IllegalStateException("device '" + options.text + "' is not on a TAP wire");
    }

    /** The device string's text. */
    public String name() {
        return options.text;
    }

    /** What the driver sees, for messages: "emulated 82599 VF e000:00:10.0", the address in the driver's own messages. */
    public String identity() {
        return "emulated " + options.pfConfig.flavour().key() + " VF " + pf.vf(VF).address();
    }

    /**
     * Stops fault injection and the device threads, then closes the wire (flushing a pcap), frees the pair
     * name, closes the PF and VF. Each step runs even if one before it failed (a device thread that died
     * reports its exception here), and nothing a device thread uses is freed before both have stopped.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        Throwable failure = null;
        if (faultScheduler != null) {
            faultScheduler.shutdownNow();
            failure = attempt(failure, this::awaitFaultScheduler); // a step running now must not act on a closed PF
        }
        if (txThread != null) {
            failure = attempt(failure, () -> SharedDeviceThreads.detach(options.txThreadName, txThread, engine.transmitWork()));
        }
        failure = attempt(failure, this::stopReceiveThread);
        if (pump != null) {
            // frames the engine sent in its last pass may still wait in the outbound queue: the thread can stop
            // between the engine's pass and the pump's next one
            failure = attempt(failure, pump::flushOutbound);
            failure = attempt(failure, pump::close);
        }
        if (options.wire instanceof WireSpec.Pair pair) {
            failure = attempt(failure, () -> PairRegistry.release(pair.name(), wire));
        }
        failure = attempt(failure, pf::close);
        switch (failure) {
            case null -> { }
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            default -> throw new IllegalStateException(failure);
        }
    }

    private void awaitFaultScheduler() {
        try {
            if (!faultScheduler.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new IllegalStateException("device '" + options.text + "': a fault step did not end within 10 s of close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("device '" + options.text + "': interrupted while waiting for a fault step to end", e);
        }
    }

    /** Runs one step of {@link #close}; returns the first failure so far, later ones added to it as suppressed. */
    private static Throwable attempt(Throwable first, Runnable step) {
        try {
            step.run();
            return first;
        } catch (RuntimeException | Error e) {
            if (first == null) {
                return e;
            }
            first.addSuppressed(e);
            return first;
        }
    }
}
