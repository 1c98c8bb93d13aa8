/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.regs;

import dev.wirespeed.core.device.Bar;
import dev.wirespeed.emulator.Flavour;
import dev.wirespeed.emulator.mailbox.VfMailbox;

import dev.wirespeed.emulator.time.DeviceClock;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;

import static dev.wirespeed.emulator.regs.VfRegisterMap.*;

/**
 * BAR0 of one emulated VF: decodes an offset to the register it names and applies that register's
 * semantics inside the call, the way a hypervisor traps MMIO. Interrupt registers go to the
 * {@link InterruptUnit}, the mailbox to the {@link VfMailbox}, queue registers to {@link QueueRegisters},
 * counters to {@link VfStatistics}. VFCTRL.RST calls the reset handler the PF model installs, since
 * the PF takes part in a VF reset.
 *
 * <p>Offsets the facts sheet does not describe read 0 and ignore writes, and are counted in
 * {@link #ignoredAccesses()}. Misaligned or out-of-window offsets are driver bugs and throw.
 *
 * <p>Writes normally take effect inside {@link #write32}. With {@link #postWrites} they are posted, as on
 * PCIe: queued and applied by the device clock a little later, and a {@link #read32} applies every earlier
 * write before it reads. The default path pays one null check for this.
 */
public final class RegisterFile implements Bar {
    private final String name;
    private final Flavour flavour;
    private final InterruptUnit interrupts;
    private final VfMailbox mailbox;
    private final VfStatistics statistics = new VfStatistics();
    private final QueueRegisters[] queues = new QueueRegisters[QUEUE_COUNT];
    private final IgnoredAccessLog ignored;
    private final IntSupplier links;
    private final Runnable resetHandler;
    private volatile int psrtype;
    private volatile boolean removed;
    private volatile int mrqc;
    private final AtomicIntegerArray rssKey = new AtomicIntegerArray(RSSRK_COUNT);
    private final AtomicIntegerArray reta = new AtomicIntegerArray(RETA_COUNT);
    private final BurstFence rxBursts = new BurstFence();
    private final BurstFence txBursts = new BurstFence();
    private IntConsumer maliciousDriverHandler = q -> { };
    private PostedWrites posted; // null: writes apply at once; set before the VF is handed out

    /**
     * @param links        current VFLINKS value (the PF model owns the link)
     * @param resetHandler runs the VF reset when VFCTRL.RST is written
     */
    public RegisterFile(String name, Flavour flavour, InterruptUnit interrupts, VfMailbox mailbox, IntSupplier links, Runnable resetHandler) {
        this.name = Objects.requireNonNull(name, "name");
        this.flavour = Objects.requireNonNull(flavour, "flavour");
        this.interrupts = Objects.requireNonNull(interrupts, "interrupts");
        this.mailbox = Objects.requireNonNull(mailbox, "mailbox");
        this.links = Objects.requireNonNull(links, "links");
        this.resetHandler = Objects.requireNonNull(resetHandler, "resetHandler");
        this.ignored = new IgnoredAccessLog(name);
        for (int q = 0; q < QUEUE_COUNT; q++) {
            queues[q] = new QueueRegisters(q);
        }
    }

    @Override
    public int read32(long offset) {
        int off = check(offset);
        PostedWrites p = posted;
        if (p != null) {
            p.flush(); // a read does not pass the writes posted before it
        }
        if (removed) {
            return 0xFFFFFFFF; // nothing answers: a read of a vanished device returns all ones (facts §1)
        }
        if (off >= TX_BLOCK && off < TX_BLOCK + QUEUE_COUNT * QUEUE_STRIDE) {
            return readTx(off);
        }
        if (off >= RX_BLOCK && off < RX_BLOCK + QUEUE_COUNT * QUEUE_STRIDE) {
            return readRx(off);
        }
        if (off >= MBMEM && off < MBMEM + 4 * MBMEM_WORDS) {
            return mailbox.readWord((off - MBMEM) >> 2);
        }
        if (off >= IVAR_BASE && off < IVAR_BASE + 4 * IVAR_COUNT) {
            return interrupts.readIvar((off - IVAR_BASE) >> 2);
        }
        if (off >= EITR_BASE && off < EITR_BASE + 4 * InterruptUnit.VECTORS) {
            return interrupts.readEitr((off - EITR_BASE) >> 2);
        }
        if (flavour.isX550Family()) {
            if (off == MRQC) {
                return mrqc;
            }
            if (off >= RSSRK_BASE && off < RSSRK_BASE + 4 * RSSRK_COUNT) {
                return rssKey.get((off - RSSRK_BASE) >> 2);
            }
            if (off >= RETA_BASE && off < RETA_BASE + 4 * RETA_COUNT) {
                return reta.get((off - RETA_BASE) >> 2);
            }
        }
        return switch (off) {
            case CTRL -> 0; // RST self-clears; no other bit is modelled
            case STATUS -> 0; // bit meanings unknown (facts §1.1 [?]); drivers read it to flush and to detect removal
            case LINKS -> links.getAsInt();
            case EICR -> interrupts.readEicr();
            case EICS -> interrupts.readEics();
            case EIMS -> interrupts.readEims();
            case EIMC -> 0; // write-only [?]
            case EIAC -> interrupts.readEiac();
            case EIAM -> interrupts.readEiam();
            case IVAR_MISC -> interrupts.readIvarMisc();
            case MAILBOX -> mailbox.readControl();
            case PSRTYPE -> psrtype;
            default -> {
                ignored.read(off);
                yield 0;
            }
        };
    }

    @Override
    public void write32(long offset, int value) {
        int off = check(offset);
        PostedWrites p = posted;
        if (p != null) {
            p.post(off, value);
            return;
        }
        apply(off, value);
    }

    /** A write reaching the device: its register's semantics run now. */
    private void apply(int off, int value) {
        if (removed) {
            return;
        }
        if (off >= TX_BLOCK && off < TX_BLOCK + QUEUE_COUNT * QUEUE_STRIDE) {
            writeTx(off, value);
            return;
        }
        if (off >= RX_BLOCK && off < RX_BLOCK + QUEUE_COUNT * QUEUE_STRIDE) {
            writeRx(off, value);
            return;
        }
        if (off >= MBMEM && off < MBMEM + 4 * MBMEM_WORDS) {
            mailbox.writeWord((off - MBMEM) >> 2, value);
            return;
        }
        if (off >= IVAR_BASE && off < IVAR_BASE + 4 * IVAR_COUNT) {
            interrupts.writeIvar((off - IVAR_BASE) >> 2, value);
            return;
        }
        if (off >= EITR_BASE && off < EITR_BASE + 4 * InterruptUnit.VECTORS) {
            interrupts.writeEitr((off - EITR_BASE) >> 2, value);
            return;
        }
        if (flavour.isX550Family()) {
            if (off == MRQC) {
                mrqc = value;
                return;
            }
            if (off >= RSSRK_BASE && off < RSSRK_BASE + 4 * RSSRK_COUNT) {
                rssKey.set((off - RSSRK_BASE) >> 2, value);
                return;
            }
            if (off >= RETA_BASE && off < RETA_BASE + 4 * RETA_COUNT) {
                reta.set((off - RETA_BASE) >> 2, value);
                return;
            }
        }
        switch (off) {
            case CTRL -> {
                if ((value & CTRL_RESET) != 0) {
                    resetHandler.run();
                }
            }
            case EICR -> interrupts.writeEicr(value);
            case EICS -> interrupts.writeEics(value);
            case EIMS -> interrupts.writeEims(value);
            case EIMC -> interrupts.writeEimc(value);
            case EIAC -> interrupts.writeEiac(value);
            case EIAM -> interrupts.writeEiam(value);
            case IVAR_MISC -> interrupts.writeIvarMisc(value);
            case MAILBOX -> mailbox.writeControl(value);
            case PSRTYPE -> psrtype = value;
            default -> ignored.write(off, value); // includes STATUS and LINKS, which are read-only
        }
    }

    private int readRx(int off) {
        switch (off) {
            case GPRC:
                return statistics.gprc();
            case GORC_LSB:
                return statistics.gorcLsb();
            case GORC_MSB:
                return statistics.gorcMsb();
            case MPRC:
                return statistics.mprc();
            default:
                break;
        }
        QueueRegisters q = queues[(off - RX_BLOCK) / QUEUE_STRIDE];
        return switch ((off - RX_BLOCK) % QUEUE_STRIDE) {
            case RDBAL -> q.rdbal;
            case RDBAH -> q.rdbah;
            case RDLEN -> q.rdlen;
            case DCA_RXCTRL -> q.dcaRxctrl;
            case RDH -> q.rdh;
            case SRRCTL -> q.srrctl;
            case RDT -> q.rdt;
            case RXDCTL -> q.readRxdctl();
            default -> {
                ignored.read(off);
                yield 0;
            }
        };
    }

    private void writeRx(int off, int value) {
        QueueRegisters q = queues[(off - RX_BLOCK) / QUEUE_STRIDE];
        switch ((off - RX_BLOCK) % QUEUE_STRIDE) {
            case RDBAL -> q.rdbal = value;
            case RDBAH -> q.rdbah = value;
            case RDLEN -> q.rdlen = value;
            case DCA_RXCTRL -> q.dcaRxctrl = value;
            case RDH -> q.rdh = value & 0xFFFF;
            case SRRCTL -> q.srrctl = value;
            case RDT -> q.rdt = value & 0xFFFF;
            case RXDCTL -> {
                q.writeRxdctl(value);
                if ((value & VfRegisterMap.DCTL_ENABLE) == 0) {
                    rxBursts.awaitQuiet(); // off means off: no frame of a burst in flight lands after this
                }
            }
            default -> ignored.write(off, value); // includes the counters, which are read-only
        }
    }

    private int readTx(int off) {
        switch (off) {
            case GPTC:
                return statistics.gptc();
            case GOTC_LSB:
                return statistics.gotcLsb();
            case GOTC_MSB:
                return statistics.gotcMsb();
            default:
                break;
        }
        QueueRegisters q = queues[(off - TX_BLOCK) / QUEUE_STRIDE];
        return switch ((off - TX_BLOCK) % QUEUE_STRIDE) {
            case TDBAL -> q.tdbal;
            case TDBAH -> q.tdbah;
            case TDLEN -> q.tdlen;
            case DCA_TXCTRL -> q.dcaTxctrl;
            case TDH -> q.tdh;
            case TDT -> q.tdt;
            case TXDCTL -> q.readTxdctl();
            case TDWBAL -> q.tdwbal;
            case TDWBAH -> q.tdwbah;
            default -> {
                ignored.read(off);
                yield 0;
            }
        };
    }

    private void writeTx(int off, int value) {
        QueueRegisters q = queues[(off - TX_BLOCK) / QUEUE_STRIDE];
        switch ((off - TX_BLOCK) % QUEUE_STRIDE) {
            case TDBAL -> q.tdbal = value;
            case TDBAH -> q.tdbah = value;
            case TDLEN -> q.tdlen = value;
            case DCA_TXCTRL -> q.dcaTxctrl = value;
            case TDH -> q.tdh = value & 0xFFFF;
            case TDT -> q.tdt = value & 0xFFFF;
            case TXDCTL -> {
                q.writeTxdctl(value);
                if ((value & VfRegisterMap.DCTL_ENABLE) == 0) {
                    txBursts.awaitQuiet(); // off means off: no buffer of a burst in flight is read after this
                }
            }
            case TDWBAL -> q.tdwbal = value;
            case TDWBAH -> q.tdwbah = value;
            default -> ignored.write(off, value);
        }
    }

    private int check(long offset) {
        if (offset < 0 || offset > BAR0_SIZE - 4 || (offset & 3) != 0) {
            throw new IllegalArgumentException(name + ": register offset 0x" + Long.toHexString(offset)
                    + " is " + ((offset & 3) != 0 ? "not 4-byte aligned" : "outside the " + BAR0_SIZE + "-byte BAR")
                    + "; VF registers are 32-bit at offsets 0x0..0x" + Integer.toHexString(BAR0_SIZE - 4));
        }
        return (int) offset;
    }

    /**
     * The register part of a VF reset: interrupt registers and ring bases and lengths return to 0;
     * PSRTYPE, SRRCTL, RXDCTL/TXDCTL, heads/tails, head write-back and DCA control survive (facts §8.8).
     * The X550 VF RSS registers return to 0 [?]. The statistics counters are not cleared: the VF cannot
     * clear them (facts §1.3), and a VF (re)attaching finds them already counting ("The VF stats registers
     * never have a truly virgin starting point", FreeBSD/NetBSD ixv_save_stats) [inference: the datasheet's
     * reset table was not available]. A PF (device) reset does clear them (see {@link VfStatistics#clear()}).
     */
    public void resetRegisters() {
        interrupts.reset();
        for (QueueRegisters q : queues) {
            q.reset();
        }
        rxBursts.awaitQuiet();
        txBursts.awaitQuiet();
        mrqc = 0;
        for (int i = 0; i < RSSRK_COUNT; i++) {
            rssKey.set(i, 0);
        }
        for (int i = 0; i < RETA_COUNT; i++) {
            reta.set(i, 0);
        }
    }

    /**
     * Posts BAR writes from now on: each lands {@code delayNanos} later on {@code clock}, reads flush them
     * (see {@link PostedWrites}). Called by the PF while it builds the VF, before any driver has it.
     */
    public void postWrites(DeviceClock clock, long delayNanos) {
        posted = new PostedWrites(this::apply, clock, delayNanos);
    }

    /** Writes posted and not yet applied (0 when writes are not posted). */
    public int postedWritesPending() {
        PostedWrites p = posted;
        return p == null ? 0 : p.pending();
    }

    /** Who hears of a malicious-driver event (the PF model installs itself). */
    public void onMaliciousDriver(IntConsumer handler) {
        this.maliciousDriverHandler = Objects.requireNonNull(handler, "handler");
    }

    /**
     * Malicious-driver detection stopped tx queue {@code queue} (X550, facts §8.9): the chip reports it to the
     * PF, which handles it on its own time. Called on a device thread; the handler must not block.
     */
    public void reportMaliciousDriver(int queue) {
        maliciousDriverHandler.accept(queue);
    }

    /** The device clock this VF's timers run on. */
    public DeviceClock clock() {
        return interrupts.clock();
    }

    /** What a register write that stops receive waits on; the rx engine marks its bursts in it. */
    public BurstFence rxBursts() {
        return rxBursts;
    }

    /** What a register write that stops transmit waits on; the tx engine marks its bursts in it. */
    public BurstFence txBursts() {
        return txBursts;
    }

    @Override
    public long size() {
        return BAR0_SIZE;
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * Fault: the device disappears (surprise removal, or the PF disabled the VF): every read returns
     * 0xFFFFFFFF and writes go nowhere, which drivers detect on VFSTATUS (facts §1).
     */
    public void setRemoved(boolean gone) {
        removed = gone;
    }

    /** PSRTYPE, for the DMA engine (RQPL in bits 31:29 = log2 of the pool's RSS queues, facts §1.1). */
    public int psrtype() {
        return psrtype;
    }

    /** X550 VFMRQC. */
    public int vfMrqc() {
        return mrqc;
    }

    /** X550 VFRSSRK register {@code i} (0..9): key bytes 4i..4i+3, byte 4i lowest. */
    public int vfRssKey(int i) {
        return rssKey.get(i);
    }

    /** X550 VFRETA entry {@code i} (0..63), 8 bits each, 4 per register [? byte order: entry 4n in the low byte]. */
    public int vfRetaEntry(int i) {
        return (reta.get(i >> 2) >>> (8 * (i & 3))) & 0xFF;
    }

    public QueueRegisters queue(int q) {
        return queues[q];
    }

    public InterruptUnit interrupts() {
        return interrupts;
    }

    public VfStatistics statistics() {
        return statistics;
    }

    public VfMailbox mailbox() {
        return mailbox;
    }

    public IgnoredAccessLog ignoredAccesses() {
        return ignored;
    }

    public Flavour flavour() {
        return flavour;
    }

    @Override
    public String toString() {
        return name;
    }
}
