/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.mailbox;

import dev.wirespeed.core.device.Bar;
import dev.wirespeed.core.os.EventFd;
import dev.wirespeed.core.packet.MacAddress;
import dev.wirespeed.emulator.VfMailboxClient;
import dev.wirespeed.emulator.pf.EmulatedPf;
import dev.wirespeed.emulator.pf.MailboxFault;
import dev.wirespeed.emulator.pf.PfConfig;
import dev.wirespeed.emulator.time.ManualDeviceClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.wirespeed.emulator.Facts.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The legacy mailbox protocol through VFMAILBOX and VFMBMEM (facts §3.1, §3.2, §3.6). */
class MailboxProtocolTest {
    private EmulatedPf pf;
    private Bar bar;
    private VfMailboxClient vf;

    @BeforeEach
    void setUp() {
        pf = new EmulatedPf(new PfConfig().clock(new ManualDeviceClock()));
        pf.setVfMac(0, MacAddress.parse("02:00:00:00:00:01"));
        bar = pf.vf(0).bar(0);
        vf = new VfMailboxClient(bar);
    }

    @AfterEach
    void tearDown() {
        pf.close();
    }

    @Test
    void vfuSticksWhenWrittenAndIsReleasedByWritingZero() {
        bar.read32(VFMAILBOX); // drain the admin ping's PFSTS
        bar.write32(VFMAILBOX, VFU);
        assertThat(bar.read32(VFMAILBOX) & VFU).isNotZero();
        bar.write32(VFMAILBOX, 0);
        assertThat(bar.read32(VFMAILBOX) & VFU).isZero();
    }

    @Test
    void bufferWritesWithoutVfuAreDroppedAndCounted() {
        bar.write32(VFMBMEM + 8, 0x1234);
        assertThat(bar.read32(VFMBMEM + 8)).isNotEqualTo(0x1234);
        assertThat(pf.vf(0).mailbox().bufferWritesWithoutLock()).isEqualTo(1);
        bar.write32(VFMAILBOX, VFU);
        bar.write32(VFMBMEM + 8, 0x1234);
        assertThat(bar.read32(VFMBMEM + 8)).isEqualTo(0x1234);
    }

    @Test
    void vfResetReportsResetDoneOnceBecauseRstdIsReadToClear() {
        // facts §3.1: RSTD read-to-clear; facts §3.4 step 4: poll for RSTD after VFCTRL.RST
        bar.write32(VFCTRL, VFCTRL_RST);
        int first = bar.read32(VFMAILBOX);
        assertThat(first & RSTD).isNotZero();
        assertThat(first & RSTI).isZero();
        assertThat(bar.read32(VFMAILBOX) & RSTD).isZero();
    }

    @Test
    void requestSetsPfackAndReplySetsPfstsBothReadToClear() {
        vf.resetAndHello();
        vf.send(API_NEGOTIATE, API_11, 0);
        assertThat(bar.read32(VFMAILBOX) & (PFACK | PFSTS)).as("the PF answers on its own time, not inside the REQ write").isZero();
        vf.letPfRun();
        int status = bar.read32(VFMAILBOX);
        assertThat(status & (PFACK | PFSTS)).isEqualTo(PFACK | PFSTS);
        assertThat(status & REQ).as("REQ drops once the PF has taken the request").isZero();
        assertThat(status & VFU).as("writing REQ released VFU").isZero();
        assertThat(bar.read32(VFMAILBOX) & (PFACK | PFSTS)).isZero();
    }

    @Test
    void requestsBeforeVfResetAreNackedWithoutCts() {
        // facts §3.2: before VF_RESET every other request is NACKed
        bar.write32(VFCTRL, VFCTRL_RST);
        vf.resetSeen();
        int[] reply = vf.request(API_NEGOTIATE, API_11, 0);
        assertThat(reply[0]).isEqualTo(API_NEGOTIATE | MSG_FAILURE);
        assertThat(pf.vfState(0).api().wireValue()).isEqualTo(API_10);
    }

    @Test
    void vfResetReplyCarriesMacAndFilterTypeWithoutCtsAndLaterRepliesHaveCts() {
        int[] reply = vf.resetAndHello();
        assertThat(reply[0]).isEqualTo(VF_RESET | MSG_SUCCESS); // no CTS on the reset reply
        assertThat(reply[1]).isEqualTo(0x00000002); // 02:00:00:00 little-endian
        assertThat(reply[2] & 0xFFFF).isEqualTo(0x0100); // 00:01
        assertThat(reply[3]).isZero();
        int[] next = vf.request(API_NEGOTIATE, API_12, 0);
        assertThat(next[0]).isEqualTo(API_NEGOTIATE | MSG_SUCCESS | MSG_CTS);
    }

    @Test
    void theVfAcksTheReplyAndThatReleasesVfu() {
        vf.resetAndHello();
        assertThat(pf.vf(0).mailbox().vfAcknowledgements()).isEqualTo(1);
        assertThat(bar.read32(VFMAILBOX) & VFU).isZero();
    }

    @Test
    void aMessageThatAlreadyCarriesAckOrNackIsAcknowledgedButNotAnswered() {
        // facts §3.2: the PF ignores a message that already has ACK or NACK set
        vf.resetAndHello();
        vf.send(API_NEGOTIATE | MSG_SUCCESS, API_11, 0);
        assertThat(vf.awaitAck()).isTrue();
        vf.letPfRun();
        assertThat(vf.consumeMessage()).isFalse();
    }

    @Test
    void pingCarriesCtsOnlyOnceTheVfHasReset() {
        // facts §3.2, §3.6: control message 0x100, plus CTS if the VF is clear to send
        bar.read32(VFMAILBOX);
        pf.ping(0);
        assertThat(vf.consumeMessage()).isTrue();
        assertThat(vf.readMessage()[0]).isEqualTo(PF_CONTROL);
        vf.resetAndHello();
        pf.ping(0);
        assertThat(vf.consumeMessage()).isTrue();
        assertThat(vf.readMessage()[0]).isEqualTo(PF_CONTROL | MSG_CTS);
    }

    @Test
    void aPingIsLostWhileTheVfHoldsTheBuffer() {
        // facts §3.1: the Linux PF tries PFU once and gives up if the VF holds VFU
        vf.resetAndHello();
        bar.write32(VFMAILBOX, VFU);
        assertThat(pf.ping(0)).isFalse();
        assertThat(pf.pingsLost()).isEqualTo(1);
        bar.write32(VFMAILBOX, 0);
        assertThat(vf.consumeMessage()).isFalse();
    }

    @Test
    void pfMessagesRaiseTheMailboxInterruptOnTheMiscVector() {
        try (EventFd fd = EventFd.create()) {
            vf.resetAndHello();
            pf.vf(0).interrupts().bind(2, fd);
            bar.write32(VTIVAR_MISC, 0x82);
            bar.write32(VTEIMS, 0b100);
            pf.ping(0);
            assertThat(fd.drain()).isEqualTo(1);
        }
    }

    @Test
    void pfResetShowsRstiLeavesRequestsUnansweredThenRstdAndTheVfMustResetAgain() {
        // facts §3.6, §8.1, §8.10: RSTI during the PF reset, then RSTD, CTS lost
        vf.resetAndHello();
        vf.letPfRun();
        pf.beginReset();
        int down = vf.readMailbox();
        assertThat(down & RSTI).isNotZero();
        assertThat(down & PFSTS).as("Linux pings before it goes down (ixgbe_down)").isNotZero();
        assertThat(vf.readMessage()[0]).isEqualTo(PF_CONTROL);
        vf.send(GET_LINK_STATE);
        vf.letPfRun();
        assertThat(vf.consumeAck()).isFalse();
        assertThat(vf.consumeMessage()).as("no reply, and no NACK for the ACK either: the PF is down").isFalse();
        assertThat(pf.requestsDuringReset()).isEqualTo(1);
        assertThat(pf.vfState(0).rxEnabled()).isFalse();

        pf.completeReset();
        int up = vf.readMailbox();
        assertThat(up & RSTI).isZero();
        assertThat(up & RSTD).isNotZero();
        assertThat(up & PFSTS).as("Linux >= 5.18 pings every VF again once up (ixgbe_set_all_vfs)").isNotZero();
        assertThat(vf.readMessage()[0]).as("without CTS").isEqualTo(PF_CONTROL);
        vf.letPfRun(); // the NACK answering that ACK; send() drains it
        assertThat(vf.request(API_NEGOTIATE, API_11, 0)[0]).as("CTS lost").isEqualTo(API_NEGOTIATE | MSG_FAILURE);
        assertThat(vf.resetAndHello()[0]).isEqualTo(VF_RESET | MSG_SUCCESS);
        assertThat(pf.vfState(0).clearToSend()).isTrue();
    }

    @Test
    void vfResetWhilePfIsResettingGivesNoRstdUntilThePfIsBack() {
        pf.beginReset();
        bar.write32(VFCTRL, VFCTRL_RST);
        int status = bar.read32(VFMAILBOX);
        assertThat(status & RSTD).isZero();
        assertThat(status & RSTI).isNotZero();
        pf.completeReset();
        assertThat(bar.read32(VFMAILBOX) & RSTD).isNotZero();
    }

    @Test
    void faultIgnoreRequestLeavesReqSetWithNoAckAndNoReply() {
        vf.resetAndHello();
        pf.injectMailboxFault(0, MailboxFault.IGNORE_REQUEST);
        vf.send(GET_LINK_STATE);
        vf.letPfRun();
        assertThat(bar.read32(VFMAILBOX) & (REQ | PFACK | PFSTS)).isEqualTo(REQ);
        assertThat(vf.request(API_NEGOTIATE, API_12, 0)[0] & MSG_SUCCESS).as("one-shot").isNotZero();
    }

    @Test
    void faultDropReplyAcknowledgesButNeverAnswers() {
        vf.resetAndHello();
        pf.injectMailboxFault(0, MailboxFault.DROP_REPLY);
        vf.send(API_NEGOTIATE, API_12, 0);
        assertThat(vf.awaitAck()).isTrue();
        vf.letPfRun();
        assertThat(vf.consumeMessage()).isFalse();
    }

    @Test
    void faultMalformedReplyAnswersWithTheWrongMessageId() {
        vf.resetAndHello();
        pf.injectMailboxFault(0, MailboxFault.MALFORMED_REPLY);
        int[] reply = vf.request(API_NEGOTIATE, API_12, 0);
        assertThat(reply[0] & 0xFFFF).isEqualTo(0xFFFF);
        assertThat(reply[0] & ~MSG_CTS).isNotEqualTo(API_NEGOTIATE | MSG_SUCCESS); // what a driver compares (facts §3.2)
    }

    @Test
    void eachVfOfAPfHasItsOwnMailbox() {
        try (EmulatedPf two = new EmulatedPf(new PfConfig().vfCount(2))) {
            VfMailboxClient a = new VfMailboxClient(two.vf(0).bar(0));
            VfMailboxClient b = new VfMailboxClient(two.vf(1).bar(0));
            a.resetAndHello();
            assertThat(b.request(API_NEGOTIATE, API_11, 0)[0]).as("VF 1 has not reset").isEqualTo(API_NEGOTIATE | MSG_FAILURE);
            assertThat(a.request(API_NEGOTIATE, API_11, 0)[0]).isEqualTo(API_NEGOTIATE | MSG_SUCCESS | MSG_CTS);
            assertThat(two.vf(1).address().toString()).isEqualTo("0000:01:10.2"); // 82599 VF stride 2 [?]
        }
    }
}
