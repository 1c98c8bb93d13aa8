/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

import dev.wirespeed.core.packet.MacAddress;
import dev.wirespeed.core.packet.PacketBatch;
import dev.wirespeed.core.packet.PacketFlags;
import dev.wirespeed.core.port.Offload;
import dev.wirespeed.emulator.Flavour;
import dev.wirespeed.emulator.dma.VfDmaEngine;
import dev.wirespeed.emulator.pf.PfConfig;
import dev.wirespeed.emulator.wire.WireEnd;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Checksum and VLAN offloads: frames built with good and bad checksums, tags inserted and stripped (issue 4). */
class OffloadTest {
    private static final int UDP = 17;
    private static final int TCP = 6;

    /** Ethernet + IPv4 + UDP/TCP with correct checksums and a 32-byte payload. */
    static byte[] ipv4(MacAddress mac, int protocol) {
        int l4Len = (protocol == TCP ? 20 : 8) + 32;
        byte[] f = new byte[14 + 20 + l4Len];
        byte[] m = mac.toBytes();
        System.arraycopy(m, 0, f, 0, 6);
        System.arraycopy(m, 0, f, 6, 6);
        f[12] = 0x08;
        f[14] = 0x45;
        put16(f, 16, 20 + l4Len);
        put16(f, 18, 0x1234);
        f[22] = 64;
        f[23] = (byte) protocol;
        byte[] src = {10, 0, 0, 1};
        byte[] dst = {10, 0, 0, 2};
        System.arraycopy(src, 0, f, 26, 4);
        System.arraycopy(dst, 0, f, 30, 4);
        put16(f, 24, checksum(f, 14, 20, 0));
        int l4 = 34;
        put16(f, l4, 4000);
        put16(f, l4 + 2, 5000);
        if (protocol == UDP) {
            put16(f, l4 + 4, l4Len);
        } else {
            f[l4 + 12] = 0x50; // data offset 5
        }
        for (int i = l4 + (protocol == TCP ? 20 : 8); i < f.length; i++) {
            f[i] = (byte) i;
        }
        int field = l4 + (protocol == TCP ? 16 : 6);
        put16(f, field, checksum(f, l4, l4Len, pseudo(f, protocol, l4Len)));
        return f;
    }

    static long pseudo(byte[] f, int protocol, int l4Len) {
        long s = 0;
        for (int i = 26; i < 34; i += 2) {
            s += get16(f, i);
        }
        return s + protocol + l4Len;
    }

    static int checksum(byte[] f, int off, int len, long sum) {
        for (int i = 0; i + 1 < len; i += 2) {
            sum += get16(f, off + i);
        }
        if ((len & 1) != 0) {
            sum += (f[off + len - 1] & 0xFF) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    static int get16(byte[] f, int i) {
        return (f[i] & 0xFF) << 8 | (f[i + 1] & 0xFF);
    }

    static void put16(byte[] f, int i, int v) {
        f[i] = (byte) (v >>> 8);
        f[i + 1] = (byte) v;
    }

    private static int roundTrip(EmulatorRig rig, VfDmaEngine engine, byte[] frame, long txFlags, int vlan) {
        int h = Frames.fromBytes(rig.pool, frame);
        rig.pool.setFlags(h, txFlags);
        rig.pool.setHeaderLengths(h, 14, 20);
        rig.pool.setVlanTci(h, vlan);
        PacketBatch b = new PacketBatch(4);
        b.add(h);
        assertThat(rig.port.tx(0, b)).isEqualTo(1);
        engine.doWork();
        PacketBatch in = new PacketBatch(4);
        assertThat(rig.port.rx(0, in)).as("the frame came back").isEqualTo(1);
        return in.get(0);
    }

    @Test
    void txChecksumOffloadFillsChecksumsTheReceiverCallsGood() {
        try (EmulatorRig rig = new EmulatorRig(new PfConfig().flavour(Flavour.X550))) {
            IxgbeVfPort port = rig.open(b -> b.offload(Offload.RX_CHECKSUM, Offload.TX_IPV4_CHECKSUM, Offload.TX_UDP_CHECKSUM, Offload.TX_TCP_CHECKSUM));
            port.start();
            VfDmaEngine engine = new VfDmaEngine(rig.pf, 0, WireEnd.loopback(64));
            for (int proto : new int[]{UDP, TCP}) {
                byte[] good = ipv4(port.macAddress(), proto);
                byte[] blank = good.clone();
                put16(blank, 24, 0);
                put16(blank, 34 + (proto == TCP ? 16 : 6), 0);
                long flags = PacketFlags.TX_IPV4 | PacketFlags.TX_IPV4_CHECKSUM
                        | (proto == TCP ? PacketFlags.TX_TCP_CHECKSUM : PacketFlags.TX_UDP_CHECKSUM);
                int h = roundTrip(rig, engine, blank, flags, 0);
                assertThat(Frames.bytes(rig.pool, h)).as("checksums filled in by the device").isEqualTo(good);
                assertThat(rig.pool.flags(h) & (PacketFlags.RX_IP_CHECKSUM_GOOD | PacketFlags.RX_L4_CHECKSUM_GOOD))
                        .isEqualTo(PacketFlags.RX_IP_CHECKSUM_GOOD | PacketFlags.RX_L4_CHECKSUM_GOOD);
                assertThat(rig.pool.packetType(h) & 0x10).as("packet type says IPv4").isEqualTo(0x10);
                assertThat(rig.pool.packetType(h) & (proto == TCP ? 0x100 : 0x200)).isNotZero();
                rig.pool.free(h);
                // the next packet needs no offload: a new context, and the frame goes out untouched
                int plain = roundTrip(rig, engine, good, 0, 0);
                assertThat(Frames.bytes(rig.pool, plain)).isEqualTo(good);
                rig.pool.free(plain);
            }
            port.stop();
            assertThat(rig.pool.isFull()).isTrue();
        }
    }

    @Test
    void badChecksumsAreFlaggedBad() {
        try (EmulatorRig rig = new EmulatorRig(new PfConfig())) {
            IxgbeVfPort port = rig.open(b -> b.offload(Offload.RX_CHECKSUM));
            port.start();
            VfDmaEngine engine = new VfDmaEngine(rig.pf, 0, WireEnd.loopback(64));
            byte[] badIp = ipv4(port.macAddress(), UDP);
            put16(badIp, 24, get16(badIp, 24) ^ 0x0101);
            int h = roundTrip(rig, engine, badIp, 0, 0);
            assertThat(rig.pool.flags(h) & PacketFlags.RX_IP_CHECKSUM_BAD).isNotZero();
            assertThat(rig.pool.flags(h) & PacketFlags.RX_IP_CHECKSUM_GOOD).isZero();
            rig.pool.free(h);
            byte[] badTcp = ipv4(port.macAddress(), TCP);
            put16(badTcp, 34 + 16, get16(badTcp, 34 + 16) ^ 0x0F0F);
            h = roundTrip(rig, engine, badTcp, 0, 0);
            assertThat(rig.pool.flags(h) & (PacketFlags.RX_IP_CHECKSUM_GOOD | PacketFlags.RX_L4_CHECKSUM_BAD))
                    .isEqualTo(PacketFlags.RX_IP_CHECKSUM_GOOD | PacketFlags.RX_L4_CHECKSUM_BAD);
            rig.pool.free(h);
            port.stop();
        }
    }

    @Test
    void withoutRxChecksumOffloadNoChecksumFlagsAreReported() {
        try (EmulatorRig rig = new EmulatorRig(new PfConfig())) {
            IxgbeVfPort port = rig.open();
            port.start();
            VfDmaEngine engine = new VfDmaEngine(rig.pf, 0, WireEnd.loopback(64));
            int h = roundTrip(rig, engine, ipv4(port.macAddress(), UDP), 0, 0);
            assertThat(rig.pool.flags(h) & (PacketFlags.RX_IP_CHECKSUM_GOOD | PacketFlags.RX_IP_CHECKSUM_BAD
                    | PacketFlags.RX_L4_CHECKSUM_GOOD | PacketFlags.RX_L4_CHECKSUM_BAD)).isZero();
            rig.pool.free(h);
            port.stop();
        }
    }

    @Test
    void vlanInsertAndStripRoundTrip() {
        try (EmulatorRig rig = new EmulatorRig(new PfConfig().flavour(Flavour.X550))) {
            IxgbeVfPort port = rig.open(b -> b.offload(Offload.RX_VLAN_STRIP, Offload.TX_VLAN_INSERT));
            assertThat(port.addVlan(100)).isTrue();
            port.start();
            VfDmaEngine engine = new VfDmaEngine(rig.pf, 0, WireEnd.loopback(64));
            byte[] frame = ipv4(port.macAddress(), UDP);
            int tci = 3 << 13 | 100;
            int h = roundTrip(rig, engine, frame, PacketFlags.TX_VLAN_INSERT, tci);
            assertThat(rig.pool.flags(h) & PacketFlags.RX_VLAN_STRIPPED).isNotZero();
            assertThat(rig.pool.vlanTci(h)).isEqualTo(tci);
            assertThat(Frames.bytes(rig.pool, h)).as("the tag is gone from the frame").isEqualTo(frame);
            rig.pool.free(h);
            port.stop();
        }
    }

    @Test
    void withoutStrippingTheInsertedTagStaysInTheFrame() {
        try (EmulatorRig rig = new EmulatorRig(new PfConfig())) {
            IxgbeVfPort port = rig.open(b -> b.offload(Offload.TX_VLAN_INSERT));
            assertThat(port.addVlan(42)).isTrue();
            port.start();
            VfDmaEngine engine = new VfDmaEngine(rig.pf, 0, WireEnd.loopback(64));
            int h = roundTrip(rig, engine, ipv4(port.macAddress(), UDP), PacketFlags.TX_VLAN_INSERT, 42);
            byte[] got = Frames.bytes(rig.pool, h);
            assertThat(get16(got, 12)).isEqualTo(0x8100);
            assertThat(get16(got, 14)).isEqualTo(42);
            assertThat(rig.pool.flags(h) & PacketFlags.RX_VLAN_STRIPPED).isZero();
            rig.pool.free(h);
            port.stop();
        }
    }
}
