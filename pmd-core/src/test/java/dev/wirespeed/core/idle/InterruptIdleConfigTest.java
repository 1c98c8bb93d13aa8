/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.idle;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InterruptIdleConfigTest {

    @Test
    void defaultsFollowL3fwdPower() {
        InterruptIdleConfig c = InterruptIdleConfig.defaults();
        assertThat(c.epollTimeoutMillis()).isEqualTo(100);
        assertThat(c.spinsForDuration()).isTrue();
        assertThat(c.spinNanos()).isEqualTo(100_000);
        assertThat(c.spinCount()).isZero();
        assertThat(c.yieldCount()).isEqualTo(10);
    }

    @Test
    void spinCountAndSpinDurationReplaceEachOtherInTheBuilder() {
        InterruptIdleConfig byCount = InterruptIdleConfig.builder().spinDuration(Duration.ofMillis(1)).spinCount(500).build();
        assertThat(byCount.spinCount()).isEqualTo(500);
        assertThat(byCount.spinNanos()).isZero();
        assertThat(byCount.spinsForDuration()).isFalse();

        InterruptIdleConfig byTime = InterruptIdleConfig.builder().spinCount(500).spinDuration(Duration.ofMillis(1)).build();
        assertThat(byTime.spinNanos()).isEqualTo(1_000_000);
        assertThat(byTime.spinCount()).isZero();
    }

    @Test
    void longTimeoutsAreAllowed() {
        assertThat(InterruptIdleConfig.builder().epollTimeoutMillis(Integer.MAX_VALUE).build().epollTimeoutMillis())
                .isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void rejectsSettingsThatCannotWork() {
        assertThatThrownBy(() -> new InterruptIdleConfig(10, 1000, 0, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not both");
        assertThatThrownBy(() -> InterruptIdleConfig.builder().epollTimeoutMillis(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(">= 1 ms");
        assertThatThrownBy(() -> InterruptIdleConfig.builder().spinCount(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("spinCount must be >= 0");
        assertThatThrownBy(() -> InterruptIdleConfig.builder().yieldCount(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("yieldCount must be >= 0");
        assertThatThrownBy(() -> InterruptIdleConfig.builder().spinDuration(Duration.ofNanos(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be negative");
    }
}
