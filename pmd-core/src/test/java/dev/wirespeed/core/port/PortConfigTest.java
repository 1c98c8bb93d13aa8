/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.port;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PortConfigTest {
    @Test
    void defaultsAreUsable() {
        PortConfig c = PortConfig.builder().build();
        assertThat(c.rxQueues()).isEqualTo(1);
        assertThat(c.txQueues()).isEqualTo(1);
        assertThat(c.rxRingSize()).isEqualTo(1024);
        assertThat(c.mtu()).isEqualTo(1500);
        assertThat(c.portId()).isEqualTo(-1);
        assertThat(c.offloads()).isEmpty();
        assertThat(c.toBuilder().offload(Offload.RX_CHECKSUM).build().has(Offload.RX_CHECKSUM)).isTrue();
    }

    @Test
    void outOfRangeValuesAreRefusedWithTheAllowedRange() {
        assertThatThrownBy(() -> PortConfig.builder().rxQueues(0)).hasMessage("rx queue count must be 1..64, got 0");
        assertThatThrownBy(() -> PortConfig.builder().txQueues(65)).hasMessage("tx queue count must be 1..64, got 65");
        assertThatThrownBy(() -> PortConfig.builder().rxRingSize(0)).hasMessageContaining("rx ring size must be");
        assertThatThrownBy(() -> PortConfig.builder().mtu(20)).hasMessage("MTU must be 68..65517 bytes, got 20");
        assertThatThrownBy(() -> PortConfig.builder().build().requireRxPools("null:"))
                .hasMessage("null:: PortConfig has no rx pool; set one with PortConfig.builder().rxPool(pool)");
    }

    @Test
    void anRssKeyIsCopiedInAndOutAndKeptByToBuilder() {
        byte[] key = {1, 2, 3, 4};
        PortConfig c = PortConfig.builder().rssKey(key).build();
        key[0] = 9;
        assertThat(c.rssKey()).as("copied in").containsExactly(1, 2, 3, 4);
        c.rssKey()[1] = 9;
        assertThat(c.rssKey()).as("copied out").containsExactly(1, 2, 3, 4);
        assertThat(c.toBuilder().build().rssKey()).containsExactly(1, 2, 3, 4);
        assertThat(c.toString()).contains("rss key=01020304");
        assertThat(PortConfig.builder().build().rssKey()).as("the driver's choice").isNull();
        assertThatThrownBy(() -> PortConfig.builder().rssKey(new byte[0])).hasMessageContaining("must not be empty");
    }
}
