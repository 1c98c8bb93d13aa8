/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.wire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Rx traffic from a classic libpcap file ({@code wire=pcap,in=FILE}): every record, in file order, as
 * fast as the port takes them (timestamps are not replayed). Either byte order and microsecond or
 * nanosecond timestamps; the link type must be Ethernet (1). The whole file is checked when opened, so
 * a damaged file fails there, naming the record, not later on the device thread.
 */
public final class PcapReader implements RxSource {
    static final int MAGIC_US = 0xA1B2C3D4, MAGIC_NS = 0xA1B23C4D, LINKTYPE_ETHERNET = 1;
    private static final int BURST = 32;

    private final Path path;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment file;
    private final ValueLayout.OfInt u32;
    private final int records;
    private long position = 24;
    private volatile long delivered;

    public PcapReader(Path path) {
        this.path = path;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            file = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
        } catch (IOException e) {
            arena.close();
            throw new UncheckedIOException("pcap input " + path + " cannot be read: " + e.getMessage(), e);
        }
        try {
            if (file.byteSize() < 24) {
                throw bad("is " + file.byteSize() + " bytes, shorter than the 24-byte pcap file header");
            }
            ValueLayout.OfInt le = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
            int magic = file.get(le, 0);
            if (magic == MAGIC_US || magic == MAGIC_NS) {
                u32 = le;
            } else if (Integer.reverseBytes(magic) == MAGIC_US || Integer.reverseBytes(magic) == MAGIC_NS) {
                u32 = le.withOrder(ByteOrder.BIG_ENDIAN);
            } else {
                throw bad(String.format("starts with 0x%08x, not a classic pcap magic (pcapng is not supported: convert with editcap -F pcap)", magic));
            }
            int linkType = file.get(u32, 20);
            if ((linkType & 0xFFFF) != LINKTYPE_ETHERNET) {
                throw bad("has link type " + linkType + "; only Ethernet (1) frames can arrive on an emulated port");
            }
            int n = 0;
            for (long p = 24; p < file.byteSize(); n++) {
                if (p + 16 > file.byteSize()) {
                    throw bad("record " + n + " at byte " + p + " has a truncated header");
                }
                int incl = file.get(u32, p + 8);
                if (incl < 14 || incl > FrameQueue.MAX_FRAME) {
                    throw bad("record " + n + " at byte " + p + " holds " + incl + " bytes; frames must be 14.." + FrameQueue.MAX_FRAME);
                }
                if (p + 16 + incl > file.byteSize()) {
                    throw bad("record " + n + " at byte " + p + " is cut short");
                }
                p += 16 + incl;
            }
            records = n;
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private IllegalArgumentException bad(String what) {
        return new IllegalArgumentException("pcap input " + path + " " + what);
    }

    @Override
    public int fill(FrameQueue inbound) {
        int n = 0;
        while (n < BURST && position < file.byteSize()) {
            int incl = file.get(u32, position + 8);
            if (!inbound.offer(file, position + 16, incl)) {
                break; // wait for the port; nothing from the file is dropped
            }
            position += 16 + incl;
            n++;
        }
        if (n > 0) {
            delivered += n;
        }
        return n;
    }

    /** Records in the file. */
    public int records() {
        return records;
    }

    /** Records handed to the port so far. */
    public long delivered() {
        return delivered;
    }

    @Override
    public void close() {
        arena.close();
    }
}
