/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.dma;

import dev.wirespeed.emulator.Flavour;
import dev.wirespeed.core.packet.MacAddress;
import dev.wirespeed.emulator.pf.EmulatedPf;
import dev.wirespeed.emulator.pf.PfConfig;
import dev.wirespeed.emulator.wire.FrameQueue;
import dev.wirespeed.emulator.wire.WireEnd;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.HexFormat;

import static dev.wirespeed.emulator.Facts.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Receive-side scaling, checked against the published Toeplitz verification example (Microsoft's RSS
 * verification suite): key 6d5a…01fa, 66.9.149.187:2794 → 161.142.100.80:1766 hashes to 0x51ccc178 with
 * TCP ports and 0x323e8fc2 on addresses alone.
 */
class RssTest {
    static final byte[] KEY = HexFormat.of().parseHex(
            "6d5a56da255b0ec24167253d43a38fb0d0ca2bcbae7b30b477cb2da38030f20c6a42b73bbeac01fa");
    static final int HASH_TCP = 0x51ccc178, HASH_IP = 0x323e8fc2;
    static final MacAddress MAC = MacAddress.parse("02:00:00:00:00:01");
    static final MacAddress PEER = MacAddress.parse("02:00:00:00:00:99");

    /** The example's TCP/IPv4 packet (checksums are irrelevant to the hash). */
    static byte[] exampleTcp(boolean tcp) {
        ByteBuffer ip = ByteBuffer.allocate(40);
        ip.put((byte) 0x45).put((byte) 0).putShort((short) 40).putInt(0).put((byte) 64).put((byte) (tcp ? 6 : 17)).putShort((short) 0);
        ip.put(new byte[]{66, 9, (byte) 149, (byte) 187}).put(new byte[]{(byte) 161, (byte) 142, 100, 80});
        ip.putShort((short) 2794).putShort((short) 1766).putInt(0);
        return Frames.ethernet(MAC, PEER, 0x0800, ip.array());
    }

    @Test
    void x550UsesTheVfsOwnKeyFieldsAndRedirectionTable() {
        try (EmulatedPf pf = new EmulatedPf(new PfConfig().flavour(Flavour.X550))) {
            pf.setVfMac(0, MAC);
            FrameQueue in = new FrameQueue(16);
            VfDmaEngine engine = new VfDmaEngine(pf, 0, new WireEnd("t", in, new FrameQueue(16)));
            try (VfRings r = new VfRings(pf.vf(0))) {
                r.hello();
                r.setupRx(0, 2, true, false, VfRings.RING - 1);
                r.setupRx(1, 2, true, false, VfRings.RING - 1);
                for (int i = 0; i < 10; i++) { // facts §1.1: VFRSSRK(i) holds key bytes 4i..4i+3
                    r.bar.write32(VFRSSRK0 + 4 * i, (KEY[4 * i] & 0xFF) | (KEY[4 * i + 1] & 0xFF) << 8
                            | (KEY[4 * i + 2] & 0xFF) << 16 | (KEY[4 * i + 3] & 0xFF) << 24);
                }
                int slot = HASH_TCP & 63;
                for (int i = 0; i < 16; i++) { // every entry queue 0, except the one the example hashes to
                    int v = 0;
                    for (int b = 0; b < 4; b++) {
                        v |= (4 * i + b == slot ? 1 : 0) << (8 * b);
                    }
                    r.bar.write32(VFRETA0 + 4 * i, v);
                }
                r.bar.write32(VFMRQC, 1 | 1 << 16 | 1 << 17); // RSSEN, IPv4/TCP, IPv4
                in.offer(exampleTcp(true));
                in.offer(exampleTcp(false)); // UDP: hashed on addresses (no UDP field enabled)
                for (int i = 0; i < 4; i++) {
                    engine.doWork();
                }
                assertThat(r.rxStatus(1, 0) & 1).as("TCP frame on queue 1").isEqualTo(1);
                assertThat(r.rxHash(1, 0)).isEqualTo(HASH_TCP);
                assertThat(r.rxType(1, 0) & 0xF).as("RSS type IPv4/TCP").isEqualTo(1);
                assertThat(r.rxHash(0, 0)).isEqualTo(HASH_IP);
                assertThat(r.rxType(0, 0) & 0xF).as("RSS type IPv4").isEqualTo(2);
            }
        }
    }

    @Test
    void on82599TheVfUsesThePfsKeyAndTableAndRqplChoosesTheQueueCount() {
        int[] reta = new int[128];
        reta[HASH_TCP & 127] = 3; // masked to 1 by RQPL = 1 (2 queues)
        try (EmulatedPf pf = new EmulatedPf(new PfConfig().rssKey(KEY).reta(reta))) {
            pf.setVfMac(0, MAC);
            FrameQueue in = new FrameQueue(16);
            VfDmaEngine engine = new VfDmaEngine(pf, 0, new WireEnd("t", in, new FrameQueue(16)));
            try (VfRings r = new VfRings(pf.vf(0))) {
                r.hello();
                r.setupRx(0, 2, true, false, VfRings.RING - 1);
                r.setupRx(1, 2, true, false, VfRings.RING - 1);
                in.offer(exampleTcp(true));
                engine.doWork();
                assertThat(r.rxStatus(0, 0) & 1).as("RQPL 0: one queue").isEqualTo(1);
                assertThat(r.rxHash(0, 0)).isEqualTo(HASH_TCP);
                r.bar.write32(VFPSRTYPE, 1 << 29); // RQPL = 1: two queues (facts §1.1)
                in.offer(exampleTcp(true));
                engine.doWork();
                assertThat(r.rxStatus(1, 0) & 1).isEqualTo(1);
                assertThat(r.rxHash(1, 0)).isEqualTo(HASH_TCP);
            }
        }
    }
}
