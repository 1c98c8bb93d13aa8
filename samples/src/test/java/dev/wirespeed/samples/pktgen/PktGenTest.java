/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.samples.pktgen;

import dev.wirespeed.core.dma.AnonymousDmaDomain;
import dev.wirespeed.core.packet.PacketBatch;
import dev.wirespeed.core.packet.PacketPool;
import dev.wirespeed.core.port.Port;
import dev.wirespeed.core.port.PortConfig;
import dev.wirespeed.core.port.Ports;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class PktGenTest {
    record Result(int exit, String out, String err) {
    }

    static Result run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new PktGen(out));
        cmd.setErr(new PrintWriter(err, true));
        cmd.setOut(new PrintWriter(out, true));
        dev.wirespeed.samples.common.Cli.configure(cmd, "pktgen");
        int exit = cmd.execute(args);
        return new Result(exit, bytes.toString(StandardCharsets.UTF_8), err.toString());
    }

    /** Skips a test where emu: ports cannot reach pktgen's pool (see EmuDmaProbe). */
    static void assumeEmulatedPortsCarryTraffic() {
        String problem = dev.wirespeed.samples.e2e.EmuDmaProbe.problem();
        org.junit.jupiter.api.Assumptions.assumeTrue(problem == null, () -> "emu: ports cannot carry pktgen's traffic yet: " + problem);
    }

    /** The summary of a run in which every one of {@code frames} frames arrived, in order and intact. */
    static String allDelivered(String frames) {
        return "rx checked: " + frames + " received = " + frames + " in order + 0 after a gap + 0 reordered + 0 duplicated + 0 corrupted"
                + " + 0 foreign; lost 0";
    }

    @Test
    void txRxOverARingPairDeliversEveryFrameInOrder() {
        Result r = run("--dev", "ring:pg-exact", "--dev", "ring:pg-exact", "--count", "200000", "--size", "128", "--flows", "8", "-T", "0", "--duration", "60");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("tx: 200,000 frames sent")
                .contains(allDelivered("200,000"))
                // issue 16 point 3: the ports' own loss counters, as testpmd names them
                .contains("port 0:  RX-missed 0  RX-errors 0  RX-nombuf 0  TX-errors 0")
                .contains("port 1:  RX-missed 0  RX-errors 0  RX-nombuf 0  TX-errors 0")
                .containsPattern("latency \\(µs\\): min [0-9.]+ +p50")
                .contains("all packet buffers returned to the pool");
    }

    @Test
    void txRxOverAnEmulatedVfPairDeliversEveryFrame() {
        assumeEmulatedPortsCarryTraffic();
        // Two emulated VFs back to back, each with its own device thread: paced so that a thread descheduled on a
        // busy machine cannot overrun the 512-entry rx ring (the VF drops then, as a real one with DROP_EN does).
        Result r = run("--dev", "emu:wire=pair:pg-emu", "--dev", "emu:wire=pair:pg-emu", "--count", "2000", "--rate", "1000",
                "--size", "256", "--flows", "4", "-T", "0", "--duration", "60");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("tx: 2,000 frames sent")
                .contains(allDelivered("2,000"))
                .contains("all packet buffers returned to the pool");
    }

    /**
     * Issue 16 point 2: the report's command, two emulated ports on one shared device thread at 10 kpps,
     * lost 63, 127 or 191 frames in the first second.
     */
    @Test
    void twoEmulatedPortsOnASharedDeviceThreadLoseNothingAt10kpps() {
        assumeEmulatedPortsCarryTraffic();
        Result r = run("--dev", "emu:wire=pair:pg-shared,thread=e", "--dev", "emu:wire=pair:pg-shared,thread=e",
                "--count", "20000", "--rate", "10000", "-T", "1", "--duration", "60");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("tx: 20,000 frames sent")
                .contains(allDelivered("20,000"));
        // point 3: each second says what the ports themselves lost
        assertThat(r.out()).containsPattern("received [0-9,]+  lost [0-9,]+  corrupted [0-9,]+  RX-missed [0-9,]+  RX-errors [0-9,]+  RX-nombuf [0-9,]+  TX-errors [0-9,]+");
    }

    /**
     * Issue 16 point 1: {@code pktgen --mode rx} over a pcap wire lost 4,068 of 4,899 frames (the replay ran
     * before the driver posted buffers, and DROP_EN dropped what found no descriptor). The file is written
     * here, not by a pktgen tx run: "sent" counts frames the tx ring took, and a port stopped at once may
     * not have put the last ones on the wire yet.
     */
    @Test
    void rxOverAPcapWireChecksEveryFrameOfTheFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        assumeEmulatedPortsCarryTraffic();
        int frames = 4_899, length = 60; // 64 bytes with CRC
        java.nio.ByteBuffer file = java.nio.ByteBuffer.allocate(24 + frames * (16 + length)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        file.putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65_535).putInt(1);
        java.lang.foreign.MemorySegment frame = java.lang.foreign.MemorySegment.ofArray(new byte[length]);
        for (int seq = 0; seq < frames; seq++) {
            TestFrame.write(frame, 0, length, 0xFFFF_FFFF_FFFFL, 0x0200_0000_0001L, seq, seq % 4, System.nanoTime());
            file.putInt(1_700_000_000).putInt(seq).putInt(length).putInt(length).put(frame.toArray(ValueLayout.JAVA_BYTE));
        }
        java.nio.file.Path pcap = dir.resolve("pktgen.pcap");
        java.nio.file.Files.write(pcap, file.array());
        Result r = run("--mode", "rx", "--dev", "emu:wire=pcap,in=" + pcap, "--count", "4899", "-T", "0", "--duration", "30");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains(allDelivered("4,899"));
    }

    /** Issue 16 point 11: NaN, infinity and a negative -T were accepted silently. */
    @Test
    void refusesNonNumericDurationsAndANegativeStatsPeriod() {
        for (String bad : new String[] {"NaN", "Infinity"}) {
            Result r = run("--dev", "ring:pg-bad", "--duration", bad);
            assertThat(r.exit()).as("--duration %s: %s", bad, r.out() + r.err()).isEqualTo(2);
            assertThat(r.err()).contains("pktgen: --duration and --drain must be numbers of seconds");
        }
        Result r = run("--dev", "ring:pg-bad", "-T", "-1");
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
        assertThat(r.err()).contains("pktgen: -T must be 0 (no periodic stats) or a number of seconds, got -1");
    }

    @Test
    void aPacedRunSendsTheCountAtTheRate() {
        // 2,000 frames at 10,000/s: the count is exact; the rate is a ceiling (a slow machine only makes it longer)
        long t0 = System.nanoTime();
        Result r = run("--dev", "ring:pg-paced", "--dev", "ring:pg-paced", "--count", "2000", "--rate", "10000", "-T", "0", "--duration", "60");
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains(allDelivered("2,000"));
        assertThat(seconds).as("2,000 frames at 10,000/s cannot take less than 0.2 s").isGreaterThanOrEqualTo(0.19);
    }

    @Test
    void lossAndCorruptionOnTheWayAreReportedWithANonZeroExit() throws Exception {
        // pktgen sends on ring:pg-a and receives on ring:pg-b; this test sits in between, dropping every
        // 10th frame and flipping one payload byte of frame 5.
        AtomicBoolean stop = new AtomicBoolean();
        try (AnonymousDmaDomain dma = new AnonymousDmaDomain("middle"); PacketPool pool = PacketPool.create("middle", dma, 2048)) {
            PortConfig cfg = PortConfig.builder().rxPool(pool).portId(10).build();
            Port in = Ports.open("ring:pg-a", cfg);
            Port out = Ports.open("ring:pg-b", cfg.toBuilder().portId(11).build());
            in.start();
            out.start();
            Thread middle = Thread.ofPlatform().start(() -> {
                pool.adopt();
                PacketBatch got = new PacketBatch(32);
                PacketBatch keep = new PacketBatch(32);
                long seen = 0;
                while (!stop.get()) {
                    int n = in.rx(0, got);
                    for (int i = 0; i < n; i++) {
                        int h = got.get(i);
                        PacketPool owner = PacketPool.of(h); // pktgen's pool: ring ports pass buffers, not copies
                        if (seen % 10 == 9) {
                            owner.free(h);
                        } else {
                            if (seen == 5) {
                                long at = owner.dataOffset(h) + 100;
                                owner.memory().set(ValueLayout.JAVA_BYTE, at, (byte) (owner.memory().get(ValueLayout.JAVA_BYTE, at) ^ 1));
                            }
                            keep.add(h);
                        }
                        seen++;
                    }
                    got.clear();
                    while (!keep.isEmpty() && !stop.get()) {
                        out.tx(0, keep);
                    }
                    keep.freeAll();
                }
            });
            Result r;
            try {
                r = run("--dev", "ring:pg-a", "--dev", "ring:pg-b", "--count", "10000", "--size", "128", "--drain", "3", "-T", "0", "--duration", "60");
            } finally {
                stop.set(true);
                middle.join(10_000);
                out.stop();
                in.stop();
                out.close();
                in.close();
            }
            assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(4);
            // 1,000 dropped, and the corrupted frame cannot vouch for its sequence number, so it is missing too;
            // of the 8,999 intact frames 1,000 arrive right after a gap (frames 6, 10, 20, ... 9990). Issue 16 point 16:
            // the terms add up to what was received (7,999 + 1,000 + 1 = 9,000); lost is what never came
            assertThat(r.out()).contains("rx checked: 9,000 received = 7,999 in order + 1,000 after a gap + 0 reordered + 0 duplicated"
                    + " + 1 corrupted + 0 foreign; lost 1,001 (never arrived intact)");
        }
    }

    @Test
    void rxOnlyChecksFramesFromAnotherSenderAndStopsAfterItsCount() throws Exception {
        // The test sends 5,000 pktgen frames from its own pool (ring ports hand buffers over, so the pool
        // must outlive the receiver) and pktgen --mode rx counts and checks them.
        try (AnonymousDmaDomain dma = new AnonymousDmaDomain("sender"); PacketPool pool = PacketPool.create("sender", dma, 4096)) {
            Result[] rx = new Result[1];
            Thread receiver = Thread.ofPlatform().start(() ->
                    rx[0] = run("--mode", "rx", "--dev", "ring:pg-rx", "--count", "5000", "-T", "0", "--duration", "60"));
            try (Port out = Ports.open("ring:pg-rx", PortConfig.builder().rxPool(pool).portId(20).build())) {
                out.start();
                PacketBatch batch = new PacketBatch(32);
                long seq = 0;
                // Until every frame is sent: the last burst may not fit a full ring and must be retried.
                while ((seq < 5000 || !batch.isEmpty()) && receiver.isAlive()) {
                    while (batch.remaining() > 0 && seq < 5000) {
                        int h = pool.alloc();
                        if (h == PacketPool.NO_PACKET) {
                            break;
                        }
                        pool.setLength(h, 100);
                        TestFrame.write(pool.memory(), pool.dataOffset(h), 100, -1L >>> 16, 0x0200_0000_0009L, seq++, 0, System.nanoTime());
                        batch.add(h);
                    }
                    out.tx(0, batch);
                }
                receiver.join(60_000);
                batch.freeAll();
                out.stop();
            }
            assertThat(rx[0]).as("receiver finished").isNotNull();
            assertThat(rx[0].exit()).as(rx[0].out() + rx[0].err()).isZero();
            assertThat(rx[0].out()).contains(allDelivered("5,000"));
        }
    }

    /**
     * Runs pktgen with one ring port and {@code --reflector}; this test is the reflector at the other end of
     * the ring, returning every frame with the addresses swapped (testpmd's macswap) or, if {@code swap} is
     * false, as it came (testpmd's io mode, which a one-port peer must not use). Returns pktgen's result.
     */
    private static Result throughAReflector(String ring, boolean swap, long[] framesNotToTheReflector) throws Exception {
        long reflectorMac = 0x0200_0000_0042L;
        AtomicBoolean stop = new AtomicBoolean();
        try (AnonymousDmaDomain dma = new AnonymousDmaDomain("reflector"); PacketPool pool = PacketPool.create("reflector", dma, 2048);
             Port peer = Ports.open(ring, PortConfig.builder().rxPool(pool).portId(30).build())) {
            peer.start();
            Thread reflector = Thread.ofPlatform().start(() -> {
                pool.adopt();
                PacketBatch batch = new PacketBatch(32);
                while (!stop.get()) {
                    int n = peer.rx(0, batch);
                    for (int i = 0; i < n; i++) {
                        int h = batch.get(i);
                        PacketPool owner = PacketPool.of(h); // pktgen's: ring ports pass buffers
                        long at = owner.dataOffset(h);
                        if (TestFrame.destination(owner.memory(), at) != reflectorMac) {
                            framesNotToTheReflector[0]++;
                        }
                        if (swap) {
                            long dst = TestFrame.destination(owner.memory(), at), src = TestFrame.source(owner.memory(), at);
                            byte[] both = new byte[12];
                            for (int k = 0; k < 6; k++) {
                                both[k] = (byte) (src >>> (40 - 8 * k));
                                both[6 + k] = (byte) (dst >>> (40 - 8 * k));
                            }
                            MemorySegment.copy(both, 0, owner.memory(), ValueLayout.JAVA_BYTE, at, 12);
                        }
                    }
                    while (!batch.isEmpty() && !stop.get()) {
                        peer.tx(0, batch);
                    }
                    batch.freeAll();
                }
            });
            try {
                return run("--dev", ring, "--reflector", "02:00:00:00:00:42", "--count", "5000", "--size", "100", "--drain", "2",
                        "-T", "0", "--duration", "60");
            } finally {
                stop.set(true);
                reflector.join(10_000);
                peer.stop();
            }
        }
    }

    @Test
    void behindAMacSwappingReflectorEveryFrameComesBackFromIt() throws Exception {
        long[] notToTheReflector = new long[1];
        Result r = throughAReflector("ring:pg-macswap", true, notToTheReflector);
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(notToTheReflector[0]).as("frames pktgen did not address to the reflector").isZero();
        assertThat(r.out()).contains("tx: 5,000 frames sent")
                .contains("rx checked: 5,000 received = 5,000 in order + 0 after a gap + 0 reordered + 0 duplicated + 0 corrupted + 0 foreign"
                        + " + 0 misaddressed; lost 0")
                .containsPattern("latency \\(µs, round trip\\): min [0-9.]+ +p50")
                .contains("all packet buffers returned to the pool");
    }

    @Test
    void aReflectorThatReturnsFramesUnswappedIsCaught() throws Exception {
        // The frames come back intact but still addressed to the reflector: without the address check they
        // would pass as delivered.
        Result r = throughAReflector("ring:pg-noswap", false, new long[1]);
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(4);
        assertThat(r.out()).contains("rx checked: 5,000 received = 0 in order + 0 after a gap + 0 reordered + 0 duplicated + 0 corrupted"
                + " + 0 foreign + 5,000 misaddressed; lost 5,000");
    }

    @Test
    void reflectorNeedsOneDevInTxRxModeAndAValidAddress() {
        assertThat(run("--dev", "ring:x", "--dev", "ring:x", "--reflector", "02:00:00:00:00:01").err())
                .contains("--reflector needs --mode tx-rx and exactly one --dev");
        assertThat(run("--mode", "tx", "--dev", "ring:x", "--reflector", "02:00:00:00:00:01").err())
                .contains("--reflector needs --mode tx-rx");
        assertThat(run("--dev", "ring:x", "--reflector", "02:00:00:00:00:01", "--dst-mac", "02:00:00:00:00:02").err())
                .contains("replaces --dst-mac");
        Result r = run("--dev", "ring:x", "--reflector", "not-a-mac");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("not-a-mac");
    }

    /** Issue 16 point 16: each run announces and reports only the sides it has. */
    @Test
    void aTxOnlyRunReportsNoReceiveSideAndAnRxOnlyRunNoSendSide() {
        Result tx = run("--mode", "tx", "--dev", "null:size=64", "--rate", "1000", "--duration", "1.3", "-T", "1");
        assertThat(tx.exit()).as(tx.out() + tx.err()).isZero();
        assertThat(tx.out()).contains("pktgen: tx, 64-byte frames, no count limit, 1,000 frames/s, 1 flow(s)")
                .containsPattern("1\\.\\d s  tx +[0-9.]+ Mpps  \\|  sent [0-9,]+  RX-missed")
                .doesNotContain("received").doesNotContain("rx checked");
        Result rx = run("--mode", "rx", "--dev", "null:size=64", "--duration", "1.3", "-T", "1");
        assertThat(rx.out()).as(rx.out() + rx.err()).contains("pktgen: rx, checking the frames another pktgen sends, stops after 1.3 s")
                .containsPattern("1\\.\\d s  rx +[0-9.]+ Mpps  \\|  received [0-9,]+  lost 0  corrupted 0  RX-missed")
                .doesNotContain("-byte frames").doesNotContain("flow(s)").doesNotContain("sent").doesNotContain("tx ");
    }

    /** Issue 16 point 16: a bad --dst-mac was found only after the ports had opened. */
    @Test
    void dstMacIsCheckedBeforeAnyPortOpens() {
        // nope:1 cannot be opened: a run that opened ports first would report the scheme, not the address
        Result r = run("--dev", "nope:1", "--dst-mac", "02:00:zz:00:00:01");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("02:00:zz:00:00:01").doesNotContain("unknown scheme");
        Result rx = run("--mode", "rx", "--dev", "nope:1", "--dst-mac", "02:00:00:00:00:01");
        assertThat(rx.exit()).isEqualTo(2);
        assertThat(rx.err()).contains("--dst-mac addresses the frames pktgen sends, and --mode rx sends none");
    }

    /** Issue 16 point 15 for pktgen: a pool too small for the rings is refused in pktgen's terms, with the minimum. */
    @Test
    void aPoolTooSmallForTheRingsNamesTheMinimum() {
        Result r = run("--dev", "nope:1", "--dev", "nope:2", "--pool-size", "10");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--pool-size 10 is too small for pktgen --mode tx-rx: 2 port(s) fill their rx rings with 512 buffers"
                + " each, the tx ring holds up to 512 frames in flight, a burst of 32 (--burst) is written ahead, a received burst of 32"
                + " is checked; give --pool-size 1600 or more");
        assertThat(run("--mode", "rx", "--dev", "nope:1", "--pool-size", "543").err()).contains("give --pool-size 544 or more");
        // the minimum is enough: a tx-rx run over one ring with exactly that many buffers delivers everything
        Result ok = run("--dev", "ring:pg-min", "--dev", "ring:pg-min", "--pool-size", "1600", "--count", "20000", "-T", "0", "--duration", "60");
        assertThat(ok.exit()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).contains("lost 0").contains("all packet buffers returned to the pool");
    }

    /** Issue 16 point 16: the emulator's generator sends up to 9728-byte frames and 65,536 flows; so does pktgen now. */
    @Test
    void jumboFramesAndTheEmulatorsFlowCountGoThroughARing() {
        Result r = run("--dev", "ring:pg-jumbo", "--dev", "ring:pg-jumbo", "--size", "9728", "--flows", "65536", "--count", "3000",
                "--pool-size", "2048", "-T", "0", "--duration", "60");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("pktgen: tx-rx, 9728-byte frames, 3,000 frames, full rate, 65536 flow(s)")
                .contains(allDelivered("3,000"));
    }

    /** The same through the VF driver: a jumbo MTU negotiated with the emulated PF and rx buffers that hold a whole frame. */
    @Test
    void jumboFramesGoThroughAnEmulatedVfPair() {
        assumeEmulatedPortsCarryTraffic();
        // an 82599 PF grants a VF jumbo frames only when its own MTU is a jumbo one (Linux ixgbe_set_vf_lpe)
        String port = "emu:wire=pair:pg-jumbo-emu,pf_mtu=9710";
        Result r = run("--dev", port, "--dev", port, "--size", "9728", "--count", "1000", "--rate", "1000", "--pool-size", "2048",
                "-T", "0", "--duration", "60");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains(allDelivered("1,000"));
    }

    @Test
    void badOptionsGiveOneClearLine() {
        assertThat(run("--dev", "ring:x", "--size", "63").err()).contains("--size must be 64..9728");
        assertThat(run("--dev", "ring:x", "--mode", "both").err()).contains("expected tx, rx or tx-rx");
        assertThat(run("--mode", "tx", "--dev", "ring:x", "--dev", "ring:y").err()).contains("give one --dev for --mode tx or rx");
        Result r = run("--dev", "nope:1");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("unknown scheme 'nope'");
    }

    @Test
    void helpDescribesModesAndExitStatus() {
        Result r = run("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("--mode").contains("--rate").contains("--flows").contains("4 the receiver saw loss");
    }
}
