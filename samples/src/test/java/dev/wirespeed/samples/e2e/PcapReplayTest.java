/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.samples.e2e;

import dev.wirespeed.samples.l2fwd.L2fwdRunner;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16 point 1: a pcap replay delivers every record of its file, in order, whatever the pace of the
 * driver behind it (the replay once started when the rx queue was enabled, before the driver posted its
 * buffers, and DROP_EN dropped what found no descriptor: 1,471 to 5,000 of 5,000 frames got through).
 * No root needed: emulated ports on anonymous memory. pktgen --mode rx over a pcap wire: PktGenTest.
 */
class PcapReplayTest {
    @BeforeAll
    static void emulatedPortsWork() {
        String problem = EmuDmaProbe.problem();
        Assumptions.assumeTrue(problem == null, () -> "emu: ports cannot carry traffic yet: " + problem);
    }

    /** 5,000 frames of 60..1,459 bytes, each numbered after its EtherType. */
    private static List<byte[]> fiveThousandFrames() {
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            byte[] f = new byte[60 + i % 1400];
            ByteBuffer b = ByteBuffer.wrap(f);
            b.put(new byte[] {2, 0, 0, 0, 0x55, 0}).put(new byte[] {2, 0, 0, 0, 0x66, 1}).putShort((short) 0x88B5).putInt(i);
            for (int k = 18; k < f.length; k++) {
                f[k] = (byte) (i * 31 + k);
            }
            sent.add(f);
        }
        return sent;
    }

    /**
     * The report's command: port 0 receives the whole file (it got 1,471 to 5,000 of it). On a busy machine
     * the output port may fall behind long enough for l2fwd to fill its tx ring; l2fwd then drops, as DPDK's
     * l2fwd does, and counts it (33 of 5,000 seen even with both ports on one device thread). So the check
     * is frame by frame over what l2fwd reports sent: the file holds exactly those (less any TX-errors), in
     * order, unchanged after the MACs, and sent + dropped is the whole file.
     */
    @Test
    void l2fwdReceivesEveryFrameOfA5000FramePcapAndWritesWhatItSendsInOrder(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in.pcap"), out = dir.resolve("out.pcap");
        List<byte[]> sent = fiveThousandFrames();
        PcapFile.write(in, sent);
        String result = L2fwdRunner.run("--dev", "emu:wire=pcap,in=" + in + ",mac=02:00:00:00:55:00",
                "--dev", "emu:wire=pcap,out=" + out + ",mac=02:00:00:00:55:01", "--duration", "1.5", "-T", "0");
        java.util.regex.Matcher port1 = java.util.regex.Pattern.compile(
                "port 1 .*\\| rx [0-9,]+  tx ([0-9,]+)  dropped ([0-9,]+) .* TX-errors ([0-9,]+)").matcher(result);
        assertThat(result).containsPattern("port 0 .*\\| rx 5,000  tx 0  dropped 0");
        assertThat(port1.find()).as(result).isTrue();
        long tx = Long.parseLong(port1.group(1).replace(",", "")), dropped = Long.parseLong(port1.group(2).replace(",", ""));
        long txErrors = Long.parseLong(port1.group(3).replace(",", ""));
        assertThat(tx + dropped).as(result).isEqualTo(5_000);
        List<byte[]> got = PcapFile.read(out);
        // TX-errors: frames the ring took but a VF reset discarded (its tx watchdog on a starved machine)
        assertThat(got).as(result).hasSize((int) (tx - txErrors));
        int last = -1;
        for (byte[] g : got) {
            int n = ByteBuffer.wrap(g).getInt(14);
            assertThat(n).as("frame numbers rise: nothing reordered").isGreaterThan(last);
            assertThat(Arrays.copyOfRange(g, 0, 12)).as("frame %d: MAC updating, destination 02:00:00:00:00:01, source port 1", n)
                    .containsExactly(2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0x55, 1);
            assertThat(Arrays.copyOfRange(g, 12, g.length)).as("frame %d after the MACs", n).containsExactly(Arrays.copyOfRange(sent.get(n), 12, sent.get(n).length));
            last = n;
        }
    }

    @Test
    void aSmallReplayIsForwardedWholeEveryTime(@TempDir Path dir) throws Exception {
        // "with a 100-frame file 1 run in 8 forwarded nothing": a few short runs
        Path in = dir.resolve("in.pcap");
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            byte[] f = new byte[64];
            ByteBuffer.wrap(f).put(new byte[] {2, 0, 0, 0, 0x55, 0}).put(new byte[] {2, 0, 0, 0, 0x66, 1}).putShort((short) 0x88B5).putInt(i);
            sent.add(f);
        }
        PcapFile.write(in, sent);
        for (int run = 0; run < 4; run++) {
            Path out = dir.resolve("out" + run + ".pcap");
            // 100 frames fit l2fwd's 1,024-entry tx ring: nothing can be dropped even with a device thread per port
            String result = L2fwdRunner.run("--dev", "emu:wire=pcap,in=" + in + ",mac=02:00:00:00:55:00",
                    "--dev", "emu:wire=pcap,out=" + out + ",mac=02:00:00:00:55:01", "--duration", "0.5", "-T", "0");
            List<byte[]> got = PcapFile.read(out);
            assertThat(got).as("run %d:%n%s", run, result).hasSize(100);
            for (int i = 0; i < got.size(); i++) {
                assertThat(ByteBuffer.wrap(got.get(i)).getInt(14)).as("run %d, frame %d", run, i).isEqualTo(i);
            }
        }
    }
}
