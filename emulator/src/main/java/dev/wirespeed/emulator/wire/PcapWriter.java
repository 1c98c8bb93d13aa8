/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.wire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Tx traffic into a classic libpcap file ({@code wire=pcap,out=FILE}): little-endian, microsecond
 * timestamps, snap length 65535, link type Ethernet (1), frames as sent (without CRC), which tshark and
 * tcpdump read. Records are buffered and written when the port goes quiet, when the buffer fills, and on
 * close, so the file is complete once the port is closed.
 */
public final class PcapWriter implements TxDrain {
    private static final int BURST = 64;
    private static final int BUFFER = 1 << 20;

    private final Path path;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
    private final MemorySegment bufferSegment = MemorySegment.ofBuffer(buffer);
    private final long epochMicros = System.currentTimeMillis() * 1000;
    private final long startNanos = System.nanoTime();
    private volatile long written;

    public PcapWriter(Path path) {
        this.path = path;
        try {
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("pcap output " + path + " cannot be created: " + e.getMessage(), e);
        }
        buffer.putInt(PcapReader.MAGIC_US).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                .putInt(65_535).putInt(PcapReader.LINKTYPE_ETHERNET);
    }

    @Override
    public int drain(FrameQueue outbound) {
        int n = 0;
        while (n < BURST) {
            int len = outbound.peekLength();
            if (len < 0) {
                break;
            }
            if (buffer.remaining() < 16 + len) {
                flush();
            }
            long micros = epochMicros + (System.nanoTime() - startNanos) / 1000;
            int at = buffer.position();
            buffer.putInt((int) (micros / 1_000_000)).putInt((int) (micros % 1_000_000)).putInt(len).putInt(len);
            outbound.peekInto(bufferSegment, at + 16);
            buffer.position(at + 16 + len);
            outbound.drop();
            n++;
        }
        if (n > 0) {
            written += n;
        } else if (buffer.position() > 0) {
            flush(); // quiet: make what was sent visible to readers of the file
        }
        return n;
    }

    private void flush() {
        buffer.flip();
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("pcap output " + path + ": write failed: " + e.getMessage(), e);
        } finally {
            buffer.clear();
        }
    }

    /** Frames written (or buffered to be written). */
    public long written() {
        return written;
    }

    @Override
    public void close() {
        try {
            flush();
        } finally {
            try {
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException("pcap output " + path + ": close failed: " + e.getMessage(), e);
            }
        }
    }
}
