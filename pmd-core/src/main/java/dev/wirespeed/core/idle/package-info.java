/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
/**
 * How a poll loop waits when there is nothing to poll: {@link dev.wirespeed.core.idle.InterruptIdleStrategy}
 * spins, then sleeps on rx queue interrupts ({@link dev.wirespeed.core.idle.WakeSource}) without losing a
 * packet that races the arming of the interrupt.
 */
package dev.wirespeed.core.idle;
