/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.igbvf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wirespeed.core.dma.AnonymousDmaDomain;
import dev.wirespeed.core.dma.DmaRegion;
import dev.wirespeed.core.packet.MacAddress;
import dev.wirespeed.core.packet.PacketBatch;
import dev.wirespeed.core.packet.PacketFlags;
import dev.wirespeed.core.packet.PacketPool;
import dev.wirespeed.core.port.Offload;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.core.port.PortStats;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The driver against {@link FakeIgbVf}: register sequences, mailbox conversations, descriptor bytes. */
class IgbVfPortTest {
    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final MacAddress PF_MAC = MacAddress.parse("52:54:00:12:34:56");
    private static final IgbVfOptions FAST = IgbVfOptions.defaults().withMailboxTimeout(Duration.ofMillis(100))
            .withWatchdog(Duration.ZERO, Duration.ZERO);

    private FakeIgbVf vf = new FakeIgbVf(0x10CA);
    private final PacketPool pool = PacketPool.create("igb test", vf.dma, 1024);
    private IgbVfPort port;

    @AfterEach
    void tearDown() {
        if (port != null) {
            port.close();
        }
        assertThat(pool.isFull()).as("every buffer back in the pool").isTrue();
        pool.close();
        vf.dma.close();
    }

    private IgbVfPort open(IgbVfOptions options, UnaryOperator<PortConfig.Builder> cfg) {
        port = IgbVfPort.open(vf, 0, cfg.apply(PortConfig.builder().rxPool(pool).rxRingSize(128).txRingSize(128)).build(), options);
        return port;
    }

    private IgbVfPort open() {
        return open(FAST, b -> b);
    }

    // ---------------------------------------------------------------- bring-up

    @Test
    void bringUpTakesThePfsMacAndSendsResetThenMaxFrame() {
        vf.assignedMac = PF_MAC.value();
        open();
        assertThat(vf.resets).isEqualTo(1);
        assertThat(port.macAddress()).isEqualTo(PF_MAC);
        assertThat(vf.messages.get(0)[0]).as("VF_RESET is exactly 0x1").isEqualTo(1);
        assertThat(vf.messagesWithId(2)).as("no SET_MAC_ADDR when the PF's MAC is used").isEmpty();
        assertThat(vf.maxFrame).as("SET_LPE: MTU + header + VLAN + CRC").isEqualTo(1500 + 22);
        assertThat(port.linkStatus().up()).isTrue();
        assertThat(port.linkStatus().speedMbps()).isEqualTo(1000);
    }

    @Test
    void noMacAssignedTheVfChoosesOneAndSetsIt() {
        open();
        MacAddress mac = port.macAddress();
        assertThat(mac.isLocallyAdministered()).isTrue();
        assertThat(vf.messagesWithId(2)).hasSize(1);
        assertThat(vf.assignedMac).as("SET_MAC_ADDR's words decode to the MAC").isEqualTo(mac.value());
    }

    @Test
    void anAdministratorsMacWinsOverTheOneAskedFor() {
        vf.assignedMac = PF_MAC.value();
        vf.adminMac = true;
        open(FAST.withMac(MacAddress.parse("02:00:00:00:00:01")), b -> b);
        assertThat(port.macAddress()).isEqualTo(PF_MAC);
    }

    @Test
    void noMacAndThePfRefusesOursIsAClearError() {
        vf.adminMac = true;
        assertThatThrownBy(this::open).isInstanceOf(IgbVfException.class).hasMessageContaining("ip link set");
        assertThat(vf.closed).as("the caller's function is left open").isFalse();
    }

    @Test
    void aPfInResetIsReportedNotWaitedForever() {
        vf.regs[FakeIgbVf.MAILBOX / 4] |= FakeIgbVf.RSTI;
        long t0 = System.nanoTime();
        assertThatThrownBy(this::open).isInstanceOf(PfResetException.class).hasMessageContaining("is the PF interface up");
        assertThat(System.nanoTime() - t0).isLessThan(2_000_000_000L);
    }

    @Test
    void aSilentPfIsAMailboxTimeout() {
        vf.silent = true;
        assertThatThrownBy(this::open).isInstanceOf(MailboxTimeoutException.class).hasMessageContaining("acknowledge");
    }

    @Test
    void wrongDeviceIdIsRefusedWithTheIdsItTakes() {
        vf = new FakeIgbVf(0x10C9);
        assertThatThrownBy(() -> IgbVfPort.open(vf, 0, PortConfig.builder().rxPool(pool).build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8086:10ca").hasMessageContaining("sriov_numvfs");
        vf.dma.close();
        vf = new FakeIgbVf(0x10CA); // for tearDown
    }

    @Test
    void promiscuityIsWhatTheLinuxPfGrants() {
        open();
        assertThat(port.setPromiscuous(true)).as("Linux's igb PF NACKs unicast promiscuity").isFalse();
        assertThat(port.isPromiscuous()).isFalse();
        assertThat(port.setAllMulticast(true)).isTrue();
        assertThat(vf.promisc).isEqualTo(2);
        assertThat(port.setAllMulticast(false)).isFalse();
        assertThat(vf.promisc).isZero();
    }

    @Test
    void multicastHashesArePackedTwoPerWord() {
        open();
        port.setMulticastAddresses(List.of(MacAddress.parse("01:00:5e:00:00:01"), MacAddress.parse("33:33:00:00:ab:cd")));
        assertThat(vf.mcCount).isEqualTo(2);
        // e1000_hash_mc_addr_vf with 128 MTA registers: (mac[4] >> 4 | mac[5] << 4) & 0xFFF
        assertThat(vf.mcHashes[0]).isEqualTo(0x010);
        assertThat(vf.mcHashes[1]).isEqualTo((0xAB >> 4 | 0xCD << 4) & 0xFFF);
        assertThat(vf.messagesWithId(3).getLast()).hasSize(16);
    }

    @Test
    void vlanRefusedUnderAPortVlan() {
        open();
        assertThat(port.addVlan(10)).isTrue();
        vf.portVlan = true;
        assertThat(port.addVlan(11)).isFalse();
        assertThat(port.vlans()).containsExactly(10);
    }

    // ---------------------------------------------------------------- rings

    @Test
    void startProgramsTheRingsAndMsixLikeIgbvf() {
        open(FAST, b -> b.rxInterrupts(true));
        port.start();
        assertThat(vf.regs[0x2828 / 4] & 1 << 25).as("RXDCTL.ENABLE").isNotZero();
        assertThat(vf.regs[0x3828 / 4] & 1 << 25).as("TXDCTL.ENABLE").isNotZero();
        int srrctl = vf.regs[0x280C / 4];
        assertThat(srrctl & 0x7F).as("BSIZEPACKET in KiB").isEqualTo(pool.dataRoom() >> 10);
        assertThat(srrctl & 1 << 31).as("DROP_EN is bit 31 on igb").isNotZero();
        assertThat(srrctl & 0x0E00_0000).as("advanced one buffer").isEqualTo(0x0200_0000);
        assertThat(vf.regs[0x1700 / 4]).as("IVAR0: rx0 -> vector 1, tx0 -> vector 0").isEqualTo(0x81 | 0x80 << 8);
        assertThat(vf.regs[0x1740 / 4]).as("IVAR_MISC: mailbox -> vector 2").isEqualTo(0x82);
        assertThat(vf.bound[1]).as("rx vector bound").isNotNull();
        assertThat(vf.regs[0x2818 / 4]).as("RDT: every slot but one armed").isEqualTo(127);
    }

    @Test
    void txWritesAContextThenDataDescriptorsAndTheTailOncePerBurst() {
        open();
        port.start();
        PacketBatch batch = new PacketBatch(4);
        for (int i = 0; i < 3; i++) {
            int h = pool.alloc();
            pool.setLength(h, 60);
            if (i == 0) {
                pool.setHeaderLengths(h, 14, 20);
                pool.setVlanTci(h, 0x0123);
                pool.setFlags(h, PacketFlags.TX_IPV4 | PacketFlags.TX_IPV4_CHECKSUM | PacketFlags.TX_TCP_CHECKSUM | PacketFlags.TX_VLAN_INSERT);
            }
            batch.add(h);
        }
        long tailWrites = vf.writesTo(0x3818);
        assertThat(port.tx(0, batch)).isEqualTo(3);
        assertThat(vf.writesTo(0x3818) - tailWrites).as("one TDT write per burst").isEqualTo(1);
        MemorySegment ring = txRing();
        // slot 0: context descriptor (facts §3.3)
        assertThat(ring.get(LE32, 0)).isEqualTo(20 | 14 << 9 | 0x0123 << 16);
        assertThat(ring.get(LE32, 8)).isEqualTo(0x2000_0000 | 0x0020_0000 | 1 << 10 | 1 << 11);
        assertThat(ring.get(LE32, 12)).as("context slot 0").isZero();
        // slot 1: data (facts §3.2): DTYP 0011, IFCS, DEXT, EOP, VLE; PAYLEN, IXSM, TXSM; no CC (bit 7)
        assertThat(ring.get(LE32, 16 + 8)).isEqualTo(60 | 0x0030_0000 | 1 << 24 | 1 << 25 | 1 << 29 | 1 << 30);
        assertThat(ring.get(LE32, 16 + 12)).isEqualTo(60 << 14 | 0x100 | 0x200);
        // the second packet needs another context (no offloads), then data
        assertThat(ring.get(LE32, 32 + 8)).isEqualTo(0x2000_0000 | 0x0020_0000 | 3 << 11);
        assertThat(ring.get(LE32, 48 + 12) & 0x80).as("no CC bit on igb").isZero();
        assertThat(vf.regs[0x3818 / 4]).as("TDT after 2 contexts + 3 data").isEqualTo(5);
    }

    @Test
    void rxWriteBackChecksumAndVlanBits() {
        open(FAST, b -> b.offload(Offload.RX_CHECKSUM));
        port.start();
        // IPv4/TCP, IPCS + TCPCS checked, TCPE (bit 29) set: IP good, L4 bad; VP with tag 0x0064
        writeBack(0, 60, 1 | 2 | 8 | 0x20 | 0x40 | 1 << 29, 0x0064, 0x110);
        // a frame with RXE (bit 31): dropped and counted
        writeBack(1, 60, 1 | 2 | 1 << 31, 0, 0);
        PacketBatch batch = new PacketBatch(8);
        assertThat(port.rx(0, batch)).isEqualTo(1);
        int h = batch.handles()[0];
        assertThat(pool.flags(h)).isEqualTo(PacketFlags.RX_IP_CHECKSUM_GOOD | PacketFlags.RX_L4_CHECKSUM_BAD | PacketFlags.RX_VLAN_STRIPPED);
        assertThat(pool.vlanTci(h)).isEqualTo(0x64);
        assertThat(pool.packetType(h)).isEqualTo(0x110);
        assertThat(port.stats(new PortStats()).ierrors).isEqualTo(1);
        pool.free(h);
    }

    @Test
    void i350SwapsTheVlanOfLoopedBackFrames() {
        vf = new FakeIgbVf(0x1520);
        IgbVfPort p = IgbVfPort.open(vf, 0, PortConfig.builder().rxPool(pool).rxRingSize(64).txRingSize(64).build(), FAST);
        port = p;
        p.start();
        writeBack(0, 60, 1 | 2 | 8 | Rings.RX_LB, 0x6400, 0);
        PacketBatch batch = new PacketBatch(8);
        assertThat(p.rx(0, batch)).isEqualTo(1);
        assertThat(pool.vlanTci(batch.handles()[0])).isEqualTo(0x64);
        pool.free(batch.handles()[0]);
    }

    @Test
    void countersWrapAt32Bits() {
        vf.regs[0x0F18 / 4] = 0xFFFF_FFF0; // GORC
        open();
        vf.regs[0x0F18 / 4] = 0x10;
        assertThat(port.stats(new PortStats()).ibytes).isEqualTo(0x20);
        assertThat(port.extendedStats()).containsEntry("rx_good_bytes", 0x20L);
    }

    // ---------------------------------------------------------------- PF reset

    @Test
    void pfResetHoldsTheQueuesThenRebuildsWithNoBufferLost() {
        vf.assignedMac = PF_MAC.value();
        open();
        port.start();
        port.addVlan(7);
        int before = vf.messages.size();
        vf.pfResetBegin();
        port.poll();
        assertThat(port.isRecovering()).isTrue();
        assertThat(port.linkStatus().up()).isFalse();
        assertThat(port.rx(0, new PacketBatch(4))).as("bursts held").isZero();
        port.poll();
        assertThat(vf.resets).as("no VF reset while RSTI is set").isEqualTo(1);
        vf.pfResetEnd();
        port.poll();
        assertThat(port.isRecovering()).isFalse();
        assertThat(vf.resets).isEqualTo(2);
        List<int[]> again = vf.messages.subList(before, vf.messages.size());
        assertThat(again.get(0)[0]).isEqualTo(1);
        assertThat(again.stream().anyMatch(m -> (m[0] & 0xFFFF) == 4 && m[1] == 7)).as("VLAN asked for again").isTrue();
        assertThat(vf.regs[0x2828 / 4] & 1 << 25).as("rx queue enabled again").isNotZero();
        assertThat(port.extendedStats()).containsEntry("reset_recoveries", 1L);
    }

    @Test
    void aPingWithoutCtsMeansReset() {
        open();
        port.start();
        vf.ping();
        port.poll();
        assertThat(port.extendedStats()).containsEntry("pf_pings", 1L);
        assertThat(vf.resets).as("re-reset after CTS was withdrawn").isEqualTo(1);
        vf.cts = false;
        vf.ping();
        port.poll();
        assertThat(vf.resets).isEqualTo(2);
        assertThat(port.isRecovering()).isFalse();
    }

    @Test
    void aVanishedDeviceStopsThePort() {
        open();
        port.start();
        vf.removed = true;
        port.poll();
        assertThat(port.isRemoved()).isTrue();
        assertThat(port.rx(0, new PacketBatch(4))).isZero();
    }

    @Test
    void aRegisterWindowTakenAwayUnderTheWatchdogMarksTheVfGone() {
        // rmmod igb: the VFs vanish between the backend check and the register reads (seen on QEMU + Linux 6.12)
        open();
        port.start();
        vf.faulting = true;
        port.poll();
        assertThat(port.isRemoved()).isTrue();
        assertThat(port.rx(0, new PacketBatch(4))).isZero();
        port.close(); // no register access, every buffer back (tearDown checks the pool)
        assertThat(vf.closed).isTrue();
    }

    @Test
    void linkAndStatsAskTheBackendBeforeReadingRegisters() {
        // a fault in JIT-compiled code reaches the caller late, outside any catch: the backend is asked first
        open();
        vf.removed = true;
        vf.faulting = true;
        assertThat(port.linkStatus().up()).isFalse();
        assertThat(port.isRemoved()).isTrue();
        assertThat(port.stats(new PortStats()).ipackets).isZero();
    }

    @Test
    void stopAfterTheWindowWentAwayUnnoticedStillReturnsEveryBuffer() {
        open();
        port.start();
        vf.faulting = true; // nobody looked: close is the first to touch the registers
        port.close();
        assertThat(port.isRemoved()).isTrue();
    }

    @Test
    void aBurstThatFaultsReturnsZeroAndMarksTheVfGone() {
        open();
        port.start();
        PacketBatch batch = new PacketBatch(4);
        int h = pool.alloc();
        pool.setLength(h, 60);
        batch.add(h);
        vf.faulting = true; // the descriptors are written, then the TDT write faults
        assertThat(port.tx(0, batch)).as("taken by the ring, which frees it at stop").isEqualTo(1);
        assertThat(batch.size()).isZero();
        assertThat(port.isRemoved()).isTrue();
    }

    // ---------------------------------------------------------------- allocation

    @Test
    void burstsAllocateNothing() {
        open();
        port.start();
        PacketBatch batch = new PacketBatch(32);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 2; round++) {
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 2_000; i++) {
                port.rx(0, batch);
                port.tx(0, batch);
            }
            long allocated = mx.getCurrentThreadAllocatedBytes() - before;
            if (round == 1) {
                assertThat(allocated).as("bytes allocated by 2000 rx+tx bursts").isLessThan(1024);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private MemorySegment txRing() {
        long iova = Integer.toUnsignedLong(vf.regs[0x3800 / 4]) | (long) vf.regs[0x3804 / 4] << 32;
        DmaRegion r = AnonymousDmaDomain.find(iova, 128 * 16);
        return r.segment().asSlice(iova - r.iova(0), 128 * 16);
    }

    /** Plays the device: writes back rx descriptor {@code slot}. */
    private void writeBack(int slot, int length, int status, int vlan, int info) {
        long iova = Integer.toUnsignedLong(vf.regs[0x2800 / 4]) | (long) vf.regs[0x2804 / 4] << 32;
        int len = vf.regs[0x2808 / 4];
        DmaRegion r = AnonymousDmaDomain.find(iova, len);
        MemorySegment ring = r.segment().asSlice(iova - r.iova(0), len);
        long d = slot * 16L;
        ring.set(LE32, d, info); // packet type in place: 0x10 IPv4, 0x100 TCP (E1000_RXDADV_PKTTYPE_*)
        ring.set(LE32, d + 4, 0);
        ring.set(LE32, d + 12, length | vlan << 16);
        ring.set(LE32, d + 8, status);
    }
}
