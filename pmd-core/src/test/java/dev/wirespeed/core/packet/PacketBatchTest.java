/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.packet;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PacketBatchTest {
    @Property
    void removeFirstKeepsTheRestInOrder(@ForAll @IntRange(min = 0, max = 32) int size, @ForAll @IntRange(min = 0, max = 32) int taken) {
        PacketBatch b = new PacketBatch(32);
        for (int i = 0; i < size; i++) {
            b.add(100 + i);
        }
        int n = Math.min(taken, size);
        b.removeFirst(n);
        assertThat(b.size()).isEqualTo(size - n);
        for (int i = 0; i < b.size(); i++) {
            assertThat(b.get(i)).isEqualTo(100 + n + i);
        }
    }

    @Property
    void neverHoldsMoreThanItsCapacity(@ForAll @IntRange(min = 1, max = 64) int capacity) {
        PacketBatch b = new PacketBatch(capacity);
        for (int i = 0; i < capacity; i++) {
            assertThat(b.add(i)).isTrue();
        }
        assertThat(b.add(1)).isFalse();
        assertThat(b.remaining()).isZero();
    }

    @net.jqwik.api.Example
    void outOfRangeAccessFails() {
        PacketBatch b = new PacketBatch(4);
        b.add(1);
        assertThatThrownBy(() -> b.get(1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> b.removeFirst(2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> new PacketBatch(0)).hasMessageContaining("1..65536");
    }
}
