/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.port;

import dev.wirespeed.emulator.pf.MailboxFault;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code fault=} option: faults to inject at given times after the port opens.
 *
 * <pre>
 * fault=EVENT[+EVENT]...
 * EVENT = KIND[:ARG][@TIME][/DURATION]      TIME, DURATION = 0 | N(ns|us|ms|s), TIME defaults to 0
 * KIND  pf-reset       RSTI at TIME, RSTD after DURATION (default 100ms)
 *       link-down      physical link down at TIME; up again after DURATION if given
 *       disable        administrative disable at TIME; back to link= after DURATION if given
 *       mbx-ignore[:N] the next N (default 1) mailbox requests after TIME get no PFACK and no reply
 *       mbx-drop[:N]   … are acknowledged but get no reply
 *       mbx-malformed[:N] … get a reply with message id 0xFFFF
 *       wb-delay:N     rx write-back lags the data by N engine rounds; until DURATION if given
 *       rx-exhaust     rx sees no free descriptors; until DURATION if given
 *       tx-stall[:Q]   tx queue Q (default 0) stops; until DURATION if given
 *       remove         surprise removal (BAR reads all ones); until DURATION if given
 * </pre>
 * Example: {@code fault=pf-reset@2s/500ms+link-down@5s/1s+mbx-drop@0}.
 */
public final class FaultPlan {
    private static final Pattern EVENT = Pattern.compile("([a-z-]+)(?::(\\d{1,9}))?(?:@([0-9a-z]{1,20}))?(?:/([0-9a-z]{1,20}))?");
    private static final Pattern TIME = Pattern.compile("(\\d{1,12})(ns|us|ms|s)?");
    static final String GRAMMAR = "fault=KIND[:ARG][@TIME][/DURATION][+…], KIND one of pf-reset, link-down, disable, "
            + "mbx-ignore, mbx-drop, mbx-malformed, wb-delay:N, rx-exhaust, tx-stall[:Q], remove; TIME like 0, 500ms, 2s";

    /** One scheduled action: {@code at} nanoseconds after the port opens. */
    record Step(long at, String what, Consumer<FaultInjector> action) {
    }

    private final List<Step> steps;
    private final Set<String> kinds;

    private FaultPlan(List<Step> steps, Set<String> kinds) {
        this.steps = List.copyOf(steps);
        this.kinds = Set.copyOf(kinds);
    }

    public static final FaultPlan NONE = new FaultPlan(List.of(), Set.of());

    /** Parses the value of {@code fault=}; errors say which event is wrong and what is accepted. */
    public static FaultPlan parse(String value) {
        List<Step> steps = new ArrayList<>();
        Set<String> kinds = new HashSet<>();
        for (String event : value.split("\\+", -1)) {
            Matcher m = EVENT.matcher(event.trim().toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new IllegalArgumentException("fault event '" + event + "' is malformed; expected " + GRAMMAR);
            }
            String kind = m.group(1);
            Integer arg = m.group(2) == null ? null : Integer.valueOf(m.group(2));
            long at = m.group(3) == null ? 0 : nanos(event, m.group(3));
            Long duration = m.group(4) == null ? null : nanos(event, m.group(4));
            kinds.add(kind);
            switch (kind) {
                case "pf-reset" -> {
                    noArg(event, arg);
                    long d = duration == null ? TimeUnit.MILLISECONDS.toNanos(100) : duration;
                    steps.add(new Step(at, "PF reset begins", FaultInjector::beginPfReset));
                    steps.add(new Step(at + d, "PF reset completes", FaultInjector::completePfReset));
                }
                case "link-down" -> {
                    noArg(event, arg);
                    steps.add(new Step(at, "link down", f -> f.link(false)));
                    if (duration != null) {
                        steps.add(new Step(at + duration, "link up", f -> f.link(true)));
                    }
                }
                case "disable" -> {
                    noArg(event, arg);
                    steps.add(new Step(at, "VF disabled", f -> f.disable(true)));
                    if (duration != null) {
                        steps.add(new Step(at + duration, "VF enabled", f -> f.disable(false)));
                    }
                }
                case "mbx-ignore", "mbx-drop", "mbx-malformed" -> {
                    noDuration(event, duration);
                    MailboxFault fault = switch (kind) {
                        case "mbx-ignore" -> MailboxFault.IGNORE_REQUEST;
                        case "mbx-drop" -> MailboxFault.DROP_REPLY;
                        default -> MailboxFault.MALFORMED_REPLY;
                    };
                    int n = arg == null ? 1 : arg;
                    if (n < 1 || n > 1000) {
                        throw new IllegalArgumentException("fault event '" + event + "': count must be 1..1000");
                    }
                    steps.add(new Step(at, kind + " ×" + n, f -> {
                        for (int i = 0; i < n; i++) {
                            f.mailbox(fault);
                        }
                    }));
                }
                case "wb-delay" -> {
                    if (arg == null || arg < 1) {
                        throw new IllegalArgumentException("fault event '" + event + "': wb-delay needs the delay in engine rounds, e.g. wb-delay:8@1s");
                    }
                    int polls = arg;
                    steps.add(new Step(at, "write-back delayed " + polls, f -> f.delayRxWriteBack(polls)));
                    if (duration != null) {
                        steps.add(new Step(at + duration, "write-back prompt", f -> f.delayRxWriteBack(0)));
                    }
                }
                case "rx-exhaust" -> {
                    noArg(event, arg);
                    steps.add(new Step(at, "rx exhausted", f -> f.exhaustRx(true)));
                    if (duration != null) {
                        steps.add(new Step(at + duration, "rx refilled", f -> f.exhaustRx(false)));
                    }
                }
                case "tx-stall" -> {
                    int q = arg == null ? 0 : arg;
                    if (q > 7) {
                        throw new IllegalArgumentException("fault event '" + event + "': tx queue " + q + " out of range 0..7");
                    }
                    steps.add(new Step(at, "tx queue " + q + " stalled", f -> f.stallTx(q, true)));
                    if (duration != null) {
                        steps.add(new Step(at + duration, "tx queue " + q + " released", f -> f.stallTx(q, false)));
                    }
                }
                case "remove" -> {
                    noArg(event, arg);
                    steps.add(new Step(at, "device removed", f -> f.removed(true)));
                    if (duration != null) {
                        steps.add(new Step(at + duration, "device back", f -> f.removed(false)));
                    }
                }
                default -> throw new IllegalArgumentException("fault event '" + event + "': unknown fault '" + kind + "'; expected " + GRAMMAR);
            }
        }
        return new FaultPlan(steps, kinds);
    }

    private static void noArg(String event, Integer arg) {
        if (arg != null) {
            throw new IllegalArgumentException("fault event '" + event + "' takes no ':" + arg + "' argument; expected " + GRAMMAR);
        }
    }

    private static void noDuration(String event, Long duration) {
        if (duration != null) {
            throw new IllegalArgumentException("fault event '" + event + "': mailbox faults are one-shot and take no /DURATION");
        }
    }

    private static long nanos(String event, String text) {
        Matcher m = TIME.matcher(text);
        if (!m.matches() || (m.group(2) == null && !m.group(1).equals("0"))) {
            throw new IllegalArgumentException("fault event '" + event + "': time '" + text + "' needs a unit: ns, us, ms or s (e.g. 500ms)");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ns" -> n;
            case "us" -> TimeUnit.MICROSECONDS.toNanos(n);
            case "ms" -> TimeUnit.MILLISECONDS.toNanos(n);
            default -> TimeUnit.SECONDS.toNanos(n);
        };
    }

    /** Whether an event of this kind (e.g. {@code disable}) is in the plan. */
    boolean uses(String kind) {
        return kinds.contains(kind);
    }

    public boolean isEmpty() {
        return steps.isEmpty();
    }

    /** The scheduled actions in the order given, for tests and messages. */
    List<Step> steps() {
        return steps;
    }

    /**
     * Applies the steps at time 0, in the order given. Called before the device's threads start, so a port
     * opened with {@code @0} faults has them before its DMA engine runs a single pass.
     */
    void applyAtOpen(FaultInjector faults) {
        for (Step s : steps) {
            if (s.at() == 0) {
                s.action().accept(faults);
            }
        }
    }

    /** Schedules the steps after time 0 on {@code scheduler}, relative to now. */
    void scheduleLater(ScheduledExecutorService scheduler, FaultInjector faults) {
        for (Step s : steps) {
            if (s.at() != 0) {
                scheduler.schedule(() -> s.action().accept(faults), s.at(), TimeUnit.NANOSECONDS);
            }
        }
    }

    /** Whether any step comes after time 0 (and so needs a scheduler). */
    boolean hasLaterSteps() {
        return steps.stream().anyMatch(s -> s.at() != 0);
    }
}
