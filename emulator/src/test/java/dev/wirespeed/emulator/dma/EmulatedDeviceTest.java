/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.dma;

import dev.wirespeed.core.packet.MacAddress;
import dev.wirespeed.emulator.VfMailboxClient;
import dev.wirespeed.emulator.pf.MailboxFault;
import dev.wirespeed.emulator.port.EmulatedDevice;
import dev.wirespeed.emulator.wire.FrameQueue;
import dev.wirespeed.emulator.wire.GenFrameFormat;
import dev.wirespeed.emulator.wire.PcapReader;
import dev.wirespeed.emulator.wire.PcapWriter;
import dev.wirespeed.emulator.wire.TrafficSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static dev.wirespeed.emulator.Facts.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Emulated devices opened from device strings, their wires running on their own device threads, driven
 * through BAR0 as a driver would (no VF driver involved). Waits poll for a result with a hang guard only.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EmulatedDeviceTest {
    private static final MacAddress A = MacAddress.parse("02:00:00:00:00:0a"), B = MacAddress.parse("02:00:00:00:00:0b");

    static void await(String what, BooleanSupplier done) throws InterruptedException {
        await(what, done, () -> "");
    }

    /**
     * Waits for {@code done}, which should be a condition that stays true once it holds (a count reaching
     * at least N, a final state): a transient state or an exact count can be missed or overshot, and the
     * wait would then only end at the hang guard. The exact outcome is asserted after the wait. On timeout
     * the message includes {@code state}, e.g. every counter involved.
     */
    static void await(String what, BooleanSupplier done, Supplier<Object> state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                Object s = state.get();
                throw new AssertionError("timed out waiting for " + what + (String.valueOf(s).isEmpty() ? "" : "; " + s));
            }
            Thread.sleep(1);
        }
    }

    /**
     * Returns once the device thread has run a whole pass that began after this call: whatever was set
     * before (a fault, a ring's tail) has been seen by the device. A pass in flight may have read the old
     * state; {@link DeviceThread#remove} waits for the pass after it, which cannot have. Better than a
     * sleep, which on a slow machine may end before the device thread ran at all.
     */
    static void awaitDevicePass(DeviceThread thread) {
        DeviceWork nothing = () -> 0;
        thread.add(nothing);
        thread.remove(nothing);
    }

    /** Sends {@code frames} on queue 0, waiting for ring space as a driver would. */
    static void send(VfRings r, List<byte[]> frames) {
        for (byte[] f : frames) {
            while (Math.floorMod(r.bar.read32(VFTDH) - r.txTail - 1, VfRings.RING) < 2) {
                Thread.onSpinWait();
            }
            r.txPacket(f, 1, 0, VfRings.CC);
            r.bumpTx();
        }
    }

    static byte[] genFrame(MacAddress dst, MacAddress src, int length, long seq) {
        byte[] b = new byte[length];
        MemorySegment s = MemorySegment.ofArray(b);
        GenFrameFormat.writeHeaders(s, 0, length, dst.value(), src.value(), (int) (seq % 3));
        GenFrameFormat.writeSequence(s, 0, length, seq);
        return b;
    }

    @Test
    void twoPortsOnTheSamePairNameAreConnected() throws Exception {
        try (EmulatedDevice a = EmulatedDevice.open("emu:wire=pair:devtest,mac=" + A);
             EmulatedDevice b = EmulatedDevice.open("emu:wire=pair:devtest,mac=" + B);
             VfRings ra = new VfRings(a.vf()); VfRings rb = new VfRings(b.vf())) {
            ra.hello();
            rb.hello();
            rb.setupRx(2, false, false, VfRings.RING - 1);
            ra.setupTx();
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                sent.add(Frames.raw(B, A, 60 + i));
            }
            send(ra, sent);
            await("40 frames at b", () -> (rb.rxStatus(39) & 1) != 0);
            for (int i = 0; i < 40; i++) {
                assertThat(rb.rxData(i)).isEqualTo(sent.get(i));
            }
        }
    }

    @Test
    void devicesNamingOneThreadRunOnItUntilTheLastLeaves() throws Exception {
        EmulatedDevice a = EmulatedDevice.open("emu:wire=pair:shared,thread=t1,mac=" + A);
        EmulatedDevice b = EmulatedDevice.open("emu:wire=pair:shared,thread=t1,mac=" + B);
        DeviceThread t = a.deviceThread();
        try (VfRings ra = new VfRings(a.vf()); VfRings rb = new VfRings(b.vf())) {
            assertThat(b.deviceThread()).as("one thread for both").isSameAs(t);
            ra.hello();
            rb.hello();
            rb.setupRx(2, false, false, VfRings.RING - 1);
            ra.setupTx();
            send(ra, List.of(Frames.raw(B, A, 60), Frames.raw(B, A, 61)));
            await("both frames at b", () -> (rb.rxStatus(1) & 1) != 0);
            a.close();
            long before = t.elapsedNanos();
            await("the thread runs on for b", () -> t.elapsedNanos() > before);
        } finally {
            a.close();
            b.close();
        }
        long stopped = t.elapsedNanos();
        Thread.sleep(50);
        assertThat(t.elapsedNanos()).as("stopped with its last device").isEqualTo(stopped);
        assertThat(t.failure()).isNull();
    }

    @Test
    void txthreadRunsTransmitOnAThreadOfItsOwn() throws Exception {
        try (EmulatedDevice d = EmulatedDevice.open("emu:wire=loopback,txthread=tx-split,mac=" + A); VfRings r = new VfRings(d.vf())) {
            DeviceThread rx = d.deviceThread(), tx = d.transmitThread();
            assertThat(tx).isNotSameAs(rx);
            assertThat(tx.name()).isEqualTo("emu-thread-tx-split");
            r.hello();
            r.setupRx(2, false, false, VfRings.RING - 1);
            r.setupTx();
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                sent.add(Frames.raw(A, A, 60 + i)); // to itself, from itself (anti-spoofing)
            }
            send(r, sent); // transmitted on one thread, looped back and received on the other
            await("40 frames back", () -> (r.rxStatus(39) & 1) != 0);
            for (int i = 0; i < 40; i++) {
                assertThat(r.rxData(i)).isEqualTo(sent.get(i));
            }
            await("both threads busy for a while", () -> rx.busyNanos() > 0 && tx.busyNanos() > 0);
            d.close();
            long stopped = tx.elapsedNanos();
            Thread.sleep(50);
            assertThat(tx.elapsedNanos()).as("the transmit thread stopped with its device").isEqualTo(stopped);
            assertThat(tx.failure()).isNull();
        }
    }

    @Test
    void bothEndsOfAPairUseOneDepth() {
        try (EmulatedDevice a = EmulatedDevice.open("emu:wire=pair:depthtest,depth=64")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> EmulatedDevice.open("emu:wire=pair:depthtest,depth=128").close())
                    .hasMessageContaining("wire=pair:depthtest was opened with depth=64");
            assertThat(a.wire().inbound().capacity()).isEqualTo(64);
        }
    }

    @Test
    void generatorFeedsRxWithNumberedFramesOnceTheRxQueueIsUp() throws Exception {
        try (EmulatedDevice d = EmulatedDevice.open("emu:wire=gen,size=64,flows=4,count=40,mac=" + A); VfRings r = new VfRings(d.vf())) {
            r.hello();
            awaitDevicePass(d.deviceThread()); // the generator must hold its frames while rx is down, not drop them
            assertThat(d.generator().generated()).as("nothing generated while rx is down").isZero();
            r.setupRx(2, false, false, VfRings.RING - 1);
            await("40 generated frames in the ring", () -> (r.rxStatus(39) & 1) != 0);
            // the burst writes its DD bits before it counts the frames in VFGPRC: wait for the count too
            await("VFGPRC to count 40", () -> r.bar.read32(VFGPRC) >= 40,
                    () -> "VFGPRC " + r.bar.read32(VFGPRC) + ", generated " + d.generator().generated() + ", " + d.engine().counters());
            TrafficSink check = new TrafficSink();
            for (int i = 0; i < 40; i++) {
                byte[] f = r.rxData(i);
                assertThat(f).hasSize(60);
                assertThat(MacAddress.ofBytes(java.util.Arrays.copyOf(f, 6))).isEqualTo(A);
                check.check(MemorySegment.ofArray(f), f.length);
            }
            assertThat(check.inOrder()).isEqualTo(40);
            assertThat(d.generator().generated()).as("%s", d.engine().counters()).isEqualTo(40);
            assertThat(d.generator().finished()).isTrue();
            assertThat(r.bar.read32(VFGPRC)).as("%s", d.engine().counters()).isEqualTo(40);
            assertThat(r.rxStatus(40) & 1).as("count=40: no more").isZero();
        }
    }

    @Test
    void anUnlimitedGeneratorWaitsForDescriptorsWhileARatedOneIsDropped() {
        // rate=0: as fast as the port takes frames (flow control); a rate: a link that does not wait (DROP_EN drops)
        try (EmulatedDevice d = EmulatedDevice.openStepped("emu:wire=gen,count=100,mac=" + A); VfRings r = new VfRings(d.vf())) {
            r.hello();
            r.setupRx(2, true, false, VfRings.RING - 1);
            for (int i = 0; i < 10; i++) {
                d.doWork();
            }
            assertThat(r.rxStatus(VfRings.RING - 2) & 1).as("every posted descriptor filled").isEqualTo(1);
            assertThat(d.engine().counters().rxNoDescriptor()).as("nothing dropped").isZero();
            assertThat(d.generator().generated()).as("the rest waits").isEqualTo(VfRings.RING - 1);
        }
        try (EmulatedDevice d = EmulatedDevice.openStepped("emu:wire=gen,count=100,rate=1g,mac=" + A); VfRings r = new VfRings(d.vf())) {
            r.hello();
            r.setupRx(2, true, false, VfRings.RING - 1);
            for (int i = 0; i < 1000 && !d.generator().finished(); i++) {
                d.doWork();
            }
            assertThat(d.generator().generated()).isEqualTo(100);
            assertThat(d.engine().counters().rxDelivered()).isEqualTo(VfRings.RING - 1);
            assertThat(d.engine().counters().rxNoDescriptor()).as("dropped under DROP_EN").isEqualTo(100 - (VfRings.RING - 1));
        }
    }

    @Test
    void onlyASteppedDeviceIsSteppedByItsCaller() {
        try (EmulatedDevice d = EmulatedDevice.open("emu:wire=loopback")) {
            assertThatThrownBy(d::doWork).isInstanceOf(IllegalStateException.class).hasMessageContaining("openStepped");
            assertThat(d.deviceThread()).isNotNull();
        }
        try (EmulatedDevice d = EmulatedDevice.openStepped("emu:wire=loopback")) {
            assertThat(d.deviceThread()).as("no thread").isNull();
            assertThat(d.doWork()).as("idle").isZero();
        }
    }

    @Test
    void sinkVerifiesWhatThePortTransmits() throws Exception {
        try (EmulatedDevice d = EmulatedDevice.open("emu:wire=sink,mac=" + A); VfRings r = new VfRings(d.vf())) {
            r.hello();
            r.setupTx();
            List<byte[]> frames = new ArrayList<>();
            for (long seq = 0; seq < 30; seq++) {
                if (seq != 7) { // lost
                    frames.add(genFrame(B, A, 64 + (int) seq, seq));
                }
            }
            frames.add(frames.get(3)); // duplicate of 3
            byte[] bad = genFrame(B, A, 100, 30);
            bad[70] ^= 1;
            frames.add(bad);
            send(r, frames);
            TrafficSink sink = d.sink();
            // received() is published last, after the other counters of its frame (TrafficSink.check)
            await("31 frames at the sink", () -> sink.received() >= 31, sink::toString);
            assertThat(sink.received()).as("%s", sink).isEqualTo(31);
            assertThat(sink.inOrder()).as("%s", sink).isEqualTo(28);
            assertThat(sink.lost()).as("%s", sink).isEqualTo(1);
            assertThat(sink.duplicated()).as("%s", sink).isEqualTo(1);
            assertThat(sink.corrupted()).as("%s", sink).isEqualTo(1);
            assertThat(sink.outOfOrder() + sink.foreign()).as("%s", sink).isZero();
        }
    }

    @Test
    void pcapWireReplaysAFileIntoRxAndRecordsTx(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in.pcap"), out = dir.resolve("out.pcap");
        List<byte[]> replay = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            replay.add(Frames.raw(A, B, 60 + 10 * i));
        }
        try (PcapWriter w = new PcapWriter(in)) {
            FrameQueue q = new FrameQueue(8);
            replay.forEach(q::offer);
            w.drain(q);
        }
        List<byte[]> sent = List.of(Frames.raw(B, A, 70), Frames.raw(B, A, 1514));
        try (EmulatedDevice d = EmulatedDevice.open("emu:wire=pcap,in=" + in + ",out=" + out + ",mac=" + A);
             VfRings r = new VfRings(d.vf())) {
            r.hello();
            r.setupRx(2, false, false, VfRings.RING - 1); // the replay starts when rx queue 0 comes up
            r.setupTx();
            send(r, sent);
            await("5 replayed frames", () -> (r.rxStatus(4) & 1) != 0);
            for (int i = 0; i < 5; i++) {
                assertThat(r.rxData(i)).isEqualTo(replay.get(i));
            }
            await("tx done", () -> r.txDone(1));
            // DD comes back before the pump hands the frame to the pcap writer (on the next pass); close()
            // hands over what is still queued (see closeWritesEveryTransmittedFrameToThePcapFile)
        }
        try (PcapReader back = new PcapReader(out)) { // complete once the device is closed
            FrameQueue q = new FrameQueue(4);
            back.fill(q);
            assertThat(q.poll()).isEqualTo(sent.get(0));
            assertThat(q.poll()).isEqualTo(sent.get(1));
            assertThat(q.poll()).isNull();
        }
    }

    /**
     * Issue 16 point 1: a replay is a file, not a link. Its frames wait for free descriptors, like an
     * unlimited generator's, even with SRRCTL.DROP_EN: a ring smaller than the file, refilled by the
     * "driver" between passes, receives every record of the file in order and drops none.
     */
    @Test
    void aPcapReplayWaitsForDescriptorsAndDeliversEveryRecordInOrder(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in.pcap");
        List<byte[]> replay = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            byte[] f = Frames.raw(A, B, 60 + i % 200);
            f[14] = (byte) i;
            f[15] = (byte) (i >>> 8);
            replay.add(f);
        }
        try (PcapWriter w = new PcapWriter(in)) {
            FrameQueue q = new FrameQueue(512);
            replay.forEach(q::offer);
            while (w.drain(q) > 0) {
                // until every frame is in the file
            }
        }
        try (EmulatedDevice d = EmulatedDevice.openStepped("emu:wire=pcap,in=" + in + ",mac=" + A); VfRings r = new VfRings(d.vf())) {
            r.hello();
            r.setupRx(2, true, false, VfRings.RING - 1); // DROP_EN, as the PMD sets it
            for (int i = 0; i < 10; i++) {
                d.doWork();
            }
            assertThat(d.engine().counters().rxNoDescriptor()).as("a full ring holds the replay back; nothing dropped").isZero();
            List<byte[]> got = new ArrayList<>();
            int next = 0;
            for (int pass = 0; pass < 10_000 && got.size() < replay.size(); pass++) {
                while ((r.rxStatus(next) & 1) != 0) { // the driver's part: take what arrived, give the descriptor back
                    got.add(r.rxData(next));
                    r.armRx(next);
                    r.bar.write32(rx(VFRDT, 0), next); // the tail stays one behind the head, as a driver keeps it
                    next = (next + 1) % VfRings.RING;
                }
                d.doWork();
            }
            assertThat(d.engine().counters().rxNoDescriptor()).as("%s", d.engine().counters()).isZero();
            assertThat(got).as("every record of the file").hasSize(replay.size());
            for (int i = 0; i < replay.size(); i++) {
                assertThat(got.get(i)).as("frame %d", i).isEqualTo(replay.get(i));
            }
        }
    }

    /**
     * A device thread may stop between the engine's pass (frames sent, DD written back) and the pump's next
     * pass, which would have written them to the file. Stepped, that order is certain: one pass runs the pump
     * (nothing yet), then the engine (two frames queued); close() must still write both.
     */
    @Test
    void closeWritesEveryTransmittedFrameToThePcapFile(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out.pcap");
        List<byte[]> sent = List.of(Frames.raw(B, A, 70), Frames.raw(B, A, 1514));
        try (EmulatedDevice d = EmulatedDevice.openStepped("emu:wire=pcap,out=" + out + ",mac=" + A); VfRings r = new VfRings(d.vf())) {
            r.hello();
            r.setupTx();
            send(r, sent);
            d.doWork();
            assertThat(r.txDone(1)).isTrue();
            assertThat(d.wire().outbound().size()).as("sent, not yet written").isEqualTo(2);
        }
        try (PcapReader back = new PcapReader(out)) {
            FrameQueue q = new FrameQueue(4);
            back.fill(q);
            assertThat(q.poll()).isEqualTo(sent.get(0));
            assertThat(q.poll()).isEqualTo(sent.get(1));
            assertThat(q.poll()).isNull();
        }
    }

    // ---- faults from the device string and from the API

    @Test
    void faultOptionTakesTheLinkDownAndUpAgain() throws Exception {
        // Not by watching for the 200 ms down window, which a test thread descheduled for 200 ms would miss
        // and then wait for in vain. A time-0 step is in place when open returns (FaultPlan.applyAtOpen):
        try (EmulatedDevice d = EmulatedDevice.open("emu:wire=loopback,fault=link-down@0/3600s")) {
            assertThat(d.vf().bar(0).read32(VFLINKS) & LINKS_UP).as("down as soon as the port is open").isZero();
        }
        // and the link comes up again (final: this wait cannot miss it), not before DURATION has passed
        long opening = System.nanoTime();
        try (EmulatedDevice d = EmulatedDevice.open("emu:wire=loopback,fault=link-down@0/200ms")) {
            await("link up again", () -> (d.vf().bar(0).read32(VFLINKS) & LINKS_UP) != 0);
            assertThat(System.nanoTime() - opening).as("ns from open to the link reading up: down for the 200 ms first")
                    .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
        }
    }

    @Test
    void faultOptionResetsThePf() throws Exception {
        try (EmulatedDevice d = EmulatedDevice.open("emu:wire=loopback,fault=pf-reset@0/3600s")) {
            VfMailboxClient mbx = new VfMailboxClient(d.vf().bar(0));
            await("RSTI", () -> (mbx.readMailbox() & RSTI) != 0);
            assertThat(d.pf().vfState(0).clearToSend()).isFalse();
        }
        try (EmulatedDevice d = EmulatedDevice.open("emu:wire=loopback,fault=pf-reset@0/1ms")) {
            VfMailboxClient mbx = new VfMailboxClient(d.vf().bar(0));
            await("RSTD after the reset", () -> (mbx.readMailbox() & RSTD) != 0);
            assertThat(mbx.readMailbox() & RSTI).isZero();
        }
    }

    @Test
    void faultOptionDisablesTheVfAdministratively() throws Exception {
        try (EmulatedDevice d = EmulatedDevice.open("emu:wire=loopback,fault=disable@0")) {
            await("VF disabled", () -> !d.pf().vfState(0).linkState().enabled());
            VfMailboxClient mbx = new VfMailboxClient(d.vf().bar(0));
            mbx.resetAndHello();
            assertThat(d.pf().vfState(0).rxEnabled()).isFalse();
            assertThat(d.pf().vfState(0).txEnabled()).isFalse();
        }
    }

    @Test
    void faultOptionDropsAMailboxReply() { // @0 faults are in place when open returns
        try (EmulatedDevice d = EmulatedDevice.open("emu:wire=loopback,fault=mbx-drop@0")) {
            VfMailboxClient mbx = new VfMailboxClient(d.vf().bar(0));
            d.vf().bar(0).write32(VFCTRL, VFCTRL_RST);
            mbx.consumeMessage();
            assertThat(mbx.takeLock()).isTrue();
            mbx.send(VF_RESET);
            assertThat(mbx.awaitAck()).as("PFACK").isTrue();
            mbx.letPfRun();
            assertThat(mbx.consumeMessage()).as("but no reply").isFalse();
        }
    }

    @Test
    void faultOptionExhaustsRxSoGeneratedFramesAreDroppedAndCounted() throws Exception {
        // with a rate the generator is a link that does not wait for the port (rate=0 would wait for descriptors)
        try (EmulatedDevice d = EmulatedDevice.open("emu:wire=gen,count=20,rate=100k,fault=rx-exhaust@0,mac=" + A); VfRings r = new VfRings(d.vf())) {
            r.hello();
            r.setupRx(2, true, false, VfRings.RING - 1);
            // wait for what can only grow (every generated frame counted under some outcome), then look at
            // the outcome: an equality wait on one counter could never end if a frame were counted elsewhere
            var counters = d.engine().counters();
            await("all 20 frames taken from the generator and counted", () -> counters.rxTaken() >= 20);
            assertThat(counters.rxNoDescriptor()).as("%s", counters).isEqualTo(20);
            assertThat(r.rxStatus(0) & 1).isZero();
        }
    }

    @Test
    void injectorApiStallsTxAndDelaysWriteBack() throws Exception {
        try (EmulatedDevice d = EmulatedDevice.open("emu:wire=sink,mac=" + A); VfRings r = new VfRings(d.vf())) {
            r.hello();
            r.setupTx();
            d.faults().stallTx(0, true);
            // a pass that began before the stall may have read the old flag and would still send the frame
            // (VfDmaEngine.transmitPass reads it before TDT): let that pass end first
            awaitDevicePass(d.deviceThread());
            send(r, List.of(genFrame(B, A, 60, 0)));
            awaitDevicePass(d.deviceThread()); // a whole pass saw the new TDT (a sleep may end before one ran)
            assertThat(r.bar.read32(VFTDH)).as("stalled: TDH stays").isZero();
            assertThat(d.sink().received()).isZero();
            d.faults().stallTx(0, false);
            await("released", () -> d.sink().received() >= 1, d.sink()::toString);
            assertThat(d.sink().received()).as("%s", d.sink()).isEqualTo(1);
            d.faults().mailbox(MailboxFault.MALFORMED_REPLY);
            int[] reply = r.mbx.request(API_NEGOTIATE, API_12, 0);
            assertThat(reply[0] & 0xFFFF).as("malformed id").isEqualTo(0xFFFF);
            d.faults().removed(true);
            assertThat(r.bar.read32(VFLINKS)).isEqualTo(0xFFFFFFFF);
            d.faults().removed(false);
            d.faults().link(false);
            assertThat(r.bar.read32(VFLINKS) & LINKS_UP).isZero();
        }
    }
}
