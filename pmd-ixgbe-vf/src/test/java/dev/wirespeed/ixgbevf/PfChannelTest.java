/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.ixgbevf;

import dev.wirespeed.core.device.Bar;
import dev.wirespeed.core.device.vf.VfMailbox;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The PF conversation against a scripted mailbox that plays a PF which has withdrawn clear-to-send and so
 * answers every ACK of the VF with word 0 = NACK and no CTS (Linux {@code ixgbe_rcv_ack_from_vf}).
 */
class PfChannelTest {
    private static final int VFMAILBOX = 0x2FC, VFMBMEM = 0x200;
    private static final int VFU = 0x04, ACK = 0x02, REQ = 0x01, PFSTS = 0x10, PFACK = 0x20;
    private static final int NACK = 0x4000_0000, CTS = 0x2000_0000;

    /** One VF mailbox with a PF on the far side that is not clear to send. */
    private static final class NotClearToSendPf implements Bar {
        final int[] buffer = new int[16];
        boolean vfu, messageWaiting, acked;
        boolean answerRequests = true; // false: a request meets the NACK of an earlier ACK instead of its reply
        int acks;

        void pfSends(int w0) {
            buffer[0] = w0;
            messageWaiting = true;
        }

        @Override
        public int read32(long offset) {
            if (offset == VFMAILBOX) {
                int v = (vfu ? VFU : 0) | (messageWaiting ? PFSTS : 0) | (acked ? PFACK : 0);
                messageWaiting = false; // read to clear
                acked = false;
                return v;
            }
            if (offset >= VFMBMEM && offset < VFMBMEM + 64) {
                return buffer[(int) (offset - VFMBMEM) / 4];
            }
            return 0;
        }

        @Override
        public void write32(long offset, int value) {
            if (offset == VFMAILBOX) {
                vfu = (value & VFU) != 0;
                if ((value & ACK) != 0) {
                    acks++;
                    pfSends(NACK); // not clear to send: every ACK is answered with NACK, no CTS
                }
                if ((value & REQ) != 0) {
                    acked = true;
                    pfSends(answerRequests ? (buffer[0] & 0xFFFF) | NACK : NACK); // refused without CTS too
                }
            } else if (offset >= VFMBMEM && offset < VFMBMEM + 64) {
                buffer[(int) (offset - VFMBMEM) / 4] = value;
            }
        }

        @Override
        public long size() {
            return 16384;
        }

        @Override
        public String name() {
            return "scripted VF mailbox";
        }
    }

    @Test
    void aNackWithoutCtsAfterOurAckMeansClearToSendIsLostAndReadingStops() {
        NotClearToSendPf pf = new NotClearToSendPf();
        PfChannel channel = new PfChannel(new VfMailbox(pf, VFMAILBOX, VFMBMEM, 50_000_000, MailboxFailures.INSTANCE));
        pf.pfSends(0x100 | CTS); // a link-change ping sent while the PF was still clear to send
        assertThat(channel.pollUnsolicited()).isTrue();
        assertThat(channel.clearToSendLost()).as("the ping had CTS").isFalse();
        assertThat(channel.pollUnsolicited()).as("the PF's NACK to our ACK").isTrue();
        assertThat(channel.clearToSendLost()).as("NACK without CTS: the VF must reset").isTrue();
        for (int i = 0; i < 10; i++) {
            channel.pollUnsolicited();
        }
        assertThat(pf.acks).as("no ACK/NACK ping-pong once CTS is known lost").isEqualTo(2);
    }

    @Test
    void aNackWithoutCtsWhereAReplyWasExpectedSaysThePfIsNotReady() {
        NotClearToSendPf pf = new NotClearToSendPf();
        pf.answerRequests = false;
        PfChannel channel = new PfChannel(new VfMailbox(pf, VFMAILBOX, VFMBMEM, 50_000_000, MailboxFailures.INSTANCE));
        assertThatThrownBy(() -> channel.setMaxFrame(1518)).isInstanceOf(PfNotReadyException.class)
                .hasMessageContaining("NACK and no CTS");
        assertThat(channel.clearToSendLost()).isTrue();
    }

    /**
     * A PF coming up pings every VF without CTS (Linux ixgbe_set_all_vfs); a VF that resets meanwhile may find
     * that ping still unread when it sends VF_RESET. The ping predates the reset: clear-to-send is not lost
     * after it (it used to be, and the watchdog reset the VF a second time).
     */
    @Test
    void aPingWithoutCtsReadWhileSendingVfResetIsForgottenByTheReset() {
        NotClearToSendPf pf = new NotClearToSendPf(); // answers VF_RESET with 0x40000001: no MAC assigned
        PfChannel channel = new PfChannel(new VfMailbox(pf, VFMAILBOX, VFMBMEM, 50_000_000, MailboxFailures.INSTANCE));
        pf.pfSends(0x100); // a ping without CTS, not read yet
        PfChannel.ResetReply reply = channel.reset();
        assertThat(reply.mac()).isNull();
        assertThat(channel.pings()).as("the ping was seen").isEqualTo(1);
        assertThat(channel.clearToSendLost()).isFalse();
    }
}
