/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.packet;

import dev.wirespeed.core.testing.SeededCases;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PacketBatchTest {
    @Test
    void removeFirstKeepsTheRestInOrder() {
        SeededCases.forAll(g -> removeFirstKeepsTheRestInOrder(g.between(0, 32), g.between(0, 32)));
    }

    private static void removeFirstKeepsTheRestInOrder(int size, int taken) {
        PacketBatch b = new PacketBatch(32);
        for (int i = 0; i < size; i++) {
            b.add(100 + i);
        }
        int n = Math.min(taken, size);
        b.removeFirst(n);
        assertThat(b.size()).as("size %d, taken %d", size, taken).isEqualTo(size - n);
        for (int i = 0; i < b.size(); i++) {
            assertThat(b.get(i)).isEqualTo(100 + n + i);
        }
    }

    @Test
    void neverHoldsMoreThanItsCapacity() {
        // Every capacity of the range: 64 cases are fewer than a sample would need to cover them.
        for (int capacity = 1; capacity <= 64; capacity++) {
            neverHoldsMoreThanItsCapacity(capacity);
        }
    }

    private static void neverHoldsMoreThanItsCapacity(int capacity) {
        PacketBatch b = new PacketBatch(capacity);
        for (int i = 0; i < capacity; i++) {
            assertThat(b.add(i)).isTrue();
        }
        assertThat(b.add(1)).as("capacity %d", capacity).isFalse();
        assertThat(b.remaining()).isZero();
    }

    @Test
    void outOfRangeAccessFails() {
        PacketBatch b = new PacketBatch(4);
        b.add(1);
        assertThatThrownBy(() -> b.get(1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> b.removeFirst(2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> new PacketBatch(0)).hasMessageContaining("1..65536");
    }
}
