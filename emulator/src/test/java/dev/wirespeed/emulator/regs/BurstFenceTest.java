/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.regs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** A register write that stops receive returns only once the rx burst in flight has ended. */
@Timeout(10)
class BurstFenceTest {

    @Test
    void withoutABurstTheWriterDoesNotWait() {
        BurstFence fence = new BurstFence();
        fence.awaitQuiet();
        fence.begin();
        fence.end();
        long start = System.nanoTime();
        fence.awaitQuiet();
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.MILLISECONDS.toNanos(500));
    }

    @Test
    void theWriterWaitsForTheBurstInFlight() throws Exception {
        BurstFence fence = new BurstFence();
        CountDownLatch begun = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        AtomicBoolean ended = new AtomicBoolean();
        Thread engine = Thread.ofPlatform().start(() -> {
            fence.begin();
            begun.countDown();
            try {
                finish.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ended.set(true);
            fence.end();
        });
        begun.await();
        CountDownLatch writing = new CountDownLatch(1);
        // The writer notes whether it returned after the burst ended, and how long it waited: not "is it
        // still waiting after 100 ms?", which a test thread descheduled past the fence's 1 s patience would
        // get wrong (the writer then rightly gives up).
        CompletableFuture<long[]> writer = CompletableFuture.supplyAsync(() -> {
            writing.countDown();
            long start = System.nanoTime();
            fence.awaitQuiet();
            long waited = System.nanoTime() - start;
            return new long[] {ended.get() ? 1 : 0, waited};
        });
        writing.await();
        Thread.sleep(100); // the writer is now (normally) in its wait
        finish.countDown();
        long[] r = writer.get(5, TimeUnit.SECONDS);
        engine.join();
        assertThat(r[0] == 1 || r[1] >= TimeUnit.SECONDS.toNanos(1))
                .as("the writer returned after %d ns, while the burst was still writing and before the fence's 1 s patience", r[1])
                .isTrue();
    }

    @Test
    void theEngineStoppingItsOwnQueueMidBurstDoesNotWaitForItself() {
        BurstFence fence = new BurstFence();
        fence.begin();
        long start = System.nanoTime();
        fence.awaitQuiet(); // e.g. a DMA fault resets the VF from inside the burst
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.MILLISECONDS.toNanos(500));
        fence.end();
    }
}
