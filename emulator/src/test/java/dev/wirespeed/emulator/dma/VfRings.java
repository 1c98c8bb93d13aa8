/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.dma;

import dev.wirespeed.core.device.Bar;
import dev.wirespeed.core.dma.DmaRegion;
import dev.wirespeed.emulator.EmulatedVf;
import dev.wirespeed.core.packet.MacAddress;
import dev.wirespeed.emulator.VfMailboxClient;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static dev.wirespeed.emulator.Facts.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives one VF's queue 0 the way a driver would, from the facts sheet alone (§2, §4.4, §4.5): a DMA region
 * with an rx ring, a tx ring and buffers, programmed through BAR0, descriptors written by hand.
 */
final class VfRings implements AutoCloseable {
    static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final int RX_RING = 0, TX_RING = 0x1000, WB = 0x3000, RX_BUF = 0x10000, TX_BUF = 0x180000, BUF = 0x1000;
    static final int RING = 64;
    static final int RX_QUEUE_SPAN = RING * BUF; // rx queue q: ring at RX_RING + 0x400 q, buffers from RX_BUF + q span
    // facts §2.2
    static final int DTYP_DATA = 0x00300000, DTYP_CTX = 0x00200000, DEXT = 0x20000000, EOP = 0x01000000, IFCS = 0x02000000,
            RS = 0x08000000, VLE = 0x40000000, CC = 0x80, IXSM = 1 << 8, TXSM = 1 << 9;

    final EmulatedVf vf;
    final Bar bar;
    final VfMailboxClient mbx;
    final DmaRegion mem;
    final MemorySegment m;
    int rxNext; // next rx descriptor software looks at
    int txTail;

    VfRings(EmulatedVf vf) {
        this.vf = vf;
        this.bar = vf.bar(0);
        this.mbx = new VfMailboxClient(bar);
        this.mem = vf.dma().allocate(2 << 20, "test rings");
        this.m = mem.segment();
    }

    long iova(long off) {
        return mem.iova(off);
    }

    /** VF reset + VF_RESET + API 1.2; returns the MAC the PF gave (or zero). */
    MacAddress hello() {
        int[] r = mbx.resetAndHello();
        assertThat(mbx.request(API_NEGOTIATE, API_12, 0)[0] & MSG_SUCCESS).isNotZero();
        return macFromWords(r[1], r[2]);
    }

    void setupRx(int bufKb, boolean dropEn, boolean vlanStrip, int filled) {
        setupRx(0, bufKb, dropEn, vlanStrip, filled);
    }

    void setupRx(int q, int bufKb, boolean dropEn, boolean vlanStrip, int filled) {
        setupRx(q, bufKb, dropEn, vlanStrip, filled, SRRCTL_DESCTYPE_ADV_ONEBUF);
    }

    /** With SRRCTL.DESCTYPE {@code descType} (facts §1.2: 0 legacy, 1 << 25 advanced one-buffer). */
    void setupRx(int q, int bufKb, boolean dropEn, boolean vlanStrip, int filled, int descType) {
        long ring = iova(RX_RING + 0x400L * q);
        bar.write32(rx(VFRDBAL, q), (int) ring);
        bar.write32(rx(VFRDBAH, q), (int) (ring >>> 32));
        bar.write32(rx(VFRDLEN, q), RING * 16);
        bar.write32(rx(VFDCA_RXCTRL, q), 1 << 9); // clears bit 12 (facts §4.4 step 3)
        bar.write32(rx(VFRDH, q), 0);
        bar.write32(rx(VFRDT, q), 0);
        bar.write32(rx(VFSRRCTL, q), (dropEn ? SRRCTL_DROP_EN : 0) | (4 << 8) | bufKb | descType);
        bar.write32(rx(VFRXDCTL, q), DCTL_ENABLE | (vlanStrip ? RXDCTL_VME : 0));
        assertThat(bar.read32(rx(VFRXDCTL, q)) & DCTL_ENABLE).as("rx queue enabled").isNotZero();
        for (int i = 0; i < RING; i++) {
            armRx(q, i);
        }
        bar.write32(rx(VFRDT, q), filled);
    }

    void armRx(int i) {
        armRx(0, i);
    }

    void armRx(int q, int i) {
        long d = RX_RING + 0x400L * q + 16L * i;
        m.set(LE64, d, iova(RX_BUF + (long) RX_QUEUE_SPAN * q + (long) BUF * i));
        m.set(LE64, d + 8, 0); // header address 0 clears DD (facts §2.1)
    }

    int rxStatus(int q, int i) {
        return m.get(LE32, RX_RING + 0x400L * q + 16L * i + 8);
    }

    int rxHash(int q, int i) {
        return m.get(LE32, RX_RING + 0x400L * q + 16L * i + 4);
    }

    int rxType(int q, int i) {
        return m.get(LE32, RX_RING + 0x400L * q + 16L * i);
    }

    void setupTx() {
        bar.write32(VFTXDCTL, TXDCTL_SWFLSH);
        bar.write32(VFTDBAL, (int) iova(TX_RING));
        bar.write32(VFTDBAH, (int) (iova(TX_RING) >>> 32));
        bar.write32(VFTDLEN, RING * 16);
        bar.write32(VFTDWBAL, 0);
        bar.write32(VFTDWBAH, 0);
        bar.write32(VFDCA_TXCTRL, (1 << 9) | (1 << 13));
        bar.write32(VFTDH, 0);
        bar.write32(VFTDT, 0);
        bar.write32(VFTXDCTL, DCTL_ENABLE | 32);
        assertThat(bar.read32(VFTXDCTL) & DCTL_ENABLE).as("tx queue enabled").isNotZero();
        txTail = 0;
    }

    /** Context descriptor: vlan_macip_lens, type_tucmd (IPv4 bit 10, L4T 12:11), slot. */
    void txContext(int vlan, int macLen, int ipLen, int tucmd, int slot) {
        long d = TX_RING + 16L * txTail;
        m.set(LE32, d, vlan << 16 | macLen << 9 | ipLen);
        m.set(LE32, d + 4, 0);
        m.set(LE32, d + 8, tucmd | DTYP_CTX | DEXT);
        m.set(LE32, d + 12, slot << 4);
        txTail = (txTail + 1) % RING;
    }

    /** One data descriptor per piece, the last with EOP|RS; does not bump TDT. Returns the last descriptor's index. */
    int txPacket(byte[] frame, int pieces, int extraCmd, int olinfo) {
        int per = (frame.length + pieces - 1) / pieces;
        int last = -1;
        for (int p = 0, off = 0; p < pieces; p++, off += per) {
            int len = Math.min(per, frame.length - off);
            long buf = TX_BUF + (long) BUF * txTail;
            MemorySegment.copy(frame, off, m, ValueLayout.JAVA_BYTE, buf, len);
            long d = TX_RING + 16L * txTail;
            m.set(LE64, d, iova(buf));
            boolean end = p == pieces - 1;
            m.set(LE32, d + 8, len | DTYP_DATA | DEXT | IFCS | extraCmd | (end ? EOP | RS : 0));
            m.set(LE32, d + 12, p == 0 ? olinfo | frame.length << 14 : olinfo & (CC | 0x10)); // CC (and IDX) on every data descriptor, facts §8.9
            last = txTail;
            txTail = (txTail + 1) % RING;
        }
        return last;
    }

    void bumpTx() {
        bar.write32(VFTDT, txTail);
    }

    boolean txDone(int index) {
        return (m.get(LE32, TX_RING + 16L * index + 12) & 1) != 0;
    }

    int rxStatus(int i) {
        return m.get(LE32, RX_RING + 16L * i + 8);
    }

    int rxLength(int i) {
        return m.get(LE32, RX_RING + 16L * i + 12) & 0xFFFF;
    }

    int rxVlan(int i) {
        return m.get(LE32, RX_RING + 16L * i + 12) >>> 16;
    }

    int rxType(int i) {
        return m.get(LE32, RX_RING + 16L * i);
    }

    byte[] rxData(int i) {
        byte[] b = new byte[rxLength(i)];
        MemorySegment.copy(m, ValueLayout.JAVA_BYTE, RX_BUF + (long) BUF * i, b, 0, b.length);
        return b;
    }

    @Override
    public void close() {
        mem.close();
    }
}
