/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.port;

import dev.wirespeed.core.port.DeviceSpec;
import dev.wirespeed.emulator.Flavour;
import dev.wirespeed.emulator.LinkSpeed;
import dev.wirespeed.core.packet.MacAddress;
import dev.wirespeed.emulator.mailbox.MacWords;
import dev.wirespeed.emulator.mailbox.ApiVersion;
import dev.wirespeed.emulator.pf.LinkState;
import dev.wirespeed.emulator.pf.PfConfig;
import dev.wirespeed.emulator.pf.PfPersonality;
import dev.wirespeed.emulator.wire.FrameQueue;
import dev.wirespeed.emulator.wire.GenFrameFormat;
import dev.wirespeed.emulator.wire.WireEnd;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parsed options of an {@code emu:} device string. See {@link #USAGE} and the emulator README for
 * the grammar. Every error names the device string, the key, the value given and what is accepted.
 */
public final class EmuOptions {
    static final String USAGE = "emu:wire=pair:NAME|loopback|tap:IFNAME|pcap|gen|sink|gen+sink[,in=FILE][,out=FILE]"
            + "[,size=64..9728][,flows=N][,rate=PPS][,count=N][,depth=FRAMES][,mac=AA:BB:..][,trust=on|off][,spoofchk=on|off]"
            + "[,vlan=0..4095][,qos=0..7][,link=auto|enable|disable][,query_rss=on|off]"
            + "[,flavour=82599|x540|x550|x550em_x|x550em_a][,speed=10g|5g|2.5g|1g|100m|10m][,api=1.0+1.1+…]"
            + "[,queues=2|4|8][,pf_mtu=68..9710][,pf_promisc=on|off][,pf=linux|linux-legacy|dpdk][,pf_latency=TIME]"
            + "[,pf_configured=on|off][,posted=off|on|TIME][,fault=KIND@TIME[/DURATION]+…][,thread=NAME][,txthread=NAME]"
            + "   emulated 82599-family VF (see emulator/README.md)";

    static final Set<String> COMMON = Set.of("wire", "depth", "mac", "trust", "spoofchk", "vlan", "qos", "link", "query_rss",
            "flavour", "speed", "api", "queues", "pf_mtu", "pf_promisc", "pf", "pf_latency", "pf_configured", "posted", "fault",
            "thread", "txthread");
    private static final Pattern TIME = Pattern.compile("(\\d{1,12})(ns|us|ms|s)?");
    static final Set<String> PCAP = Set.of("in", "out");
    static final Set<String> GEN = Set.of("size", "flows", "rate", "count");

    /** The source MAC of generated frames (locally administered, never a VF's default). */
    public static final MacAddress GENERATOR_MAC = MacAddress.parse("02:77:73:00:00:01");

    final String text;
    final WireSpec wire;
    final int depth;
    final MacAddress mac;
    final boolean trust;
    final boolean spoofCheck;
    final int vlan;
    final int qos;
    final LinkState linkState;
    final boolean queryRss;
    final PfConfig pfConfig;
    final FaultPlan faults;
    /** Devices with the same {@code thread=NAME} share one device thread; null = a thread of its own. */
    final String threadName;
    /**
     * {@code txthread=NAME}: transmit runs on the device thread NAME (shared by name like {@code thread=}),
     * receive and the wire's pump where {@link #threadName} says; null = transmit runs with receive.
     */
    final String txThreadName;

    private EmuOptions(DeviceSpec spec) {
        text = spec.text();
        if (spec.positional() != null) {
            throw new IllegalArgumentException("device '" + text + "': emu ports take only key=value options, found '" + spec.positional()
                    + "'; start with the wire, e.g. emu:wire=pair:A");
        }
        refuseUnknownKeys(spec); // first: 'emu:WIRE=gen' is a misspelt key, not a missing wire
        String w = spec.options().get("wire");
        if (w == null) {
            throw new IllegalArgumentException("device '" + text + "': option 'wire' is required: wire=pair:NAME, loopback, tap:IFNAME, "
                    + "pcap (with in=/out=), gen, sink or gen+sink");
        }
        wire = parseWire(spec, w);
        Set<String> known = new java.util.HashSet<>(COMMON);
        if (wire instanceof WireSpec.Pcap) {
            known.addAll(PCAP);
        }
        if (wire instanceof WireSpec.Traffic t && t.generator()) {
            known.addAll(GEN);
        }
        for (String key : spec.options().keySet()) {
            if (!known.contains(key) && (PCAP.contains(key) || GEN.contains(key))) {
                throw new IllegalArgumentException("device '" + text + "': option '" + key + "' applies only to "
                        + (PCAP.contains(key) ? "wire=pcap" : "a generator (wire=gen or wire=gen+sink)") + ", not to wire=" + w);
            }
        }

        depth = spec.integer("depth", WireEnd.DEFAULT_DEPTH, 2, FrameQueue.MAX_CAPACITY);
        if (Integer.bitCount(depth) != 1) {
            throw error("depth", String.valueOf(depth), "a power of two, e.g. 1024");
        }
        PfPersonality personality = value(spec, "pf", PfPersonality.LINUX, PfPersonality::parse);
        mac = value(spec, "mac", null, v -> {
            MacAddress m = MacAddress.parse(v);
            if (!MacWords.isStation(m)) {
                throw new IllegalArgumentException(v + " is zero or multicast, not a station address");
            }
            return m;
        });
        trust = spec.flag("trust", false);
        spoofCheck = spec.flag("spoofchk", personality != PfPersonality.DPDK); // DPDK leaves VF anti-spoofing off
        vlan = spec.integer("vlan", 0, 0, 4095);
        qos = spec.integer("qos", 0, 0, 7);
        if (qos != 0 && vlan == 0) {
            throw new IllegalArgumentException("device '" + text + "': option 'qos' needs a port VLAN (vlan=1..4095)");
        }
        linkState = value(spec, "link", LinkState.AUTO, v -> switch (v) {
            case "auto" -> LinkState.AUTO;
            case "enable" -> LinkState.ENABLE;
            case "disable" -> LinkState.DISABLE;
            default -> throw new IllegalArgumentException("expected auto, enable or disable");
        });
        queryRss = spec.flag("query_rss", false);

        PfConfig pf = new PfConfig().personality(personality);
        Flavour flavour = value(spec, "flavour", Flavour.X82599, Flavour::parse);
        pf.flavour(flavour);
        value(spec, "pf_latency", null, v -> pf.pfLatencyNanos(duration(v)));
        value(spec, "posted", null, v -> pf.postedWrites(switch (v) {
            case "off" -> -1L;
            case "on" -> PfConfig.DEFAULT_POSTED_WRITE_NANOS;
            default -> duration(v);
        }));
        if (spec.options().containsKey("pf_configured") && personality != PfPersonality.DPDK) {
            throw new IllegalArgumentException("device '" + text + "': option 'pf_configured' applies only to pf=dpdk "
                    + "(DPDK's PF refuses GET_QUEUES until its port is configured)");
        }
        pf.pfPortConfigured(spec.flag("pf_configured", true));
        LinkSpeed speed = value(spec, "speed", LinkSpeed.G10, v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "10g" -> LinkSpeed.G10;
            case "5g" -> LinkSpeed.G5;
            case "2.5g" -> LinkSpeed.G2_5;
            case "1g" -> LinkSpeed.G1;
            case "100m" -> LinkSpeed.M100;
            case "10m" -> LinkSpeed.M10;
            default -> throw new IllegalArgumentException("expected 10g, 5g, 2.5g, 1g, 100m or 10m");
        });
        value(spec, "speed", null, v -> pf.link(true, speed)); // fails for a speed the flavour cannot run
        value(spec, "api", null, v -> {
            Set<ApiVersion> apis = EnumSet.noneOf(ApiVersion.class);
            for (String a : v.split("\\+", -1)) {
                apis.add(ApiVersion.parse(a));
            }
            return pf.acceptedApis(apis);
        });
        value(spec, "queues", null, v -> pf.queuesPerPool(Integer.parseInt(v)));
        value(spec, "pf_mtu", null, v -> pf.pfMtu(Integer.parseInt(v)));
        pf.pfPromiscuous(spec.flag("pf_promisc", false));
        pfConfig = pf;
        faults = value(spec, "fault", FaultPlan.NONE, FaultPlan::parse);
        checkAdminSettings(personality, flavour);
        threadName = value(spec, "thread", null, EmuOptions::threadName);
        txThreadName = value(spec, "txthread", null, EmuOptions::threadName);
        if (txThreadName != null && txThreadName.equals(threadName)) {
            throw new IllegalArgumentException("device '" + text + "': option 'txthread' names the same thread as 'thread' ('"
                    + threadName + "'); leave txthread out to run transmit with receive, or name another thread");
        }
    }

    /** Keys no emu: port takes, whatever its wire; a key in the wrong case is named as such. */
    private void refuseUnknownKeys(DeviceSpec spec) {
        for (String key : spec.options().keySet()) {
            String lower = key.toLowerCase(Locale.ROOT);
            if (!COMMON.contains(key) && !PCAP.contains(key) && !GEN.contains(key)
                    && (COMMON.contains(lower) || PCAP.contains(lower) || GEN.contains(lower))) {
                throw new IllegalArgumentException("device '" + text + "': unknown option '" + key + "'; option names are lower case: "
                        + lower + "=" + spec.options().get(key));
            }
        }
        Set<String> all = new java.util.HashSet<>(COMMON);
        all.addAll(PCAP);
        all.addAll(GEN);
        spec.requireOnly(all);
    }

    /** Settings the chosen PF cannot express are refused here, saying why, rather than ignored. */
    private void checkAdminSettings(PfPersonality personality, Flavour flavour) {
        if (personality == PfPersonality.DPDK) {
            refuseIf(trust, "trust", "DPDK's PF has no trust setting: every VF gets every xcast mode");
            refuseIf(vlan != 0, "vlan", "DPDK's PF has no port VLAN that survives a VF reset (ixgbe_vf_reset_event clears VMVIR)");
            refuseIf(queryRss, "query_rss", "DPDK's PF does not answer GET_RETA or GET_RSS_KEY");
        }
        if (personality != PfPersonality.LINUX) {
            String why = personality == PfPersonality.DPDK ? "DPDK's PF has no VF link state"
                    : "Linux PFs before 5.18 have no ndo_set_vf_link_state";
            refuseIf(linkState != LinkState.AUTO, "link", why);
            refuseIf(faults.uses("disable"), "fault", "the 'disable' fault is an administrative link state change: " + why);
        }
        refuseIf(linkState == LinkState.ENABLE, "link", "Linux's PF does not support 'enable' "
                + "(ixgbe_ndo_set_vf_link_state logs 'not supported' and changes nothing); use auto or disable");
        refuseIf(queryRss && flavour.isX550Family(), "query_rss",
                "ixgbe_ndo_set_vf_rss_query_en supports only 82599 and X540 (an X550 VF has RSS registers of its own)");
    }

    private void refuseIf(boolean refused, String key, String why) {
        if (refused) {
            throw new IllegalArgumentException("device '" + text + "': option '" + key + "' cannot be used with this PF: " + why);
        }
    }

    /** 0 or N followed by ns, us, ms or s. */
    private static long duration(String v) {
        Matcher m = TIME.matcher(v);
        if (!m.matches() || (m.group(2) == null && !m.group(1).equals("0"))) {
            throw new IllegalArgumentException("expected a time: 0 or a number with ns, us, ms or s, e.g. 30us");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "ns" : m.group(2)) {
            case "ns" -> n;
            case "us" -> TimeUnit.MICROSECONDS.toNanos(n);
            case "ms" -> TimeUnit.MILLISECONDS.toNanos(n);
            default -> TimeUnit.SECONDS.toNanos(n);
        };
    }

    private static String threadName(String v) {
        if (!v.matches("[A-Za-z0-9_.-]{1,32}")) {
            throw new IllegalArgumentException("expected a name of 1 to 32 letters, digits, '_', '.' or '-'");
        }
        return v;
    }

    /** Parses and checks an {@code emu:} device string's options. */
    public static EmuOptions parse(DeviceSpec spec) {
        if (!spec.scheme().equals("emu")) {
            throw new IllegalArgumentException("device '" + spec.text() + "' is not an emu: device");
        }
        return new EmuOptions(spec);
    }

    private WireSpec parseWire(DeviceSpec spec, String w) {
        if (w.startsWith("pair:")) {
            String name = w.substring(5);
            if (!name.matches("[A-Za-z0-9_.-]{1,64}")) {
                throw error("wire", w, "pair:NAME with a NAME of 1..64 letters, digits, '_', '-', '.'");
            }
            return new WireSpec.Pair(name);
        }
        if (w.startsWith("tap:")) {
            String name = w.substring(4);
            if (!name.matches("[A-Za-z0-9_.-]{1,15}")) {
                throw error("wire", w, "tap:IFNAME with an interface name of 1..15 letters, digits, '_', '-', '.'");
            }
            return new WireSpec.Tap(name);
        }
        return switch (w) {
            case "loopback" -> new WireSpec.Loopback();
            case "pcap" -> {
                String in = spec.options().get("in");
                String out = spec.options().get("out");
                if ((in == null || in.isEmpty()) && (out == null || out.isEmpty())) {
                    throw new IllegalArgumentException("device '" + text + "': wire=pcap needs in=FILE (rx traffic) and/or out=FILE (tx capture)");
                }
                yield new WireSpec.Pcap(in == null || in.isEmpty() ? null : Path.of(in), out == null || out.isEmpty() ? null : Path.of(out));
            }
            case "gen", "sink", "gen+sink", "sink+gen" -> {
                boolean gen = w.contains("gen");
                int size = spec.integer("size", 64, GenFrameFormat.MIN_LENGTH + 4, GenFrameFormat.MAX_LENGTH + 4);
                int flows = spec.integer("flows", 1, 1, 65_536);
                long rate = value(spec, "rate", 0L, v -> nonNegative(v));
                long count = value(spec, "count", 0L, v -> nonNegative(v));
                yield new WireSpec.Traffic(gen, w.contains("sink"), size - 4, flows, rate, count);
            }
            default -> throw error("wire", w, "pair:NAME, loopback, tap:IFNAME, pcap, gen, sink or gen+sink");
        };
    }

    private static long nonNegative(String v) {
        long n = parseCount(v);
        if (n < 0) {
            throw new IllegalArgumentException("must be ≥ 0 (0 = unlimited)");
        }
        return n;
    }

    /** A count with an optional k/m/g suffix (×1000): {@code rate=10m} is ten million per second. */
    private static long parseCount(String v) {
        String t = v.toLowerCase(Locale.ROOT);
        long mul = 1;
        if (t.endsWith("k")) {
            mul = 1_000;
        } else if (t.endsWith("m")) {
            mul = 1_000_000;
        } else if (t.endsWith("g")) {
            mul = 1_000_000_000;
        }
        if (mul != 1) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            return Math.multiplyExact(Long.parseLong(t), mul);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("expected a number, optionally with k, m or g (×1000), e.g. 10m");
        }
    }

    private <T> T value(DeviceSpec spec, String key, T absent, Function<String, T> parser) {
        String v = spec.options().get(key);
        if (v == null) {
            return absent;
        }
        try {
            return parser.apply(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("device '" + text + "': option '" + key + "'='" + v + "' is invalid: " + e.getMessage(), e);
        }
    }

    private IllegalArgumentException error(String key, String value, String expected) {
        return new IllegalArgumentException("device '" + text + "': option '" + key + "'='" + value + "' is invalid: expected " + expected);
    }

    public WireSpec wire() {
        return wire;
    }

    public FaultPlan faults() {
        return faults;
    }
}
