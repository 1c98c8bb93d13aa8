/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.device.vf;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * Lets the control thread take a queue away from the thread polling it (to stop it, or to rebuild it
 * after a PF reset) without a lock on the burst path. A burst enters with one uncontended
 * compare-and-set and leaves with a release store; when the gate is shut the burst returns at once,
 * having done nothing. The control thread shuts the gate between two bursts, never in the middle of one.
 */
public final class QueueGate {
    private static final int OPEN = 0;
    private static final int BUSY = 1;
    private static final int SHUT = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(QueueGate.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused") // through STATE
    private volatile int state = SHUT;

    /** Burst path: true if the queue may be used now; the caller must then {@link #leave()}. */
    public boolean enter() {
        return STATE.compareAndSet(this, OPEN, BUSY);
    }

    public void leave() {
        STATE.setRelease(this, OPEN);
    }

    public void open() {
        STATE.setVolatile(this, OPEN);
    }

    public boolean isOpen() {
        return (int) STATE.getVolatile(this) != SHUT;
    }

    /** Control path: waits for a running burst to finish, then keeps bursts out until {@link #open()}. */
    public void shut(String queue) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!STATE.compareAndSet(this, OPEN, SHUT)) {
            if ((int) STATE.getVolatile(this) == SHUT) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException(queue + ": a burst has been running for more than 5 s; "
                        + "is the polling thread stuck inside rx/tx?");
            }
            LockSupport.parkNanos(1_000);
        }
    }
}
