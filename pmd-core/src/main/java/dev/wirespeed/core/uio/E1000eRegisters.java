/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.uio;

/**
 * The few Intel 82574L ({@code e1000e}) BAR0 registers and bits the guest self-test uses to make the
 * device raise an MSI-X vector on demand. From the 82574 datasheet; QEMU's {@code e1000e} model follows it.
 */
public final class E1000eRegisters {
    public static final int STATUS = 0x0008;
    /** Interrupt cause read; writing ones clears those causes. */
    public static final int ICR = 0x00C0;
    /** Interrupt cause set: raises the written causes as if the device had seen the events. */
    public static final int ICS = 0x00C8;
    /** Interrupt mask set: unmasks the written causes (a cause already pending then interrupts at once). */
    public static final int IMS = 0x00D0;
    /** Interrupt mask clear: masks the written causes. */
    public static final int IMC = 0x00D8;
    /** Routes the queue and "other" causes to MSI-X vectors. */
    public static final int IVAR = 0x00E4;

    /** Cause "receive queue 0", routed to vector 0 by {@link #IVAR_ROUTING}. */
    public static final int CAUSE_RXQ0 = 1 << 20;
    /** RxQ0→0, RxQ1→1, TxQ0→2, TxQ1→3, other→4, each nibble with its valid bit (8). */
    public static final int IVAR_ROUTING = 0x000cba98;
    /** The five queue/other causes plus link status change. */
    public static final int IMS_ALL = 0x01f00004;

    private E1000eRegisters() {
    }
}
