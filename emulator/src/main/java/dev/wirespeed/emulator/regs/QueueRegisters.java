/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.regs;

import static dev.wirespeed.emulator.regs.VfRegisterMap.DCA_RXCTRL_BIT12;
import static dev.wirespeed.emulator.regs.VfRegisterMap.DCA_TXCTRL_DESC_WRO;
import static dev.wirespeed.emulator.regs.VfRegisterMap.DCTL_ENABLE;
import static dev.wirespeed.emulator.regs.VfRegisterMap.SRRCTL_BSIZEPKT_MASK;
import static dev.wirespeed.emulator.regs.VfRegisterMap.SRRCTL_DESCTYPE_ADV_ONEBUF;
import static dev.wirespeed.emulator.regs.VfRegisterMap.SRRCTL_DESCTYPE_MASK;
import static dev.wirespeed.emulator.regs.VfRegisterMap.TXDCTL_SWFLSH;

/**
 * The registers of one rx/tx queue pair (facts §1.2). Plain registers are volatile fields: the driver
 * thread writes them through the BAR, the DMA engine's thread reads them (tails are doorbells it
 * polls), and the engine writes the heads.
 *
 * <p>RXDCTL/TXDCTL.ENABLE read back the queue's actual state (facts §1.2): a queue only turns on if
 * its ring is programmed in a way the model can run, and a DMA fault turns it off. Why a refusal is
 * a state rather than an exception: real hardware does not report errors to register writes; the
 * driver notices ENABLE not reading 1, and a test can ask {@link #rxRefusal()} why.
 */
public final class QueueRegisters {
    /** DCA_RXCTRL reset value: bit 12 comes up set (facts §8.7); other DCA bits [?] come up 0. */
    static final int DCA_RXCTRL_RESET = DCA_RXCTRL_BIT12;
    /** DCA_TXCTRL reset value: descriptor write-back relaxed ordering on, which drivers must clear (facts §8.13) [?]. */
    static final int DCA_TXCTRL_RESET = DCA_TXCTRL_DESC_WRO;
    /** SRRCTL reset value: 2 KiB packet buffers, 256-byte header buffers, legacy descriptors [? facts §3.4 step 5]. */
    static final int SRRCTL_RESET = 2 | (4 << VfRegisterMap.SRRCTL_BSIZEHDR_SHIFT);

    final int index;
    volatile int rdbal, rdbah, rdlen, dcaRxctrl, rdh, srrctl, rdt, rxdctl;
    volatile int tdbal, tdbah, tdlen, dcaTxctrl, tdh, tdt, txdctl, tdwbal, tdwbah;
    private volatile boolean rxOn, txOn;
    private volatile int rxStops; // times the rx queue went from running to stopped: what a held write-back checks
    private volatile int txStops; // the same for tx: the tx path forgets a half-gathered packet when it changed
    private volatile String rxRefusal, txRefusal;

    QueueRegisters(int index) {
        this.index = index;
        dcaRxctrl = DCA_RXCTRL_RESET;
        dcaTxctrl = DCA_TXCTRL_RESET;
        srrctl = SRRCTL_RESET;
    }

    int readRxdctl() {
        return rxOn ? rxdctl | DCTL_ENABLE : rxdctl & ~DCTL_ENABLE;
    }

    synchronized void writeRxdctl(int value) {
        rxdctl = value;
        if ((value & DCTL_ENABLE) == 0) {
            setRxOn(false);
            rxRefusal = null;
            return;
        }
        String why = rxConfigProblem();
        rxRefusal = why;
        setRxOn(why == null);
    }

    int readTxdctl() {
        return txOn ? txdctl | DCTL_ENABLE : txdctl & ~DCTL_ENABLE;
    }

    synchronized void writeTxdctl(int value) {
        txdctl = value & ~TXDCTL_SWFLSH; // SWFLSH is a self-clearing command
        if ((value & DCTL_ENABLE) == 0) {
            setTxOn(false);
            txRefusal = null;
            return;
        }
        String why = ringProblem("tx", tdbal, tdlen);
        txRefusal = why;
        setTxOn(why == null);
    }

    private String rxConfigProblem() {
        String ring = ringProblem("rx", rdbal, rdlen);
        if (ring != null) {
            return ring;
        }
        int type = srrctl & SRRCTL_DESCTYPE_MASK;
        if (type != SRRCTL_DESCTYPE_ADV_ONEBUF && type != 0) {
            // the chip runs these too; the model does not (a gap, not the chip's behaviour: see the README)
            return "rx queue " + index + ": SRRCTL.DESCTYPE is " + (type >>> 25)
                    + "; the emulator models legacy (0) and advanced one-buffer (1) descriptors, not header split";
        }
        if ((srrctl & SRRCTL_BSIZEPKT_MASK) == 0 || (srrctl & SRRCTL_BSIZEPKT_MASK) > 16) {
            return "rx queue " + index + ": SRRCTL.BSIZEPACKET is " + (srrctl & SRRCTL_BSIZEPKT_MASK)
                    + " KiB; it must be 1..16";
        }
        return null;
    }

    private String ringProblem(String dir, int baseLow, int lengthBytes) {
        if (lengthBytes == 0 || (lengthBytes & 127) != 0) {
            return dir + " queue " + index + ": ring length " + lengthBytes
                    + " bytes is not a non-zero multiple of 128 (8 descriptors); write it before setting ENABLE";
        }
        if ((baseLow & 15) != 0) {
            return dir + " queue " + index + ": ring base 0x" + Integer.toHexString(baseLow) + " is not 16-byte aligned";
        }
        return null;
    }

    /** How many times the rx queue has stopped (RXDCTL.ENABLE cleared, a fault, a VF reset). */
    public int rxStops() {
        return rxStops;
    }

    /** How many times the tx queue has stopped (TXDCTL.ENABLE cleared, a fault, a VF reset). */
    public int txStops() {
        return txStops;
    }

    // must hold the lock
    private void setRxOn(boolean on) {
        if (rxOn && !on) {
            rxStops++;
        }
        rxOn = on;
    }

    // must hold the lock
    private void setTxOn(boolean on) {
        if (txOn && !on) {
            txStops++;
        }
        txOn = on;
    }

    /** True while the rx queue is actually running (RXDCTL.ENABLE reads 1). */
    public boolean rxEnabled() {
        return rxOn;
    }

    public boolean txEnabled() {
        return txOn;
    }

    /** Why the last attempt to enable the rx queue did not take, or null. */
    public String rxRefusal() {
        return rxRefusal;
    }

    public String txRefusal() {
        return txRefusal;
    }

    /** Stops the rx queue on a fault (a DMA error); ENABLE reads 0 from now on and {@link #rxRefusal()} says why. */
    public synchronized void stopRx(String reason) {
        setRxOn(false);
        rxRefusal = reason;
    }

    public synchronized void stopTx(String reason) {
        setTxOn(false);
        txRefusal = reason;
    }

    /**
     * VF reset. Ring base and length return to 0, so a running queue stops. Heads, tails, SRRCTL,
     * RXDCTL/TXDCTL, head write-back and DCA control keep their values: the specification update lists
     * them as not reset by a VF reset (facts §8.8).
     */
    synchronized void reset() {
        rdbal = rdbah = rdlen = 0;
        tdbal = tdbah = tdlen = 0;
        if (rxOn) {
            setRxOn(false);
            rxRefusal = "rx queue " + index + " stopped by VF reset (ring base and length were reset)";
        }
        if (txOn) {
            setTxOn(false);
            txRefusal = "tx queue " + index + " stopped by VF reset (ring base and length were reset)";
        }
    }

    // ---- accessors for the DMA engine

    public int index() {
        return index;
    }

    public long rxRingBase() {
        return (Integer.toUnsignedLong(rdbah) << 32) | Integer.toUnsignedLong(rdbal);
    }

    public int rxRingBytes() {
        return rdlen;
    }

    public int rxHead() {
        return rdh;
    }

    public void setRxHead(int head) {
        rdh = head;
    }

    public int rxTail() {
        return rdt;
    }

    public int srrctl() {
        return srrctl;
    }

    public int dcaRxctrl() {
        return dcaRxctrl;
    }

    public int rxdctl() {
        return readRxdctl();
    }

    public long txRingBase() {
        return (Integer.toUnsignedLong(tdbah) << 32) | Integer.toUnsignedLong(tdbal);
    }

    public int txRingBytes() {
        return tdlen;
    }

    public int txHead() {
        return tdh;
    }

    public void setTxHead(int head) {
        tdh = head;
    }

    public int txTail() {
        return tdt;
    }

    public int txdctl() {
        return readTxdctl();
    }

    public int dcaTxctrl() {
        return dcaTxctrl;
    }

    /** Head write-back address (bits 1:0 of TDWBAL are flags, facts §1.2). */
    public long headWriteBackAddress() {
        return (Integer.toUnsignedLong(tdwbah) << 32) | Integer.toUnsignedLong(tdwbal & ~3);
    }

    public boolean headWriteBackEnabled() {
        return (tdwbal & VfRegisterMap.TDWBAL_HEAD_WB_EN) != 0;
    }

    /** What the PF does at VF_RESET: zeroes the head write-back registers (facts §3.4 step 8). */
    public void clearHeadWriteBack() {
        tdwbal = 0;
        tdwbah = 0;
    }
}
