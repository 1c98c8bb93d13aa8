/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

/**
 * Which MSI-X vector serves what (facts §5.1). Queue causes can only reach vectors 0 and 1 (their IVAR
 * field is one bit wide), so rx queues spread over up to two vectors, and the mailbox ("misc") takes the
 * next one, as in Linux. Without rx interrupts the mailbox uses vector 0 alone.
 */
final class VectorPlan {
    private final int rxVectors;

    VectorPlan(boolean rxInterrupts, int rxQueues) {
        this.rxVectors = rxInterrupts ? Math.min(2, rxQueues) : 0;
    }

    int rxVector(int queue) {
        return queue % rxVectors;
    }

    int misc() {
        return rxVectors;
    }

    int used() {
        return rxVectors + 1;
    }

    int usedMask() {
        return (1 << used()) - 1;
    }
}
