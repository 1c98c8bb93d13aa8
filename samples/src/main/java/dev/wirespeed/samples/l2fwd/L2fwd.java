/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.samples.l2fwd;

import dev.wirespeed.core.dma.DmaDomain;
import dev.wirespeed.core.idle.IdleCounters;
import dev.wirespeed.core.idle.InterruptIdleStrategy;
import dev.wirespeed.core.idle.WakeSource;
import dev.wirespeed.core.lcore.CpuSample;
import dev.wirespeed.core.lcore.Lcore;
import dev.wirespeed.core.os.SleepPathWarmUp;
import dev.wirespeed.core.packet.PacketPool;
import dev.wirespeed.core.packet.PoolLeakException;
import dev.wirespeed.core.port.Port;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.core.port.Ports;
import dev.wirespeed.samples.common.Cli;
import dev.wirespeed.samples.common.Json;
import dev.wirespeed.samples.common.PoolMemory;
import dev.wirespeed.samples.common.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * l2fwd as DPDK users know it: ports pair up (0↔1, 2↔3, …), every packet received on one is sent on its
 * partner, optionally with rewritten MAC addresses, by lcore threads polling in bursts.
 */
@Command(name = "l2fwd", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Forwards packets between pairs of ports (0<->1, 2<->3, ...) in bursts, printing rates.",
                "With no --dev, uses two emulated 82599 VFs whose wires are a traffic generator and a sink: the full driver path, until Ctrl-C."},
        // Every footer line stays within 80 columns: picocli wraps longer ones wherever the width ends,
        // mid-token, and a device string copied from a wrapped line breaks (issue 16 point 11).
        footer = {"", "Device strings:",
                "  pci:BDF      an 82599-family VF bound to uio_msi (e.g. pci:0000:03:10.0)",
                "  null:[size=BYTES][,copy=0|1]   endless source and sink of BYTES-byte frames",
                "  ring:NAME    in-process link: two ports on the same NAME, back to back",
                "  af_packet:IFNAME[,promisc=on][,frames=N]   a Linux interface (a veth",
                "               end, a NIC) through packet sockets; root or CAP_NET_RAW",
                "  tap:NAME[,up=on]   a TAP interface, created if missing; root or",
                "               CAP_NET_ADMIN; up=on brings it up",
                "  emu:wire=WIRE[,KEY=VALUE]...   an emulated 82599-family VF (driver and NIC",
                "               in this process; every key in emulator/README.md)",
                "    WIRE = pair:NAME        back to back with the other emu port on NAME",
                "           loopback         receives what it sends",
                "           tap:IFNAME       a Linux TAP interface (root); ping, iperf3 reach it",
                "           pcap,in=FILE,out=FILE   rx replays FILE (every frame, in order),",
                "                            tx is written to FILE (either may be absent)",
                "           gen | sink | gen+sink   rx from a generator, tx into a sink that",
                "                            verifies sequence numbers",
                "    generator  size=64..9728  flows=N  rate=PPS  count=N",
                "    threads    thread=NAME    device thread, shared by every port naming it",
                "               txthread=NAME  transmit DMA on its own device thread",
                "    VF admin   mac=AA:BB:CC:DD:EE:FF  trust=on|off  spoofchk=on|off",
                "               vlan=0..4095  qos=0..7  link=auto|disable  query_rss=on|off",
                "    PF         pf=linux|linux-legacy|dpdk  pf_latency=TIME  posted=off|on|TIME",
                "               pf_configured=on|off  pf_promisc=on|off  pf_mtu=N",
                "               queues=2|4|8  api=1.0+1.1+..",
                "    NIC        flavour=82599|x540|x550|x550em_x|x550em_a  speed=10g|..|10m",
                "    wire       depth=FRAMES",
                "    faults     fault=KIND[:ARG][@TIME][/DURATION][+...]",
                "    Promiscuous rx needs flavour=x550 (or later), trust=on and pf_promisc=on,",
                "    as on real hardware; forwarding foreign source MACs (--no-mac-updating)",
                "    needs spoofchk=off.",
                "",
                "Example, two namespaces bridged through two emulated VFs:",
                "  l2fwd --no-mac-updating \\",
                "    --dev emu:wire=tap:ws0,flavour=x550,trust=on,pf_promisc=on,spoofchk=off \\",
                "    --dev emu:wire=tap:ws1,flavour=x550,trust=on,pf_promisc=on,spoofchk=off",
                "",
                "Example, two namespaces joined by veth pairs whose root-namespace ends are",
                "veth0 and veth1 (their peers with TSO off: ethtool -K PEER tso off):",
                "  ./run --no-mac-updating --dev af_packet:veth0 --dev af_packet:veth1"})
public final class L2fwd implements Callable<Integer> {
    /**
     * The ports used without --dev: two emulated VFs whose generators feed rx and whose sinks check what
     * is sent. Both run on one emulator thread ({@code thread=emu}), so on a 2-core machine the emulator
     * takes one core and the forwarding lcore the other. (The comment that once stood here, that emulated
     * VFs could not share packet pools, is no longer true: all anonymous DMA memory is one IOVA space.)
     */
    static final List<String> DEFAULT_DEVICES = List.of(
            "emu:wire=gen+sink,size=64,mac=02:00:00:00:01:00,thread=emu", "emu:wire=gen+sink,size=64,mac=02:00:00:00:01:01,thread=emu");

    @Option(names = "--dev", paramLabel = "SPEC", description = "A port (repeatable; order gives port ids).")
    List<String> devices = new ArrayList<>();

    @Option(names = "-p", paramLabel = "PORTMASK", description = "Hexadecimal mask of ports to use (default: all).")
    String portMask;

    @Option(names = "--lcores", paramLabel = "CPU_LIST", description = "CPUs to run forwarding threads on, e.g. 1 or 0-1 "
            + "(one thread per CPU, ports shared out round-robin). Default: one unpinned thread.")
    String lcores;

    @Option(names = "--mac-updating", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Rewrite MACs: destination 02:00:00:00:00:<port>, source = the tx port's MAC (default: on).")
    boolean macUpdating;

    @Option(names = "-T", paramLabel = "SECONDS", defaultValue = "1", description = "Stats period in seconds; 0 = off (default: 1).")
    int statsPeriod;

    @Option(names = "--burst", defaultValue = "32", description = "Packets per burst, 1..512 (default: 32).")
    int burst;

    @Option(names = "--idle", defaultValue = "spin", description = "What a thread does when no packet arrives: spin, backoff, "
            + "or interrupt (sleep on the ports' rx interrupts; not for null ports) (default: spin).", converter = IdleMode.Converter.class)
    IdleMode idle;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Run this long, stop cleanly, "
            + "print final stats and exit (default: until Ctrl-C).")
    Double duration; // null: until Ctrl-C

    @Option(names = "--stats-format", defaultValue = "text", description = "text or json (default: text).",
            converter = FormatConverter.class)
    StatsPrinter.Format statsFormat;

    @Option(names = "--pool-size", defaultValue = "8192", description = "Packet buffers per forwarding thread (default: 8192).")
    int poolSize;

    @Option(names = "--ring-size", defaultValue = "1024", description = "Descriptors per rx and tx ring (default: 1024).")
    int ringSize;

    private static final long LINK_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    @Spec
    CommandSpec spec; // for its err writer: human text in JSON mode

    private final PrintStream out;
    private final CountDownLatch stopRequested = new CountDownLatch(1);

    public L2fwd(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        L2fwd app = new L2fwd(System.out);
        Cli.runAndExit("l2fwd", app, app::requestStop, args);
    }

    /** Asks a running {@link #call()} to stop as Ctrl-C would. */
    public void requestStop() {
        stopRequested.countDown();
    }

    @Override
    public Integer call() throws Exception {
        validate();
        List<String> devs = devices.isEmpty() ? DEFAULT_DEVICES : devices;
        Plan plan = Plan.of(devs, portMask, lcores, burst);
        checkPoolSize(plan);
        try (DmaDomain dma = PoolMemory.forDevices(devs, "l2fwd")) {
            return run(plan, dma);
        }
    }

    /** Values picocli accepts as numbers but that mean nothing here (issue 16 point 11: they ran silently). */
    private void validate() {
        if (duration != null && !(duration > 0 && duration < 1e9)) {
            throw new IllegalArgumentException("--duration must be a number of seconds above 0, got " + duration
                    + " (leave it out to run until Ctrl-C)");
        }
        if (statsPeriod < 0) {
            throw new IllegalArgumentException("-T must be 0 (no periodic stats) or a number of seconds, got " + statsPeriod);
        }
    }

    /**
     * Before anything is opened: each thread's pool must fill the rx rings of the ports it polls and hold a
     * burst more. Said in l2fwd's terms (the options to change), not the pool API's (issue 16 point 15).
     */
    private void checkPoolSize(Plan plan) {
        for (int l = 0; l < plan.lcoreCount(); l++) {
            int minimum = plan.minimumPoolSize(l, ringSize, burst);
            if (poolSize < minimum) {
                int polled = plan.rxPortsOf(l).size();
                throw new IllegalArgumentException(String.format(Locale.ROOT, "--pool-size %d is too small: forwarding thread %d polls"
                        + " %d port(s), whose rx rings take %d x %d buffers (--ring-size), and a burst of %d needs room on top: give"
                        + " --pool-size %d or more (%d also fills the tx rings, as DPDK's l2fwd sizes its pool), or a smaller --ring-size",
                        poolSize, l, polled, polled, ringSize, burst, minimum, minimum + polled * ringSize));
            }
        }
    }

    private int run(Plan plan, DmaDomain dma) throws InterruptedException {
        if (idle == IdleMode.INTERRUPT) {
            // before any port starts (its ring would fill unpolled meanwhile): sleeping and waking then
            // allocate nothing from the first sleep on
            SleepPathWarmUp.ensure();
        }
        int lcoreCount = plan.lcoreCount();
        PacketPool[] pools = new PacketPool[lcoreCount];
        Port[] ports = new Port[plan.ports().size()];
        ForwardCounters[] counters = new ForwardCounters[ports.length];
        List<Lcore> threads = new ArrayList<>();
        List<ForwardingAgent> agents = new ArrayList<>();
        int exit = 0;
        for (Plan.PortPlan skipped : plan.skipped()) {
            report(String.format(Locale.ROOT, "port %d: %s skipped: not in port mask 0x%x", skipped.id(), skipped.device(), plan.mask()),
                    String.format(Locale.ROOT, "{\"event\":\"port_skipped\",\"id\":%d,\"device\":%s,\"mask\":\"0x%x\"}",
                            skipped.id(), Json.string(skipped.device()), plan.mask()));
        }
        try {
            for (int l = 0; l < lcoreCount; l++) {
                pools[l] = PacketPool.create("lcore" + l, dma, poolSize);
            }
            for (int i = 0; i < ports.length; i++) {
                Plan.PortPlan pp = plan.ports().get(i);
                PortConfig cfg = PortConfig.builder().portId(pp.id()).rxRingSize(ringSize).txRingSize(ringSize)
                        .rxPool(pools[pp.lcore()]).rxInterrupts(idle == IdleMode.INTERRUPT).build();
                ports[i] = Ports.open(pp.device(), cfg);
                counters[i] = new ForwardCounters();
            }
            for (Port p : ports) {
                boolean promisc = p.setPromiscuous(true);
                report(String.format(Locale.ROOT, "port %d: %s, MAC %s, link %s, promiscuous %s", p.id(), p.name(), p.macAddress(),
                                p.linkStatus(), promisc ? "on" : "refused by the PF (receives its own MAC, broadcast and multicast only)"),
                        String.format(Locale.ROOT, "{\"event\":\"port\",\"id\":%d,\"device\":%s,\"mac\":\"%s\",\"link\":%s,\"promiscuous\":%b}",
                                p.id(), Json.string(p.name()), p.macAddress(), Json.string(String.valueOf(p.linkStatus())), promisc));
                p.start();
            }
            // the printer's baseline is taken just before forwarding starts: the final report's averages then
            // cover every frame l2fwd forwards (a baseline taken later missed those of the first moments)
            StatsPrinter stats = new StatsPrinter(ports, counters, statsFormat, out);
            LinkWatch links = new LinkWatch(ports, System.nanoTime());
            for (int l = 0; l < lcoreCount; l++) {
                String cpu = plan.cpuOf(l) < 0 ? "unpinned" : "CPU " + plan.cpuOf(l);
                report(String.format(Locale.ROOT, "lcore %d (%s): %s", l, cpu, plan.describeLcore(l)),
                        String.format(Locale.ROOT, "{\"event\":\"lcore\",\"lcore\":%d,\"cpu\":%d,\"forwards\":%s}", l, plan.cpuOf(l),
                                Json.string(plan.describeLcore(l))));
            }
            for (int l = 0; l < lcoreCount; l++) {
                ForwardingAgent agent = agentFor(plan, l, ports, counters, pools[l]);
                agents.add(agent);
                threads.add(startLcore(plan, l, agent));
            }
            String idleName = idle.name().toLowerCase(Locale.ROOT);
            report(String.format(Locale.ROOT, "forwarding on %d thread(s), burst %d, idle %s, MAC updating %s", lcoreCount, burst,
                            idleName, macUpdating ? "on" : "off"),
                    String.format(Locale.ROOT, "{\"event\":\"forwarding\",\"threads\":%d,\"burst\":%d,\"idle\":\"%s\",\"mac_updating\":%b}",
                            lcoreCount, burst, idleName, macUpdating));
            waitForStop(stats, links, threads);
            for (Lcore t : threads) {
                t.close();
            }
            for (ForwardingAgent a : agents) {
                a.drain();
            }
            for (Lcore t : threads) {
                if (t.firstError().isPresent()) {
                    String message = "forwarding thread " + t.name() + " failed: " + t.firstError().get();
                    report("l2fwd: " + message, "{\"event\":\"error\",\"message\":" + Json.string(message) + "}");
                    exit = 1;
                }
            }
            for (Port p : ports) {
                p.stop();
            }
            stats.printFinal(idleSummary(threads, null));
        } finally {
            for (Lcore t : threads) {
                t.close();
            }
            for (Port p : ports) {
                if (p != null) {
                    p.close();
                }
            }
            exit = Math.max(exit, closePools(pools));
        }
        return exit;
    }

    private ForwardingAgent agentFor(Plan plan, int lcore, Port[] ports, ForwardCounters[] counters, PacketPool pool) {
        List<Integer> mine = plan.rxPortsOf(lcore);
        Port[] rx = new Port[mine.size()];
        Port[] tx = new Port[mine.size()];
        ForwardCounters[] rxc = new ForwardCounters[mine.size()];
        ForwardCounters[] txc = new ForwardCounters[mine.size()];
        for (int k = 0; k < mine.size(); k++) {
            int i = mine.get(k);
            int j = plan.partnerOf(i);
            rx[k] = ports[i];
            tx[k] = ports[j];
            rxc[k] = counters[i];
            txc[k] = counters[j];
        }
        return new ForwardingAgent("l2fwd-lcore" + lcore, rx, tx, rxc, txc, burst, macUpdating, pool);
    }

    private Lcore startLcore(Plan plan, int lcore, ForwardingAgent agent) {
        List<WakeSource> wakeSources = new ArrayList<>();
        if (idle == IdleMode.INTERRUPT) {
            for (Port p : agent.rxPorts()) {
                wakeSources.add(p.rxWakeSource(0));
            }
        }
        Lcore.Builder b = Lcore.builder(agent.roleName(), agent).idleStrategy(idle.create(wakeSources));
        if (plan.cpuOf(lcore) >= 0) {
            b.cpu(plan.cpuOf(lcore));
        }
        return b.start();
    }

    /** Sleeps, wake-ups and CPU use of each thread in interrupt mode; empty otherwise. */
    private String idleSummary(List<Lcore> threads, CpuSample[] previous) {
        if (idle != IdleMode.INTERRUPT) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        StringBuilder json = new StringBuilder("\"lcores\":[");
        for (int i = 0; i < threads.size(); i++) {
            Lcore t = threads.get(i);
            IdleCounters c = ((InterruptIdleStrategy) t.idleStrategy()).counters();
            CpuSample now = t.cpuSample();
            double cpu = previous == null ? Double.NaN : now.utilizationSince(previous[i]);
            if (previous != null) {
                previous[i] = now;
            }
            text.append(String.format(Locale.ROOT, "%s: sleeps %,d  wake-ups %,d (timeouts %,d)  asleep %.3f s%s%n", t.name(),
                    c.sleeps(), c.wakeUpsByEvent(), c.wakeUpsByTimeout(), c.nanosAsleep() / 1e9,
                    Double.isNaN(cpu) ? "" : String.format(Locale.ROOT, "  cpu %.1f %%", cpu * 100)));
            json.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"name\":\"%s\",\"sleeps\":%d,\"wakeups\":%d,\"timeouts\":%d,\"asleep_s\":%.6f%s}", t.name(), c.sleeps(),
                    c.wakeUpsByEvent(), c.wakeUpsByTimeout(), c.nanosAsleep() / 1e9,
                    Double.isNaN(cpu) ? "" : String.format(Locale.ROOT, ",\"cpu_percent\":%.2f", cpu * 100)));
        }
        json.append(']');
        return statsFormat == StatsPrinter.Format.JSON ? json.toString() : text.toString().stripTrailing();
    }

    /**
     * A line for people and its JSON event: in text mode the text goes to stdout; in JSON mode stdout carries
     * only JSON lines (a script pipes it into jq), so the event goes there and the text to stderr.
     */
    private void report(String text, String json) {
        if (statsFormat == StatsPrinter.Format.JSON) {
            out.println(json);
            out.flush();
            humanErr().println(text);
            humanErr().flush();
        } else {
            out.println(text);
        }
    }

    private java.io.PrintWriter humanErr() {
        return spec != null ? spec.commandLine().getErr() : new java.io.PrintWriter(System.err, true);
    }

    /**
     * Whether stdout was closed under us (the reader of a pipe went away: {@code l2fwd | head -3}). The JVM
     * ignores SIGPIPE, which would end a DPDK program; a failed write only sets the stream's error flag.
     */
    private boolean stdoutClosed() {
        return out.checkError();
    }

    private void waitForStop(StatsPrinter stats, LinkWatch links, List<Lcore> threads) throws InterruptedException {
        CpuSample[] cpu = new CpuSample[threads.size()];
        for (int i = 0; i < cpu.length; i++) {
            cpu[i] = threads.get(i).cpuSample();
        }
        long deadline = duration != null ? System.nanoTime() + (long) (duration * 1e9) : Long.MAX_VALUE;
        long period = statsPeriod > 0 ? TimeUnit.SECONDS.toNanos(statsPeriod) : Long.MAX_VALUE;
        long nextStats = period == Long.MAX_VALUE ? Long.MAX_VALUE : System.nanoTime() + period; // -T 0: never
        while (true) {
            long now = System.nanoTime();
            long wake = Math.min(deadline, nextStats);
            if (now >= deadline) {
                return;
            }
            if (now >= nextStats) {
                stats.print("port statistics", idleSummary(threads, cpu));
                if (stdoutClosed()) {
                    humanErr().println("l2fwd: standard output is closed; stopping");
                    humanErr().flush();
                    return;
                }
                nextStats += period;
                continue;
            }
            // a tenth of a second: a link change is reported that soon after it happens
            if (stopRequested.await(Math.min(wake - now, LINK_POLL_NANOS), TimeUnit.NANOSECONDS)) {
                return;
            }
            links.poll(System.nanoTime(), this::report);
        }
    }

    private int closePools(PacketPool[] pools) {
        int leaked = 0;
        for (PacketPool pool : pools) {
            if (pool == null) {
                continue;
            }
            try {
                pool.close();
            } catch (PoolLeakException e) {
                report("l2fwd: " + e.getMessage(), "{\"event\":\"error\",\"message\":" + Json.string(e.getMessage()) + "}");
                leaked += e.leaked();
            }
        }
        report(leaked == 0 ? "all packet buffers returned to their pools" : String.format(Locale.ROOT, "%,d packet buffers not returned", leaked),
                "{\"event\":\"pool_check\",\"leaked\":" + leaked + "}");
        return leaked == 0 ? 0 : 3;
    }

    static final class FormatConverter implements CommandLine.ITypeConverter<StatsPrinter.Format> {
        @Override
        public StatsPrinter.Format convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "text" -> StatsPrinter.Format.TEXT;
                case "json" -> StatsPrinter.Format.JSON;
                default -> throw new CommandLine.TypeConversionException("expected text or json, got '" + value + "'");
            };
        }
    }
}
