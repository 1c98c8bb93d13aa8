/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.regs;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

/**
 * Makes "queue off" mean that the device no longer touches its ring. The DMA engine works in bursts and
 * reads a queue's registers (ENABLE among them) once per burst; a register write that stops a queue
 * (RXDCTL/TXDCTL.ENABLE cleared, a VF reset) returns only after the burst in flight, if any, has ended,
 * as the chip finishes the DMA it has started before the queue reads back as off. A driver that frees the
 * ring's buffers once ENABLE reads 0 can then not have them written (rx) or read and sent (tx). One
 * fence per direction per VF.
 *
 * <p>Dekker-style: the engine marks a burst (a volatile store) before it reads ENABLE; the writer clears
 * ENABLE before it reads the mark. Either the engine sees ENABLE off, or the writer sees the burst and
 * waits for it. Costs the engine a fenced add and a release store per burst, nothing per frame.
 *
 * <p>A writer may wait here while holding a lock (a VF reset holds the PF's), so between {@link #begin}
 * and {@link #end} the engine must not take any lock a writer could hold while it waits.
 */
public final class BurstFence {
    private static final System.Logger LOG = System.getLogger(BurstFence.class.getName());
    private static final VarHandle BURSTS;
    /** How long a writer waits for a burst before giving up (a device thread stopped in a debugger, say). */
    private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(1);

    static {
        try {
            BURSTS = MethodHandles.lookup().findVarHandle(BurstFence.class, "bursts", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") private volatile long bursts; // odd while a burst runs
    private volatile Thread engine; // the thread running the current burst

    /** Engine: a burst begins; call before reading any queue's registers for it. */
    public void begin() {
        engine = Thread.currentThread();
        BURSTS.getAndAdd(this, 1L); // a full fence: the mark is visible before ENABLE is read
    }

    /** Engine: the burst has written everything it will write. */
    public void end() {
        BURSTS.setRelease(this, (long) BURSTS.getOpaque(this) + 1);
    }

    /**
     * Writer, after it stopped receive: waits until the burst in flight (if any) has ended. Returns at
     * once when called from the engine's own thread (a fault it raised mid-burst resets the VF).
     */
    void awaitQuiet() {
        long seen = (long) BURSTS.getVolatile(this);
        if ((seen & 1) == 0 || engine == Thread.currentThread()) {
            return;
        }
        long deadline = System.nanoTime() + PATIENCE_NANOS;
        for (int spins = 0; (long) BURSTS.getVolatile(this) == seen; spins++) {
            if (System.nanoTime() >= deadline) {
                LOG.log(System.Logger.Level.WARNING, "gave up waiting " + PATIENCE_NANOS / 1_000_000 + " ms for the device thread "
                        + engine + " to end its burst (stopped in a debugger, or starved of CPU?); the queue is off, but the burst"
                        + " in flight may still touch its ring");
                return;
            }
            if (spins < 1000) {
                Thread.onSpinWait();
            } else {
                Thread.yield(); // with more busy threads than CPUs, the device thread may need this one's
            }
        }
    }
}
