/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.regs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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
        Thread engine = Thread.ofPlatform().start(() -> {
            fence.begin();
            begun.countDown();
            try {
                finish.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            fence.end();
        });
        begun.await();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(fence::awaitQuiet);
        Thread.sleep(100);
        assertThat(writer).as("returned while the burst was still writing").isNotDone();
        finish.countDown();
        writer.get(5, TimeUnit.SECONDS);
        engine.join();
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
