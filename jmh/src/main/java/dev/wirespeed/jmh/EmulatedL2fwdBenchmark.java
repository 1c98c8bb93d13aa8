/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.jmh;

import dev.wirespeed.core.dma.AnonymousDmaDomain;
import dev.wirespeed.core.packet.Ethernet;
import dev.wirespeed.core.packet.PacketBatch;
import dev.wirespeed.core.packet.PacketPool;
import dev.wirespeed.core.port.Port;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.core.port.Ports;
import dev.wirespeed.emulator.dma.EngineCounters;
import dev.wirespeed.emulator.port.EmulatedPort;
import dev.wirespeed.emulator.wire.TrafficSink;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * l2fwd over two emulated 82599 VFs, both directions, with the real VF driver: the ports are opened
 * with the device strings l2fwd uses by default ({@code emu:wire=gen+sink,size=64,mac=02:00:00:00:01:00,thread=emu}
 * and {@code …:01:01,thread=emu}: both emulated devices on one emulator thread). Each emulated device's traffic generator feeds its own port's rx; whatever the
 * benchmark transmits on a port goes to that device's sink, which checks every frame's sequence number and
 * payload. The benchmark thread does l2fwd's work: a burst of up to 32 received on A is sent on B, a burst
 * received on B is sent on A, with l2fwd's default MAC rewrite (destination 02:00:00:00:00:&lt;tx port&gt;,
 * source = the tx port's MAC, which is also what the PF's anti-spoofing wants to see).
 *
 * <p>The loop is written here, not taken from the samples' {@code ForwardingAgent}: that class is
 * package-private and frees what the tx ring refuses (as DPDK's l2fwd does), which would flatter the
 * rate. Here refused frames stay in their batch and go out first on the next call; rx only tops the batch
 * up (and only the newly received frames are rewritten).
 *
 * <p><b>Threads:</b> both emulated devices run their generators, sinks and DMA engines on one shared device
 * thread ({@code thread=emu}), so this is two busy threads (the benchmark thread and the emulator) on what
 * is a 2-core machine here. (With a device thread per port it was three busy threads on two CPUs, and
 * the scheduler's time slices, not the code, set the rate: 0.3 Mpps.) The rate is that of the whole
 * emulated system, usually the emulator's; the empty-poll share tells how often the driver thread found
 * nothing to do.
 *
 * <p>Reported per second (JMH aux counters): {@code packets} (forwarded in both directions: Mpps =
 * packets / 1e6), {@code packetsAtoB}, {@code packetsBtoA}, and {@code emptyPolls} (rx bursts that found
 * nothing), {@code polls} (rx bursts polled: a batch still full of frames the tx ring refused is sent again
 * without polling), {@code txBursts} and {@code txFull} (tx bursts, and those that left frames behind) and {@code rxDropped} (generated frames
 * the emulated NICs dropped for want of rx descriptors: offered load the loop did not take). The generators never wait for the driver once rx is up: frames
 * that find the rx ring full are dropped by the emulated NIC (the driver sets SRRCTL.DROP_EN) and show up
 * as gaps (lost) at the far sink. At the end of the trial the ports are stopped and the benchmark checks,
 * throwing if not: every frame the driver transmitted reached the far sink (or was counted dropped by the
 * emulator), the sinks saw no corrupted, duplicated, reordered or foreign frame, and the packet pool is
 * full again. Run with {@code -prof gc}: 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class EmulatedL2fwdBenchmark {
    /** l2fwd's default ports (samples' {@code L2fwd.DEFAULT_DEVICES}). */
    static final String DEVICE_A = "emu:wire=gen+sink,size=64,mac=02:00:00:00:01:00,thread=emu";
    static final String DEVICE_B = "emu:wire=gen+sink,size=64,mac=02:00:00:00:01:01,thread=emu";
    private static final int BURST = 32;
    private static final int RING = 1024;
    private static final int POOL = 8192; // two rx rings + two tx rings + two batches fit with room to spare

    /**
     * The generators' {@code rate=} (frames per second per port, k/m suffixes; "0" = as fast as the port takes
     * them, l2fwd's default: an unlimited generator waits for free rx descriptors, so nothing is dropped). A
     * rate is a link that does not wait: what the rx ring has no room for is dropped and counted.
     */
    @Param({"0"})
    public String rate;

    private AnonymousDmaDomain dma;
    private PacketPool pool;
    private EmulatedPort portA;
    private EmulatedPort portB;
    private Port a; // the driver's own ports: the hot loop calls the driver, not the emu: wrapper
    private Port b;
    private final PacketBatch aToB = new PacketBatch(BURST);
    private final PacketBatch bToA = new PacketBatch(BURST);
    private long dstForB, srcForB, dstForA, srcForA;
    /** Frames the driver accepted for transmission over the whole trial, per direction. */
    private long sentAtoB, sentBtoA;
    private Counters counters;
    private long rxDropsAtStart;

    /** Per-iteration counters JMH reports as rates. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        /** Frames forwarded, both directions together, and per direction. */
        public long packets;
        public long packetsAtoB;
        public long packetsBtoA;
        /** Rx bursts polled (a batch still full of frames tx refused is not polled), and those that found nothing. */
        public long polls;
        public long emptyPolls;
        /**
         * Tx bursts (calls with frames to send), and those that left frames behind because the tx ring was full.
         * While a ring is full every operation retries, so their ratio over-states how long it was full.
         */
        public long txBursts;
        public long txFull;
        /** Generated frames the emulated NICs dropped for want of rx descriptors (both ports; set at iteration end). */
        public long rxDropped;

        @Setup(Level.Iteration)
        public void clear() {
            packets = packetsAtoB = packetsBtoA = polls = emptyPolls = txBursts = txFull = rxDropped = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        dma = new AnonymousDmaDomain("l2fwd-bench"); // the emulator reaches any anonymous DMA memory (no IOMMU model)
        pool = PacketPool.create("l2fwd-bench", dma, POOL);
        PortConfig cfg = PortConfig.builder().rxPool(pool).rxRingSize(RING).txRingSize(RING).build();
        try {
            String suffix = "0".equals(rate) ? "" : ",rate=" + rate;
            portA = (EmulatedPort) Ports.open(DEVICE_A + suffix, cfg.toBuilder().portId(0).build());
            portB = (EmulatedPort) Ports.open(DEVICE_B + suffix, cfg.toBuilder().portId(1).build());
        } catch (RuntimeException e) {
            closeAll(e);
            throw e;
        }
        a = portA.driverPort();
        b = portB.driverPort();
        dstForB = 0x0200_0000_0000L | b.id();
        srcForB = b.macAddress().value();
        dstForA = 0x0200_0000_0000L | a.id();
        srcForA = a.macAddress().value();
        a.start(); // the generators start when their port enables rx
        b.start();
    }

    /** One l2fwd round: a burst A → B, then a burst B → A. */
    @Benchmark
    public int forward(Counters c) {
        counters = c; // for endIteration: JMH rejects an aux-counter state injected into two methods
        int ab = hop(a, b, aToB, dstForB, srcForB, c);
        int ba = hop(b, a, bToA, dstForA, srcForA, c);
        c.packetsAtoB += ab;
        c.packetsBtoA += ba;
        c.packets += ab + ba;
        sentAtoB += ab;
        sentBtoA += ba;
        return ab + ba;
    }

    /** Tops the batch up from {@code rx}, rewrites the new frames' MACs, sends on {@code tx}; what tx refuses stays. */
    private int hop(Port rx, Port tx, PacketBatch batch, long dst, long src, Counters c) {
        int before = batch.size();
        if (before < BURST) {
            c.polls++;
            int n = rx.rx(0, batch);
            if (n == 0) {
                c.emptyPolls++;
            } else {
                int[] handles = batch.handles();
                for (int i = before, end = before + n; i < end; i++) {
                    Ethernet.setAddresses(pool, handles[i], dst, src); // both rx rings fill from the one pool
                }
            }
        }
        if (batch.isEmpty()) {
            return 0;
        }
        c.txBursts++;
        int sent = tx.tx(0, batch);
        if (!batch.isEmpty()) {
            c.txFull++;
        }
        return sent;
    }

    @Setup(Level.Iteration)
    public void startIteration() {
        rxDropsAtStart = rxDrops();
    }

    /** The NICs' rx drops during the iteration, into the iteration's counters (JMH reads them after this). */
    @TearDown(Level.Iteration)
    public void endIteration() {
        if (counters != null) {
            counters.rxDropped = rxDrops() - rxDropsAtStart;
        }
    }

    private long rxDrops() {
        return portA.device().engine().counters().rxNoDescriptor() + portB.device().engine().counters().rxNoDescriptor();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        RuntimeException failure = null;
        try {
            a.stop(); // waits for the tx rings to drain to the wire, then releases the rings' buffers
            b.stop();
            aToB.freeAll();
            bToA.freeAll();
            TrafficSink sinkB = portB.device().sink();
            TrafficSink sinkA = portA.device().sink();
            EngineCounters engA = portA.device().engine().counters();
            EngineCounters engB = portB.device().engine().counters();
            awaitSink(sinkB, engB, sentAtoB, "A→B");
            awaitSink(sinkA, engA, sentBtoA, "B→A");
            System.out.printf("%nl2fwd over emulated ports, whole trial: A→B sent %,d, at B's sink %s, B tx dropped by the"
                            + " emulator %,d (wire full) %,d (spoofed); B→A sent %,d, at A's sink %s, A tx dropped %,d / %,d;"
                            + " rx dropped for want of descriptors: A %,d, B %,d%n",
                    sentAtoB, sinkB, engB.txWireFull(), engB.txSpoofed(), sentBtoA, sinkA, engA.txWireFull(), engA.txSpoofed(),
                    engA.rxNoDescriptor(), engB.rxNoDescriptor());
            checkSink(sinkB, engB, sentAtoB, "A→B (port B's sink)");
            checkSink(sinkA, engA, sentBtoA, "B→A (port A's sink)");
            if (!pool.isFull()) {
                throw new IllegalStateException("l2fwd benchmark: " + pool.inUse() + " of " + pool.capacity()
                        + " packet buffers still in use after both ports stopped and the batches were freed: a leak in the"
                        + " driver's stop path or in this benchmark");
            }
        } catch (RuntimeException e) {
            failure = e;
        }
        closeAll(failure); // a pool that is not full also throws here; the first failure wins, the rest are suppressed
    }

    /** Waits (hang guard only) until everything the driver transmitted has reached the sink or was counted dropped. */
    private static void awaitSink(TrafficSink sink, EngineCounters engine, long sent, String direction) {
        BooleanSupplier arrived = () -> sink.received() + engine.txWireFull() + engine.txSpoofed() + engine.txVfDisabled() >= sent;
        Spin.until(arrived, "the " + direction + " frames to reach the sink");
    }

    private static void checkSink(TrafficSink sink, EngineCounters engine, long sent, String direction) {
        long accounted = sink.received() + engine.txWireFull() + engine.txSpoofed() + engine.txVfDisabled();
        if (sink.corrupted() != 0 || sink.duplicated() != 0 || sink.outOfOrder() != 0 || sink.foreign() != 0
                || engine.txSpoofed() != 0 || accounted != sent) {
            throw new IllegalStateException("l2fwd " + direction + ": the driver transmitted " + sent + " frames, the sink saw "
                    + sink + ", the emulator dropped " + engine.txWireFull() + " (wire full), " + engine.txSpoofed()
                    + " (spoofed), " + engine.txVfDisabled() + " (VF tx off); expected every frame intact, in order, once");
        }
    }

    /** Closes ports, pool and memory; throws {@code failure} (with later failures suppressed) or the first close failure. */
    private void closeAll(RuntimeException failure) {
        RuntimeException first = failure;
        for (AutoCloseable c : new AutoCloseable[]{portA, portB, pool, dma}) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
