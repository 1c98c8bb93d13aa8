/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.wire;

import dev.wirespeed.emulator.HostTools;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** pcap wire: what the writer records, the reader and tshark read back exactly. */
class PcapTest {
    @TempDir
    Path dir;

    private static List<byte[]> frames() {
        TrafficGenerator gen = new TrafficGenerator(0x02_00_00_00_00_01L, 0x02_00_00_00_00_02L, 60, 2, 0, 0);
        FrameQueue q = new FrameQueue(8);
        gen.fill(q);
        byte[] big = new byte[1514];
        Arrays.fill(big, (byte) 0x5A);
        System.arraycopy(q.poll(), 0, big, 0, 14);
        return List.of(q.poll(), q.poll(), big, q.poll());
    }

    private Path write(List<byte[]> frames) {
        Path file = dir.resolve("out.pcap");
        FrameQueue q = new FrameQueue(8);
        try (PcapWriter w = new PcapWriter(file)) {
            for (byte[] f : frames) {
                q.offer(f);
            }
            assertThat(w.drain(q)).isEqualTo(frames.size());
            assertThat(w.written()).isEqualTo(frames.size());
        }
        return file;
    }

    @Test
    void writtenFramesReadBackInOrder() {
        List<byte[]> sent = frames();
        Path file = write(sent);
        try (PcapReader r = new PcapReader(file)) {
            assertThat(r.records()).isEqualTo(sent.size());
            FrameQueue q = new FrameQueue(2);
            int got = 0;
            while (got < sent.size()) {
                int n = r.fill(q);
                assertThat(n).as("reader waits when the queue is full").isLessThanOrEqualTo(2);
                byte[] f;
                while ((f = q.poll()) != null) {
                    assertThat(f).isEqualTo(sent.get(got++));
                }
            }
            assertThat(r.fill(q)).isZero();
            assertThat(r.delivered()).isEqualTo(sent.size());
        }
    }

    @Test
    void theFileIsClassicLittleEndianEthernetPcap() throws IOException {
        List<byte[]> sent = frames();
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(write(sent))).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt(0)).isEqualTo(0xA1B2C3D4);
        assertThat(b.getShort(4)).isEqualTo((short) 2);
        assertThat(b.getShort(6)).isEqualTo((short) 4);
        assertThat(b.getInt(16)).as("snaplen").isEqualTo(65535);
        assertThat(b.getInt(20)).as("linktype Ethernet").isEqualTo(1);
        assertThat(b.getInt(24 + 8)).as("incl_len").isEqualTo(60);
        assertThat(b.getInt(24 + 12)).as("orig_len").isEqualTo(60);
        assertThat(b.getInt(24 + 4)).as("microseconds").isBetween(0, 999_999);
        assertThat(b.capacity()).isEqualTo(24 + sent.stream().mapToInt(f -> 16 + f.length).sum());
    }

    @Test
    void tsharkReadsTheFrames() {
        Assumptions.assumeTrue(HostTools.ensure("tshark", "tshark"), "tshark is not installed and cannot be (needs root and apt-get)");
        List<byte[]> sent = frames();
        Path file = write(sent);
        String out = HostTools.check(120, "tshark", "-r", file.toString(), "-T", "fields", "-e", "frame.len", "-e", "eth.src",
                "-e", "eth.dst", "-e", "ip.src", "-e", "udp.srcport", "-e", "data.data");
        List<String> lines = out.lines().filter(l -> !l.isBlank() && !l.startsWith("Running as")).toList();
        assertThat(lines).hasSize(sent.size());
        assertThat(lines.get(0).split("\t")).startsWith("60", "02:00:00:00:00:02", "02:00:00:00:00:01", "10.0.0.2", "1025");
        assertThat(lines.get(1).split("\t")).startsWith("60", "02:00:00:00:00:02", "02:00:00:00:00:01", "10.0.0.1", "1024");
        assertThat(lines.get(2).split("\t")[0]).isEqualTo("1514");
        // the UDP payload, exactly as sent (bytes 42..59)
        assertThat(lines.get(0).split("\t")[5]).isEqualTo(HexFormat.of().formatHex(sent.get(0), 42, 60));
    }

    @Test
    void readsBigEndianAndNanosecondFiles() throws IOException {
        byte[] frame = frames().get(0);
        ByteBuffer b = ByteBuffer.allocate(24 + 16 + frame.length).order(ByteOrder.BIG_ENDIAN);
        b.putInt(0xA1B23C4D).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        b.putInt(1).putInt(2).putInt(frame.length).putInt(frame.length).put(frame);
        Path file = dir.resolve("be.pcap");
        Files.write(file, b.array());
        try (PcapReader r = new PcapReader(file)) {
            FrameQueue q = new FrameQueue(2);
            assertThat(r.fill(q)).isEqualTo(1);
            assertThat(q.poll()).isEqualTo(frame);
        }
    }

    @Test
    void damagedFilesFailWhenOpenedNamingTheProblem() throws IOException {
        Path file = dir.resolve("bad.pcap");
        Files.write(file, new byte[10]);
        assertThatThrownBy(() -> new PcapReader(file)).hasMessageContaining("shorter than the 24-byte pcap file header");
        Files.write(file, new byte[24]);
        assertThatThrownBy(() -> new PcapReader(file)).hasMessageContaining("not a classic pcap magic");
        ByteBuffer b = ByteBuffer.allocate(24 + 16 + 10).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(105);
        Files.write(file, b.array());
        assertThatThrownBy(() -> new PcapReader(file)).hasMessageContaining("link type 105");
        b.putInt(20, 1).position(24);
        b.putInt(0).putInt(0).putInt(100).putInt(100);
        Files.write(file, b.array());
        assertThatThrownBy(() -> new PcapReader(file)).hasMessageContaining("record 0 at byte 24 is cut short");
        b.putInt(24 + 8, 5);
        Files.write(file, b.array());
        assertThatThrownBy(() -> new PcapReader(file)).hasMessageContaining("holds 5 bytes");
    }
}
