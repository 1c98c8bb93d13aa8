/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.samples.pktgen;

import dev.wirespeed.core.dma.DmaDomain;
import dev.wirespeed.core.packet.MacAddress;
import dev.wirespeed.core.packet.PacketBatch;
import dev.wirespeed.core.packet.PacketPool;
import dev.wirespeed.core.packet.PoolLeakException;
import dev.wirespeed.core.port.Port;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.core.port.PortStats;
import dev.wirespeed.core.port.Ports;
import dev.wirespeed.samples.common.Cli;
import dev.wirespeed.samples.common.LossCounters;
import dev.wirespeed.samples.common.PoolMemory;
import dev.wirespeed.samples.common.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A traffic generator and checker: sends numbered, timestamped UDP frames on one port and/or receives and
 * checks them on another (or the same) port, reporting rates, loss, duplicates, reordering, corruption
 * and latency percentiles. One thread does both sides, polling.
 */
@Command(name = "pktgen", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Sends numbered, timestamped IPv4/UDP frames and/or receives and checks them.",
                "tx:    send on the first --dev.",
                "rx:    receive on the first --dev and check sequence numbers, payload and latency.",
                "tx-rx: send on the first --dev, receive on the second (or on the same one if only one is given).",
                "       With --reflector MAC and one --dev: send to a peer that returns every frame with its",
                "       addresses swapped (testpmd --forward-mode=macswap) and check they come back from it."},
        // footer lines within 80 columns: picocli would wrap longer ones mid-token
        footer = {"", "Device strings: as for l2fwd (l2fwd --help): pci:BDF, emu:wire=...,",
                "null:..., ring:NAME.",
                "", "Exit status: 0 all well; 2 bad options or a port that cannot be opened;",
                "3 packet buffers leaked; 4 the receiver saw loss, duplicates, reordering",
                "or corruption.",
                "", "Example: pktgen --dev ring:a --dev ring:a --count 1000000 --size 128 --flows 16"})
public final class PktGen implements Callable<Integer> {
    enum Mode { TX, RX, TX_RX }

    /** Descriptors per rx and tx ring of every port. */
    private static final int RING_SIZE = 512;

    @Option(names = "--dev", paramLabel = "SPEC", required = true, description = "A port (repeatable, 1 or 2).")
    List<String> devices = new ArrayList<>();

    @Option(names = "--mode", defaultValue = "tx-rx", converter = ModeConverter.class,
            description = "tx, rx or tx-rx (default: tx-rx).")
    Mode mode;

    @Option(names = "--size", defaultValue = "64", paramLabel = "BYTES",
            description = "Frame size including the 4-byte CRC, 64..9728 as the emulator's size= (default: 64); above 1518 the"
                    + " ports get a jumbo MTU (an 82599 PF grants it only when its own MTU is a jumbo one).")
    int size;

    @Option(names = "--count", defaultValue = "0", description = "Frames to send (tx) or to receive (rx); 0 = no limit (default).")
    long count;

    @Option(names = "--duration", defaultValue = "0", paramLabel = "SECONDS", description = "Stop sending (or receiving) after this long; 0 = no limit.")
    double duration;

    @Option(names = "--rate", defaultValue = "0", paramLabel = "PPS", description = "Frames per second; 0 = as fast as the port takes them (default).")
    long rate;

    @Option(names = "--flows", defaultValue = "1", description = "Distinct flows, 1..65536 as the emulator's flows=, varying the UDP source port and IPv4 source (default: 1).")
    int flows;

    @Option(names = "--burst", defaultValue = "32", description = "Frames per burst, 1..512 (default: 32).")
    int burst;

    @Option(names = "--dst-mac", paramLabel = "MAC", description = "Destination MAC (default: the receiving port's MAC in tx-rx, else broadcast).")
    String dstMac;

    @Option(names = "--reflector", paramLabel = "MAC",
            description = "tx-rx with one --dev: the peer at MAC returns each frame with the addresses swapped; send to it, "
                    + "and count a frame that does not come back from MAC to this port as misaddressed.")
    String reflector;

    @Option(names = "--drain", defaultValue = "1", paramLabel = "SECONDS",
            description = "After sending, wait this long without progress for the last frames to arrive (default: 1).")
    double drain;

    @Option(names = "-T", paramLabel = "SECONDS", defaultValue = "1", description = "Stats period in seconds; 0 = off (default: 1).")
    int statsPeriod;

    @Option(names = "--pool-size", defaultValue = "8192", description = "Packet buffers (default: 8192).")
    int poolSize;

    private final PrintStream out;
    private final CountDownLatch stopRequested = new CountDownLatch(1);

    public PktGen(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        PktGen app = new PktGen(System.out);
        Cli.runAndExit("pktgen", app, app::requestStop, args);
    }

    /** Asks a running {@link #call()} to stop as Ctrl-C would. */
    public void requestStop() {
        stopRequested.countDown();
    }

    @Override
    public Integer call() {
        validate();
        try (DmaDomain dma = PoolMemory.forDevices(devices, "pktgen")) {
            PacketPool pool = PacketPool.create("pktgen", dma, poolSize, PacketPool.DEFAULT_HEADROOM, FrameLimits.dataRoom(size));
            int exit;
            List<Port> ports = new ArrayList<>();
            try {
                exit = run(pool, ports);
            } finally {
                for (Port p : ports) {
                    p.close();
                }
            }
            try {
                pool.close();
                out.println("all packet buffers returned to the pool");
            } catch (PoolLeakException e) {
                out.println("pktgen: " + e.getMessage());
                exit = Math.max(exit, 3);
            }
            return exit;
        }
    }

    private void validate() {
        if (devices.isEmpty() || devices.size() > 2 || mode != Mode.TX_RX && devices.size() != 1) {
            throw new IllegalArgumentException("give one --dev for --mode tx or rx, one or two for tx-rx; got " + devices.size());
        }
        FrameLimits.check(size, flows);
        if (burst < 1 || burst > 512) {
            throw new IllegalArgumentException("--burst must be 1..512, got " + burst);
        }
        if (count < 0 || rate < 0 || duration < 0 || drain < 0) {
            throw new IllegalArgumentException("--count, --rate, --duration and --drain must not be negative");
        }
        if (!(duration < 1e9) || !(drain < 1e9)) { // NaN and infinity pass the test above (issue 16 point 11)
            throw new IllegalArgumentException("--duration and --drain must be numbers of seconds, got " + duration + " and " + drain);
        }
        if (reflector != null && (mode != Mode.TX_RX || devices.size() != 1 || dstMac != null)) {
            throw new IllegalArgumentException("--reflector needs --mode tx-rx and exactly one --dev (frames go to the reflector and come back"
                    + " to the same port), and replaces --dst-mac");
        }
        if (dstMac != null && mode == Mode.RX) {
            throw new IllegalArgumentException("--dst-mac addresses the frames pktgen sends, and --mode rx sends none: drop it, or use"
                    + " --mode tx or tx-rx");
        }
        // bad addresses are refused before any port opens (issue 16 point 16: --dst-mac was parsed after)
        if (reflector != null) {
            MacAddress.parse(reflector);
        }
        if (dstMac != null) {
            MacAddress.parse(dstMac);
        }
        if (statsPeriod < 0) {
            throw new IllegalArgumentException("-T must be 0 (no periodic stats) or a number of seconds, got " + statsPeriod);
        }
        checkPoolSize();
    }

    /**
     * The pool must fill every port's rx ring (each port posts its ring when it starts, even one that only
     * sends), hold a full tx ring of frames in flight and the burst being written, and the burst being
     * checked. Said in pktgen's terms, not the pool API's (issue 16 point 15).
     */
    private void checkPoolSize() {
        boolean sends = mode != Mode.RX, receives = mode != Mode.TX;
        int minimum = devices.size() * RING_SIZE + (sends ? RING_SIZE + burst : 0) + (receives ? PacketBatch.DEFAULT_CAPACITY : 0);
        if (poolSize < minimum) {
            StringBuilder why = new StringBuilder(String.format(Locale.ROOT, "%d port(s) fill their rx rings with %d buffers each",
                    devices.size(), RING_SIZE));
            if (sends) {
                why.append(String.format(Locale.ROOT, ", the tx ring holds up to %d frames in flight, a burst of %d (--burst) is written ahead",
                        RING_SIZE, burst));
            }
            if (receives) {
                why.append(String.format(Locale.ROOT, ", a received burst of %d is checked", PacketBatch.DEFAULT_CAPACITY));
            }
            throw new IllegalArgumentException(String.format(Locale.ROOT, "--pool-size %d is too small for pktgen --mode %s: %s;"
                    + " give --pool-size %d or more (default 8192)", poolSize, modeName(), why, minimum));
        }
    }

    private String modeName() {
        return mode.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private int run(PacketPool pool, List<Port> ports) {
        PortConfig cfg = PortConfig.builder().rxPool(pool).rxRingSize(RING_SIZE).txRingSize(RING_SIZE).mtu(FrameLimits.mtu(size)).build();
        for (int i = 0; i < devices.size(); i++) {
            ports.add(Ports.open(devices.get(i), cfg.toBuilder().portId(i).build()));
        }
        Port txPort = mode == Mode.RX ? null : ports.getFirst();
        Port rxPort = mode == Mode.TX ? null : ports.getLast();
        for (Port p : ports) {
            p.start();
            String promisc = p == rxPort ? ", promiscuous " + (p.setPromiscuous(true) ? "on" : "refused by the PF") : "";
            out.printf(Locale.ROOT, "port %d: %s, MAC %s, link %s%s%n", p.id(), p.name(), p.macAddress(), p.linkStatus(), promisc);
        }
        long start = System.nanoTime();
        TxGenerator tx = null;
        if (txPort != null) {
            long dst = reflector != null ? MacAddress.parse(reflector).value() // both checked in validate()
                    : dstMac != null ? MacAddress.parse(dstMac).value()
                    : rxPort != null ? rxPort.macAddress().value() : 0xFFFF_FFFF_FFFFL;
            tx = new TxGenerator(txPort, pool, burst, size - 4, flows, count, rate, dst, txPort.macAddress().value(), start);
        }
        RxChecker rx = rxPort == null ? null
                : reflector != null ? new RxChecker(rxPort.macAddress().value(), MacAddress.parse(reflector).value())
                : new RxChecker();
        out.println(banner());
        Loop loop = new Loop(tx, rx, rxPort, ports, start);
        loop.run();
        if (tx != null) {
            tx.discardUnsent();
        }
        for (Port p : ports) {
            p.stop();
        }
        long elapsed = System.nanoTime() - start;
        out.printf(Locale.ROOT, "%n== final (%.1f s)%n", elapsed / 1e9);
        for (Port p : ports) {
            // what the ports lost on their own (no descriptor, no buffer, errors): the check below only sees a gap
            out.printf(Locale.ROOT, "port %d:%s%n", p.id(), LossCounters.text(p.stats(new PortStats())));
        }
        if (tx != null) {
            out.printf(Locale.ROOT, "tx: %,d frames sent, %.3f Mpps, %.3f Gbit/s%n", tx.sent(), tx.sent() / (loop.txEndNanos - start) * 1e3,
                    tx.sent() * size * 8.0 / (loop.txEndNanos - start));
        }
        if (rx != null) {
            if (tx != null) {
                rx.sequence().senderFinished(tx.sent()); // frames never received at the end count as lost too
            }
            out.printf(Locale.ROOT, "rx: %,d frames, %.3f Mpps%n", rx.frames(), rx.frames() / (double) elapsed * 1e3);
            out.println(rx.summary());
            out.println(rx.latencySummary());
            return rx.clean() ? 0 : 4;
        }
        return 0;
    }

    /**
     * What this run does, in its own terms: a receive-only run generates nothing, so sizes, rates and
     * flows (the other end's choice) are not its to announce (issue 16 point 16).
     */
    private String banner() {
        if (mode == Mode.RX) {
            String limit = count > 0 && duration > 0 ? String.format(Locale.ROOT, "stops after %,d frames or %s s", count, duration)
                    : count > 0 ? String.format(Locale.ROOT, "stops after %,d frames", count)
                    : duration > 0 ? "stops after " + duration + " s" : "no count or time limit";
            return "pktgen: rx, checking the frames another pktgen sends, " + limit;
        }
        return String.format(Locale.ROOT, "pktgen: %s, %d-byte frames, %s, %s, %d flow(s)", modeName(), size, count > 0 ? String.format(Locale.ROOT, "%,d frames", count) : "no count limit",
                rate > 0 ? String.format(Locale.ROOT, "%,d frames/s", rate) : "full rate", flows);
    }

    /** The polling loop and its stop conditions. */
    private final class Loop {
        private final TxGenerator tx;
        private final RxChecker rx;
        private final Port rxPort;
        private final long start;
        private final PacketBatch rxBatch = new PacketBatch(PacketBatch.DEFAULT_CAPACITY);
        private final List<Port> portsInUse;
        private final PortStats scratch = new PortStats(), losses = new PortStats();
        double txEndNanos;

        Loop(TxGenerator tx, RxChecker rx, Port rxPort, List<Port> ports, long start) {
            this.portsInUse = ports;
            this.tx = tx;
            this.rx = rx;
            this.rxPort = rxPort;
            this.start = start;
        }

        /** The ports' loss counters, summed (one port, or the tx and the rx port of a run). */
        PortStats portLosses() {
            losses.clear();
            for (Port p : portsInUse) {
                LossCounters.addTo(losses, p.stats(scratch));
            }
            return losses;
        }

        void run() {
            long deadline = duration > 0 ? start + (long) (duration * 1e9) : Long.MAX_VALUE;
            long period = statsPeriod > 0 ? TimeUnit.SECONDS.toNanos(statsPeriod) : Long.MAX_VALUE;
            long nextStats = period == Long.MAX_VALUE ? Long.MAX_VALUE : start + period;
            long lastTx = 0, lastRx = 0, lastStats = start;
            boolean sending = tx != null;
            long lastProgress = start;
            long drainNanos = (long) (drain * 1e9);
            while (stopRequested.getCount() > 0) {
                long now = System.nanoTime();
                if (sending && (tx.finished() || now >= deadline)) {
                    sending = false;
                    txEndNanos = now;
                    lastProgress = now;
                }
                if (sending) {
                    tx.poll(now);
                }
                if (rx != null) {
                    int n = rxPort.rx(0, rxBatch);
                    if (n > 0) {
                        rx.accept(rxBatch, System.nanoTime());
                        lastProgress = now;
                    }
                }
                if (!sending) {
                    if (rx == null) {
                        break;
                    }
                    boolean allBack = tx != null && rx.frames() >= tx.sent();
                    boolean rxCountDone = tx == null && count > 0 && rx.frames() >= count;
                    boolean rxDeadline = tx == null && now >= deadline;
                    boolean quiet = tx != null && now - lastProgress > drainNanos;
                    if (allBack || rxCountDone || rxDeadline || quiet) {
                        break;
                    }
                }
                if (now >= nextStats) {
                    double s = (now - lastStats) / 1e9;
                    long t = tx == null ? 0 : tx.sent(), r = rx == null ? 0 : rx.frames();
                    out.println(statsLine(now, s, t - lastTx, r - lastRx));
                    lastTx = t;
                    lastRx = r;
                    lastStats = now;
                    nextStats += period;
                }
            }
            if (sending) {
                txEndNanos = System.nanoTime();
            }
        }

        /** One period's line with only the sides this run has: a tx-only run receives nothing, an rx-only one sends nothing. */
        private String statsLine(long now, double seconds, long sentNow, long receivedNow) {
            StringBuilder rates = new StringBuilder(), totals = new StringBuilder();
            if (tx != null) {
                rates.append(String.format(Locale.ROOT, "  tx %8.3f Mpps", sentNow / seconds / 1e6));
                totals.append(String.format(Locale.ROOT, "  sent %,d", tx.sent()));
            }
            if (rx != null) {
                rates.append(String.format(Locale.ROOT, "  rx %8.3f Mpps", receivedNow / seconds / 1e6));
                totals.append(String.format(Locale.ROOT, "  received %,d  lost %,d  corrupted %,d", rx.frames(), rx.sequence().lost(), rx.corrupted()));
            }
            return String.format(Locale.ROOT, "%6.1f s%s  |%s%s", (now - start) / 1e9, rates, totals, LossCounters.text(portLosses()));
        }
    }

    static final class ModeConverter implements CommandLine.ITypeConverter<Mode> {
        @Override
        public Mode convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "tx" -> Mode.TX;
                case "rx" -> Mode.RX;
                case "tx-rx", "txrx" -> Mode.TX_RX;
                default -> throw new CommandLine.TypeConversionException("expected tx, rx or tx-rx, got '" + value + "'");
            };
        }
    }
}
