/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.packet;

import dev.wirespeed.core.dma.AnonymousDmaDomain;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EthernetTest {
    private static final byte[] FRAME = {
        0x02, 0, 0, 0, 0, 0x01,           // destination
        0x02, 0, 0, 0, 0, 0x02,           // source
        0x08, 0x00,                        // IPv4
        0x45, 0, 0, 20, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
    };

    private static int load(PacketPool pool, byte[] frame) {
        int h = pool.alloc();
        MemorySegment.copy(frame, 0, pool.memory(), JAVA_BYTE, pool.dataOffset(h), frame.length);
        pool.setLength(h, frame.length);
        return h;
    }

    private static byte[] bytes(PacketPool pool, int h) {
        byte[] out = new byte[pool.dataLength(h)];
        MemorySegment.copy(pool.memory(), JAVA_BYTE, pool.dataOffset(h), out, 0, out.length);
        return out;
    }

    @Test
    void readsRewritesAndSwapsAddresses() {
        try (AnonymousDmaDomain dma = new AnonymousDmaDomain("t"); PacketPool pool = PacketPool.create("p", dma, 4)) {
            int h = load(pool, FRAME);
            assertThat(new MacAddress(Ethernet.destination(pool, h))).hasToString("02:00:00:00:00:01");
            assertThat(new MacAddress(Ethernet.source(pool, h))).hasToString("02:00:00:00:00:02");
            assertThat(Ethernet.etherType(pool, h)).isEqualTo(Ethernet.TYPE_IPV4);
            Ethernet.swapAddresses(pool, h);
            assertThat(Ethernet.destination(pool, h)).isEqualTo(0x020000000002L);
            assertThat(Ethernet.source(pool, h)).isEqualTo(0x020000000001L);
            Ethernet.setAddresses(pool, h, 0xAABBCCDDEEFFL, 0x112233445566L);
            byte[] b = bytes(pool, h);
            assertThat(b).startsWith((byte) 0xAA, (byte) 0xBB, (byte) 0xCC, (byte) 0xDD, (byte) 0xEE, (byte) 0xFF,
                    (byte) 0x11, (byte) 0x22, (byte) 0x33, (byte) 0x44, (byte) 0x55, (byte) 0x66, (byte) 0x08, (byte) 0x00);
            pool.free(h);
        }
    }

    @Test
    void vlanInsertAndStripRoundTrip() {
        try (AnonymousDmaDomain dma = new AnonymousDmaDomain("t"); PacketPool pool = PacketPool.create("p", dma, 4)) {
            int h = load(pool, FRAME);
            assertThat(Ethernet.vlanTci(pool, h)).isEqualTo(-1);
            Ethernet.insertVlan(pool, h, 0x2064);
            assertThat(pool.dataLength(h)).isEqualTo(FRAME.length + 4);
            assertThat(Ethernet.etherType(pool, h)).isEqualTo(Ethernet.TYPE_VLAN);
            assertThat(Ethernet.vlanTci(pool, h)).isEqualTo(0x2064);
            assertThat(Ethernet.innerEtherType(pool, h)).isEqualTo(Ethernet.TYPE_IPV4);
            assertThat(Ethernet.destination(pool, h)).isEqualTo(0x020000000001L);
            assertThat(Ethernet.stripVlan(pool, h)).isEqualTo(0x2064);
            assertThat(bytes(pool, h)).isEqualTo(FRAME);
            assertThat(Ethernet.stripVlan(pool, h)).isEqualTo(-1);
            pool.free(h);
        }
    }

    @Test
    void macAddressParsesPrintsAndClassifies() {
        MacAddress m = MacAddress.parse("02:1b:21:0A:0b:0c");
        assertThat(m).hasToString("02:1b:21:0a:0b:0c");
        assertThat(MacAddress.ofBytes(m.toBytes())).isEqualTo(m);
        assertThat(m.isLocallyAdministered()).isTrue();
        assertThat(m.isMulticast()).isFalse();
        assertThat(MacAddress.parse("01:00:5e:00:00:01").isMulticast()).isTrue();
        assertThat(MacAddress.BROADCAST.isBroadcast()).isTrue();
        for (int i = 0; i < 100; i++) {
            MacAddress r = MacAddress.randomLocal();
            assertThat(r.isLocallyAdministered()).isTrue();
            assertThat(r.isMulticast()).isFalse();
        }
        assertThatThrownBy(() -> MacAddress.parse("02:00:00:00:00")).hasMessageContaining("six hex bytes");
        assertThatThrownBy(() -> MacAddress.parse("02:00:00:00:00:zz")).hasMessageContaining("six hex bytes");
    }
}
