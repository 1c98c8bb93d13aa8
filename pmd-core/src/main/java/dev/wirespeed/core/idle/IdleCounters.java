/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.idle;

/**
 * A snapshot of what an {@link InterruptIdleStrategy} did since it was created. Every sleep ends in
 * exactly one of the three wake-up kinds, so {@code sleeps == wakeUpsByEvent + wakeUpsByTimeout +
 * wakeUpsByRequest}.
 *
 * @param sleeps           times the thread blocked in {@code epoll_wait}
 * @param wakeUpsByEvent   sleeps ended by a wake source's eventfd (an interrupt)
 * @param wakeUpsByTimeout sleeps ended by the epoll timeout with nothing signalled; in a healthy system
 *                         with traffic this means an interrupt was lost or the link was quiet
 * @param wakeUpsByRequest sleeps ended only by {@link InterruptIdleStrategy#wakeUp()}
 * @param nanosAsleep      total wall time spent inside {@code epoll_wait}
 * @param skippedSleeps    times the strategy armed the interrupts, found work already waiting, and
 *                         returned without sleeping (each one is a wake-up that would otherwise be lost)
 */
public record IdleCounters(long sleeps, long wakeUpsByEvent, long wakeUpsByTimeout, long wakeUpsByRequest,
                           long nanosAsleep, long skippedSleeps) {

    @Override
    public String toString() {
        return "sleeps=" + sleeps + " (event " + wakeUpsByEvent + ", timeout " + wakeUpsByTimeout + ", request "
                + wakeUpsByRequest + "), asleep=" + nanosAsleep / 1_000_000 + " ms, skippedSleeps=" + skippedSleeps;
    }
}
