#!/usr/bin/env python3
# Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
"""Turns the JSON that jmh/run-suite writes into docs/perf/RESULTS.md.

Usage: results-report.py RESULTS_DIR OUTPUT.md [--quick]

Every figure is per fork first (the mean of a fork's measurement iterations, or, for the latency and
idle-cost counters, the fork's whole-trial value) and then min / median / max over forks, so a reader sees
the spread between JVMs, not only one average. Missing inputs become a line saying what was not run.
"""
import json
import os
import time
import statistics
import sys

PKG = "dev.wirespeed.jmh."

# jmh/dpdk-compare's sides, in the order of the tables, with what each is.
DPDK_SIDES = [
    ("testpmd", "`dpdk-testpmd` as shipped: two `net_null` ports, one forwarding lcore"),
    ("ethdev", "`dpdk-anchor --variant ethdev`: the same loop over `rte_eth_rx_burst`/`rte_eth_tx_burst`, "
               "without testpmd's engine"),
    ("inline", "`dpdk-anchor --variant inline`: net_null's rx and tx work written into the loop, plain counters "
               "instead of net_null's two locked adds per burst"),
    ("bulk", "`dpdk-anchor --variant bulk`: as inline, tx returns the burst with one `rte_mempool_put_bulk` "
             "(what a NIC PMD's tx completion does with `MBUF_FAST_FREE`)"),
]
# The goals (#17), per CPU-second: ratio name in dpdk-compare.json, goal, what it means.
DPDK_GOALS = {
    "io": ("fastest", 1.0, "≥ 1.0× the fastest DPDK variant"),
    "copy": ("testpmd", 1.0, "≥ 1.0× testpmd"),
    "mac": ("testpmd", 1.2, "≥ 1.2× testpmd (same per-packet work)"),
    "macswap": ("testpmd", 1.2, "≥ 1.2× testpmd (same per-packet work)"),
}
# What each side does per packet, per mode (the code: jmh/dpdk-anchor/dpdk-anchor.c, NullForwardBenchmark, NullPort).
WORK_TABLE = [
    ("rx (every mode)",
     "`rte_pktmbuf_alloc_bulk` (resets 10 mbuf fields), then `data_len`, `pkt_len`, `port`",
     "same (ethdev, inline, bulk)",
     "`allocBulk` (resets 8 metadata words), then both lengths and the port"),
    ("tx (every mode)",
     "`rte_pktmbuf_free` one by one (prefree: refcount read), locked add per burst",
     "ethdev: as testpmd; inline: free one by one, plain counter; bulk: one `rte_mempool_put_bulk` per burst",
     "reads the packet length (byte counter), one `freeBulk` per burst (handle check, chain-link read and "
     "write per packet)"),
    ("io", "nothing", "nothing", "nothing"),
    ("mac",
     "prefetch next packet's data; write both MACs; `ol_flags`, `l2_len`, `l3_len`, `vlan_tci`, `vlan_tci_outer`",
     "the same (testpmd's macfwd.c work)",
     "write both MACs; flags, L2/L3 lengths, VLAN TCI (no prefetch; no outer VLAN field)"),
    ("macswap",
     "prefetch; swap the MACs; `ol_flags`, `l2_len`, `l3_len`",
     "the same (testpmd's macswap.h work)",
     "swap the MACs; flags, L2/L3 lengths (no prefetch)"),
    ("copy",
     "net_null `copy=1,size=64`: rx `rte_memcpy` of a 64-byte frame into the mbuf, tx `rte_memcpy` out of it",
     "the same",
     "`null:copy=1`: rx `MemorySegment.copy` of a 64-byte frame in, tx copy out"),
]


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def ran_at(path):
    """When a result file was written (UTC), for sections rerun after the rest of the suite."""
    try:
        return time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(os.path.getmtime(path)))
    except OSError:
        return "?"


def short(benchmark):
    return benchmark[len(PKG):] if benchmark.startswith(PKG) else benchmark


def per_fork_mean(raw):
    return [statistics.fmean(f) for f in raw if f]


def per_fork_sum(raw):
    # Aux counters of the latency/idle benchmarks: only a fork's last measurement iteration is non-zero.
    return [sum(f) for f in raw if f]


def mmm(values, fmt="%.2f"):
    if not values:
        return "–"
    if len(values) == 1:
        return fmt % values[0]
    return " / ".join(fmt % v for v in (min(values), statistics.median(values), max(values)))


def params(entry, skip=()):
    p = entry.get("params") or {}
    return ", ".join("%s=%s" % (k, v) for k, v in p.items() if k not in skip) or "–"


def secondary(entry, name):
    m = (entry.get("secondaryMetrics") or {}).get(name)
    return m["rawData"] if m else []


def forks(entry):
    return len(entry["primaryMetric"]["rawData"])


def datapath_table(entries, out):
    out.append("| benchmark | params | forks | ns/packet (min / median / max) | Mpps (from median) "
               "| Mpps per CPU-second | CPU share | alloc B/op (max) |")
    out.append("|---|---|---|---|---|---|---|---|")
    for e in entries:
        ns = per_fork_mean(e["primaryMetric"]["rawData"])
        alloc = per_fork_mean(secondary(e, "gc.alloc.rate.norm"))
        cpu = per_fork_sum(secondary(e, "cpuMpps"))
        cpu_share = per_fork_sum(secondary(e, "cpuShare"))
        med = statistics.median(ns)
        out.append("| %s | %s | %d | %s | %.1f | %s | %s | %s |" % (
            short(e["benchmark"]), params(e), forks(e), mmm(ns), 1000.0 / med, mmm(cpu, "%.1f"),
            mmm([100 * x for x in cpu_share], "%.0f %%"), "%.3f" % max(alloc) if alloc else "not measured"))


def rate_forks(entry, counter):
    """Per-fork mean of an OPERATIONS aux counter (a rate per second), or [] if the counter is absent."""
    return per_fork_mean(secondary(entry, counter))


def share(numer, denom):
    """Per-fork ratios numer/denom (lists of per-fork values), skipping forks with a zero denominator."""
    return [n / d for n, d in zip(numer, denom) if d]


def alloc_cell(entry):
    alloc = per_fork_mean(secondary(entry, "gc.alloc.rate.norm"))
    return "%.3f" % max(alloc) if alloc else "not measured"


def mpps(values):
    return [v / 1e6 for v in values]


def heading(o, title, entries):
    """Appends a section's heading; when its benchmark was not run, says so and returns False."""
    o.append(title)
    o.append("")
    if not entries:
        o.append("Not run.")
        o.append("")
        return False
    return True


def emulated_vf_section(entries, o):
    if not heading(o, "## Emulated VF forwarding (`EmulatedVfBenchmark`, `-prof gc`)", entries):
        return
    o.append("The ixgbe VF driver on one emulated 82599 VF with a `gen+sink` wire: the benchmark thread receives a "
             "burst of up to 32, rewrites the MAC addresses and sends it; the sink verifies every frame. One "
             "operation is one rx + tx burst call, so B/op is per burst.")
    o.append("")
    o.append("- `mode=stepped`: the benchmark thread runs one emulator pass, then the driver's burst, timing each. "
             "The rx ring is full whenever the driver polls, so the emulator is never the limit: **driver ns/packet** "
             "is the driver's own rx + tx cost per packet (MAC rewrite and one `nanoTime` per burst included).")
    o.append("- `mode=threads`: the emulator on its own device thread, as in an application. Emulator busy = share of "
             "time its thread spent in passes that moved frames; near 100 % means the emulator was the limit.")
    o.append("- `mode=split`: as `threads`, with the emulator's transmit on a second device thread (`txthread=`), "
             "so each direction has a thread of its own (busy: rx thread / tx thread). Three busy threads: "
             "meaningful only with three cores free.")
    o.append("")
    o.append("- `fwd=mac` rewrites both MAC addresses of every frame (as l2fwd); `fwd=io` sends frames as received "
             "(as testpmd's io mode; the port has `spoofchk=off`), so the driver's core never touches packet data.")
    o.append("")
    o.append("| mode | fwd | forks | Mpps (min / median / max) | driver ns/packet | emulator ns/packet | emulator busy | empty-poll share | alloc B/op (max) |")
    o.append("|---|---|---|---|---|---|---|---|---|")
    for e in entries:
        mode = (e.get("params") or {}).get("mode", "?")
        pk = rate_forks(e, "packets")
        polls = per_fork_mean(e["primaryMetric"]["rawData"])  # one rx poll per operation
        empty = rate_forks(e, "emptyPolls")
        if mode == "stepped":
            drv = mmm(share(rate_forks(e, "driverNs"), pk), "%.1f")
            emu = mmm(share(rate_forks(e, "emulatorNs"), pk), "%.1f")
            busy = "(same thread)"
        else:
            drv = "not isolated"
            emu = mmm([1e9 / v for v in pk if v], "%.0f") + " (pipeline)"
            busy = mmm([x / 1e7 for x in rate_forks(e, "emulatorBusyNs")], "%.0f %%")
            if mode == "split":
                busy += " / " + mmm([x / 1e7 for x in rate_forks(e, "emulatorTxBusyNs")], "%.0f %%")
        o.append("| %s | %s | %d | %s | %s | %s | %s | %s | %s |" % (
            mode, (e.get("params") or {}).get("fwd", "mac"), forks(e), mmm(mpps(pk), "%.2f"), drv, emu, busy,
            mmm([x * 100 for x in share(empty, polls)], "%.0f %%"), alloc_cell(e)))
    o.append("")
    if not any((e.get("params") or {}).get("mode") == "split" for e in entries):
        o.append("`mode=split` was not run: `run-suite` runs it on machines with four CPUs or more.")
        o.append("")


def emulator_capacity_section(entries, o):
    if not heading(o, "## Emulator capacity (`EmulatorCapacityBenchmark`)", entries):
        return
    o.append("Frames per second the emulator's data path handles on one core (the process pinned to one CPU) with no driver in the loop (the "
             "benchmark thread steps the device and re-posts descriptors with a few stores each), 64-byte frames, "
             "per direction: `rx` = generator → rx ring, `tx` = tx ring → verifying sink.")
    o.append("")
    o.append("The model's own rate leaves out the benchmark thread's descriptor re-posting (what a driver on "
             "another core would do): frames per second of time spent in the device pass (`emulatorNs`).")
    o.append("")
    o.append("| direction | other params | forks | Mpps (min / median / max) | ns/frame (median) | model's own Mpps (min / median / max) "
             "| alloc B/op (max) |")
    o.append("|---|---|---|---|---|---|---|")
    for e in entries:
        v = rate_forks(e, "frames")
        med = statistics.median(v) if v else 0
        model = [f / ns * 1e9 for f, ns in zip(v, rate_forks(e, "emulatorNs")) if ns]
        o.append("| %s | %s | %d | %s | %s | %s | %s |" % (
            (e.get("params") or {}).get("direction", "?"), params(e, skip=("direction",)), forks(e),
            mmm(mpps(v), "%.2f"), "%.1f" % (1e9 / med) if med else "?",
            mmm(mpps(model), "%.2f") if model else "not measured", alloc_cell(e)))
    o.append("")


def emulated_l2fwd_section(entries, o):
    if not heading(o, "## l2fwd over two emulated ports (`EmulatedL2fwdBenchmark`, `-prof gc`)", entries):
        return
    o.append("l2fwd's default ports, `emu:wire=gen+sink,size=64,mac=02:00:00:00:01:00,thread=emu` and `…:01:01,thread=emu`, with the real VF "
             "driver: each device's generator feeds its port's rx, the benchmark thread forwards A → B and B → A in "
             "bursts of 32 with l2fwd's MAC rewrite, each port's tx goes to its device's verifying sink (checked at "
             "the end of every fork: nothing corrupted, duplicated, reordered or missing between tx and sink, pool "
             "full). Both emulated devices run on one emulator thread (`thread=emu`, as l2fwd's defaults): two busy threads on this 2-core machine. "
             "`rate` is the generators' rate per port (0 = as fast as the ports take them: nothing dropped). Rx drops = generated frames the emulated NICs "
             "dropped for want of rx descriptors (offered load the loop did not take). The JSON also has `txBursts` "
             "and `txFull` (tx calls, and those that left frames behind); they are not shown as a share because "
             "while a tx ring is full the loop retries on every operation, so the share of calls says little about "
             "how long the ring was full.")
    o.append("")
    o.append("| params | forks | Mpps both directions | Mpps A → B | Mpps B → A | empty-poll share "
             "| rx drops Mpps | alloc B/op (max) |")
    o.append("|---|---|---|---|---|---|---|---|")
    for e in entries:
        polls = rate_forks(e, "polls")
        o.append("| %s | %d | %s | %s | %s | %s | %s | %s |" % (
            params(e), forks(e), mmm(mpps(rate_forks(e, "packets")), "%.2f"),
            mmm(mpps(rate_forks(e, "packetsAtoB")), "%.2f"), mmm(mpps(rate_forks(e, "packetsBtoA")), "%.2f"),
            mmm([x * 100 for x in share(rate_forks(e, "emptyPolls"), polls)], "%.0f %%"),
            mmm(mpps(rate_forks(e, "rxDropped")), "%.2f"), alloc_cell(e)))
    o.append("")


def dpdk_section(dpdk, o):
    o.append("## Side by side with DPDK, per CPU-second (`jmh/dpdk-compare`)")
    o.append("")
    if not (dpdk and dpdk.get("modes")):
        o.append("Not run or failed (see `jmh/target/results/dpdk-compare.log`).")
        o.append("")
        return
    rounds = max(len(e["sides"].get("wirespeed", {}).get("cpuMpps", [])) for e in dpdk["modes"].values())
    o.append("Two null ports forwarded into each other by one thread in bursts of 32 (port 0 → 1, then 1 → 0), "
             "DPDK %s (Debian) against wirespeed's `NullForwardBenchmark` (one JMH fork per round, so the spread over "
             "rounds is the spread over JIT forks). Every side's forwarding thread runs on CPU 1; all sides of a mode "
             "take turns within each round (the order reversed every other round), %d round(s) in one run. "
             "Each side is measured by **its forwarding thread's CPU time** over its window: testpmd's lcore from "
             "`/proc/PID/task/TID/schedstat`, `dpdk-anchor` by `CLOCK_THREAD_CPUTIME_ID`, wirespeed by "
             "`ThreadMXBean.getCurrentThreadCpuTime` (the same clock). Mpps per CPU-second is the robust figure on a "
             "shared machine: a side that gets less of the CPU forwards less per wall-second but not per CPU-second. "
             "The headline ratios are per CPU-second; wall rates and the CPU share each side got are shown, and a "
             "side's rounds with less than 95 %% of a CPU are counted."
             % (dpdk.get("dpdkVersion") or "22.11", rounds))
    o.append("")
    o.append("The DPDK sides: " + "; ".join("**%s** = %s" % (n, d) for n, d in DPDK_SIDES) + ".")
    o.append("")
    o.append("What each side does per packet (wirespeed's own extra work: it counts bytes on tx, which net_null "
             "22.11 does not):")
    o.append("")
    o.append("| | testpmd | dpdk-anchor | wirespeed |")
    o.append("|---|---|---|---|")
    for row in WORK_TABLE:
        o.append("| %s |" % " | ".join(row))
    o.append("")
    o.append("Ratios, wirespeed Mpps per CPU-second / DPDK Mpps per CPU-second, **min / median / max over rounds** "
             "(per round, each side's figure from that round):")
    o.append("")
    names = [n for n, _ in DPDK_SIDES]
    o.append("| mode | " + " | ".join("/ " + n for n in names) + " | / fastest DPDK | goal (median) |")
    o.append("|---|" + "---|" * (len(names) + 2))
    for mode, e in dpdk["modes"].items():
        r = e.get("ratios", {})
        goal = DPDK_GOALS.get(mode)
        verdict = "–"
        if goal and r.get(goal[0]):
            med = statistics.median(r[goal[0]])
            verdict = "%s: **%s** (%.2f×)" % (goal[2], "met" if med >= goal[1] else "missed", med)
        cells = []
        for n in names + ["fastest"]:
            v = r.get(n)
            cell = mmm(v) if v else "–"
            if goal and n == goal[0] and v:
                cell = "**%s**" % cell
            cells.append(cell)
        fastest = e.get("fastestName")
        cells[-1] += " (%s)" % fastest if fastest else ""
        o.append("| %s | %s | %s |" % (mode, " | ".join(cells), verdict))
    o.append("")
    o.append("Per side and mode, min / median / max over rounds:")
    o.append("")
    o.append("| mode | side | Mpps per CPU-second | Mpps per wall-second | CPU share | rounds < 95 % of a CPU |")
    o.append("|---|---|---|---|---|---|")
    for mode, e in dpdk["modes"].items():
        for n in names + ["wirespeed"]:
            sd = e["sides"].get(n)
            if not sd:
                continue
            low = sum(1 for x in sd["cpuShare"] if x < dpdk.get("cpuShareFlag", 0.95))
            o.append("| %s | %s | %s | %s | %s | %s |" % (
                mode, "**wirespeed**" if n == "wirespeed" else n, mmm(sd["cpuMpps"], "%.1f"), mmm(sd["wallMpps"], "%.1f"),
                mmm([100 * x for x in sd["cpuShare"]], "%.0f %%"), "%d of %d" % (low, len(sd["cpuShare"]))))
    o.append("")
    o.append("Wall rates on a shared machine say how much CPU a side got as much as how fast it is; a round a side "
             "spent with a small CPU share also runs with colder caches, so even its per-CPU-second figure is "
             "lower than on an idle machine (for every side alike, since they alternate).")
    o.append("")


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: results-report.py RESULTS_DIR OUTPUT.md [--quick]")
    rdir, out_path = sys.argv[1], sys.argv[2]
    quick = "--quick" in sys.argv[3:]
    machine = load(os.path.join(rdir, "machine.json")) or {}
    datapath = (load(os.path.join(rdir, "datapath.json")) or []) + (load(os.path.join(rdir, "nullcopy.json")) or [])
    wakeup = load(os.path.join(rdir, "wakeup.json")) or []
    idle = load(os.path.join(rdir, "idle.json")) or []
    dpdk = load(os.path.join(rdir, "dpdk-compare.json"))
    emulated_vf = load(os.path.join(rdir, "emulated-vf.json")) or []
    emulator_capacity = load(os.path.join(rdir, "emulator-capacity.json")) or []
    emulated_l2fwd = load(os.path.join(rdir, "emulated-l2fwd.json")) or []

    o = []
    o.append("# wirespeed performance results")
    o.append("")
    o.append("Generated by `jmh/run-suite` (do not edit by hand; run it again). Raw JMH JSON is in "
             "`jmh/target/results/`. Every figure is computed per JMH fork first, then shown as "
             "**min / median / max over forks**.")
    if quick:
        o.append("")
        o.append("**This is a `--quick` run: one fork, short iterations. Use it to check the tooling, not the numbers.**")
    o.append("")
    o.append("## Machine")
    o.append("")
    la_b = machine.get("loadBefore")
    la_a = machine.get("loadAfter")
    fmt_la = lambda la: " / ".join("%.2f" % x for x in la) if la else "?"
    o.append("| | |")
    o.append("|---|---|")
    o.append("| date | %s |" % machine.get("date", "?"))
    o.append("| CPU | %s, %s CPUs, %s thread(s) per core%s |" % (
        machine.get("cpuModel", "?"), machine.get("cpus", "?"), machine.get("threadsPerCore", "?"),
        (", hypervisor " + machine["hypervisor"]) if machine.get("hypervisor") else ""))
    o.append("| memory | %s GiB |" % machine.get("memGiB", "?"))
    o.append("| kernel | %s |" % machine.get("kernel", "?"))
    o.append("| JDK | %s; %s |" % (machine.get("jdk", "?"), machine.get("jvm", "?")))
    o.append("| load average (1/5/15 min) | before %s, after %s |" % (fmt_la(la_b), fmt_la(la_a)))
    o.append("")
    if la_b and la_b[0] > 1.0:
        o.append("> **Noise:** the machine was shared with other work during this run (a 1-minute load average of "
                 "%.1f on %s CPUs before it started). Throughput numbers are lower and latency tails longer than on "
                 "an idle machine; the per-CPU-second figures and the DPDK ratios taken from them, measured "
                 "alternately in one run, are the robust ones."
                 % (la_b[0], machine.get("cpus", "?")))
        o.append("")

    # ------------------------------------------------------------ data path
    o.append("## Data path (JMH, `-prof gc`)")
    o.append("")
    if datapath:
        o.append("One operation is one packet (null forwarding: received on one port and sent on the other) or one "
                 "buffer (pool: allocated and freed in bursts of 32).")
        o.append("")
        datapath_table(datapath, o)
        o.append("")
        bad = [e for e in datapath if any(a > 1.0 for a in per_fork_mean(secondary(e, "gc.alloc.rate.norm")))]
        o.append("Allocation: %s" % ("**%d data-path benchmark(s) allocate more than 1 B/op** (goal: 0): %s" % (
            len(bad), ", ".join(short(e["benchmark"]) + " " + params(e) for e in bad)) if bad else
            "every data-path benchmark allocates ≈0 B/op (goal met; the fractions of a byte are JMH's own "
            "per-iteration bookkeeping spread over millions of operations)."))
    else:
        o.append("Not run.")
    o.append("")

    # ------------------------------------------------------------ emulator
    emulated_vf_section(emulated_vf, o)
    emulator_capacity_section(emulator_capacity, o)
    emulated_l2fwd_section(emulated_l2fwd, o)
    o.append("Emulator sections measured: %s." % ", ".join(
        "%s %s" % (name, ran_at(os.path.join(rdir, name + ".json")))
        for name in ("emulated-vf", "emulator-capacity", "emulated-l2fwd") if os.path.exists(os.path.join(rdir, name + ".json"))))
    o.append("")

    # ------------------------------------------------------------ DPDK
    dpdk_section(dpdk, o)

    # ------------------------------------------------------------ wake-up
    o.append("## Wake-up latency (`WakeUpLatencyBenchmark`)")
    o.append("")
    if wakeup:
        o.append("From an event on the sending thread to its handling on another thread, one event at a time, the "
                 "receiver asleep (or, for busy-spin, polling) before each: `eventfd-floor` = raw eventfd write → "
                 "`epoll_wait` return; `interrupt` = a packet sent on a `ring:` port → the receiving lcore, asleep "
                 "in the interrupt idle strategy (default config), wakes, receives it and records it; `busy-spin` = "
                 "the same lcore busy-polling. Timestamps: `System.nanoTime()` in the packet's user data. "
                 "`emu-interrupt` / `emu-busy-spin` = a frame stamped with `System.nanoTime()` put on the wire of an "
                 "idle emulated 82599 VF (into its inbound wire queue, where a link partner's frame would land) → "
                 "the emulator's device thread DMAs it into the rx ring and raises the queue's interrupt → an lcore "
                 "polling the port through the real VF driver (interrupt idle strategy with rx interrupts, or "
                 "busy-spin) receives it and records now minus the stamp; `emu-interrupt-napping` = the same, each "
                 "frame sent only once the device thread has gone from spinning to its 20 µs naps. The emulated "
                 "rows include the device thread's reaction time (see NOTES.md). "
                 "HdrHistogram over all measurement iterations of a fork; µs, min / median / max over forks.")
        o.append("")
        o.append("| path | forks | samples per fork | p50 µs | p99 µs | p99.9 µs | max µs |")
        o.append("|---|---|---|---|---|---|---|")
        med = {}
        for e in wakeup:
            path = e["params"]["path"]
            vals = {k: per_fork_sum(secondary(e, k)) for k in ("p50Micros", "p99Micros", "p999Micros", "maxMicros", "samples")}
            med[path] = {k: statistics.median(v) for k, v in vals.items() if v}
            o.append("| %s | %d | %s | %s | %s | %s | %s |" % (
                path, forks(e), mmm(vals["samples"], "%.0f"), mmm(vals["p50Micros"], "%.1f"),
                mmm(vals["p99Micros"], "%.1f"), mmm(vals["p999Micros"], "%.1f"), mmm(vals["maxMicros"], "%.0f")))
        o.append("")
        f, i = med.get("eventfd-floor"), med.get("interrupt")
        if f and i and f.get("p50Micros") and f.get("p99Micros"):
            r50 = i["p50Micros"] / f["p50Micros"]
            r99 = i["p99Micros"] / f["p99Micros"]
            o.append("Interrupt path against the floor (medians over forks): p50 **%.2f×** (goal ≤ 2×: %s), "
                     "p99 **%.2f×** (goal ≤ 5×: %s)." % (r50, "met" if r50 <= 2 else "**missed**",
                                                         r99, "met" if r99 <= 5 else "**missed**"))
            o.append("")
        emu = [(p, med[p]) for p in ("emu-interrupt", "emu-interrupt-napping") if med.get(p)]
        if f and emu and f.get("p50Micros") and f.get("p99Micros"):
            o.append("Emulated port against the floor (medians over forks; for information, the goal above is about "
                     "wirespeed's own path, and these rows add the emulator's device thread): " + "; ".join(
                         "%s p50 %.1f×, p99 %.1f×" % (p, m["p50Micros"] / f["p50Micros"], m["p99Micros"] / f["p99Micros"])
                         for p, m in emu) + ".")
            o.append("")
        o.append("Allocation per event on the threads under test (HotSpot per-thread counters; `-prof gc` divides "
                 "the whole JVM's allocation by only thousands of events, so its B/op mostly shows the harness):")
        o.append("")
        o.append("| path | sender thread B/event | consumer thread B/event | `-prof gc` B/op (whole JVM) |")
        o.append("|---|---|---|---|")
        for e in wakeup:
            o.append("| %s | %s | %s | %s |" % (
                e["params"]["path"], mmm(per_fork_sum(secondary(e, "senderBytesPerEvent")), "%.2f"),
                mmm(per_fork_sum(secondary(e, "consumerBytesPerEvent")), "%.2f"),
                mmm(per_fork_mean(secondary(e, "gc.alloc.rate.norm")), "%.0f")))
        o.append("")
        woke = [e for e in wakeup if e["params"]["path"] == "interrupt"]
        if woke and statistics.median(per_fork_sum(secondary(woke[0], "consumerBytesPerEvent")) or [0]) > 64:
            o.append("The interrupt path's consumer allocates on every wake-up (not per packet): see "
                     "[NOTES.md](NOTES.md#allocation-on-the-wake-up-path) for the cause found when this suite was "
                     "written.")
            o.append("")
    else:
        o.append("Not run.")
    o.append("")

    # ------------------------------------------------------------ idle
    o.append("## Idle cost (`IdleCostBenchmark`)")
    o.append("")
    if idle:
        o.append("CPU time of an lcore polling an idle `ring:` port (rx interrupts on, nothing sent), per second of "
                 "wall time, from the thread's CPU clock (ThreadMXBean) over all measurement iterations of a fork. "
                 "`backoff` is Agrona's `BackoffIdleStrategy(10, 5, 1 µs, 1 ms)` as in l2fwd's `--idle backoff`.")
        o.append("")
        o.append("| idle strategy | forks | % of one core | empty polls / s | epoll sleeps / s |")
        o.append("|---|---|---|---|---|")
        for e in idle:
            cpu = per_fork_sum(secondary(e, "cpuPercent"))
            polls = per_fork_sum(secondary(e, "pollsPerSec"))
            sleeps = per_fork_sum(secondary(e, "sleepsPerSec"))
            o.append("| %s | %d | %s | %s | %s |" % (e["params"]["idle"], forks(e), mmm(cpu, "%.3f"),
                                                   mmm(polls, "%.0f"), mmm(sleeps, "%.1f")))
        o.append("")
        intr = [e for e in idle if e["params"]["idle"] == "interrupt"]
        if intr:
            cpu = statistics.median(per_fork_sum(secondary(intr[0], "cpuPercent")))
            o.append("Interrupt mode: %.3f %% of a core (goal ≤ 1 %%: %s). A busy-spinning lcore shows less than "
                     "100 %% only when the machine's other work takes its CPU away." % (cpu, "met" if cpu <= 1 else "**missed**"))
    else:
        o.append("Not run.")
    o.append("")

    # ------------------------------------------------------------ not here
    o.append("## Not in this report")
    o.append("")
    o.append("- The driver against a real 82599 (nobody here has one): the emulated-VF `stepped` row is the driver's CPU "
             "cost with descriptors and buffers in the core's caches, which a NIC's DMA does not leave there.")
    o.append("- Wake-up latency from a frame arriving at a *real* VF (MSI-X through `uio_msi`): needs the hardware.")
    o.append("")

    # ------------------------------------------------------------ anchors
    o.append("## Anchors from public sources, for context")
    o.append("")
    o.append("cycles/packet = clock (GHz) × 1000 / Mpps.")
    o.append("")
    o.append("- 10GbE line rate with 64-byte frames: 14.88 Mpps per port and direction (67.2 ns/packet); two ports "
             "both directions 29.76 Mpps. One core forwarding 2×10G bidirectionally at 3.3 GHz has ≈111 cycles/packet.")
    o.append("- ixy (82599, Xeon E3-1230 v2 @ 3.3 GHz, one core, bidirectional forwarding, batch 32): C 27.4 Mpps "
             "(≈94–98 cycles/packet), Rust 27.6 Mpps (≈100), ixy.java 12.3 Mpps (≈250–270; allocates ≈20 B per packet).")
    o.append("- Latency at 1 Mpps forwarding (p50 / p99.99): ixy C 3.8 / 5.6 µs; Java with ZGC 4 / 17 µs; Java with G1 "
             "4 / 374 µs.")
    o.append("- DPDK 17.11 l2fwd with the ixgbe vector PMD: ≈62 cycles/packet (rx ≈35, tx ≈20, app ≈6).")
    o.append("- DPDK polling ≈2 µs average latency at 100 pps; interrupt-driven XDP ≈82 µs. DPDK's l3fwd-power sleeps "
             "after 300 empty polls with a 10 ms epoll timeout.")
    o.append("- Agrona `BackoffIdleStrategy` defaults: 10 spins, 5 yields, park 1 µs doubling to 1 ms.")
    o.append("")
    o.append("DPDK 22.11 `dpdk-testpmd` with two `net_null` ports, measured on this kind of machine (AMD EPYC, 2.6 GHz) "
             "on 2026-11-24 on a quiet machine, wall Mpps (another day; no ratio above uses these):")
    o.append("")
    o.append("| forward mode | Mpps | ≈ns/packet |")
    o.append("|---|---|---|")
    o.append("| io (no data touched) | 68.4, 68.5, 68.7 | 14.6 |")
    o.append("| io, net_null `copy=1,size=64` | 52.2, 49.6 | 19.7 |")
    o.append("| mac (rewrite both MACs) | 43.5 | 23.0 |")
    o.append("| macswap | 32.5, 34.7 | 29.8 |")
    o.append("")

    os.makedirs(os.path.dirname(os.path.abspath(out_path)), exist_ok=True)
    with open(out_path, "w") as f:
        f.write("\n".join(o))


if __name__ == "__main__":
    main()
