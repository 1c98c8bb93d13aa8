/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.pf;

import dev.wirespeed.emulator.mailbox.ApiVersion;

import static dev.wirespeed.emulator.mailbox.MessageIds.MAX_MULTICAST_HASHES;
import static dev.wirespeed.emulator.mailbox.MessageIds.info;

/**
 * One PF driver's answers to its VFs: what it does with a request, and what it does when it learns that a
 * VF reset itself (VFLR or VFCTRL.RST, reported to the PF through VFLRE). Each implementation follows one
 * source file function by function; the README's personality tables cite them. All methods run under the
 * PF lock, on the PF's own time (never inside the VF's register write).
 */
abstract sealed class PfRules permits LinuxPfRules, DpdkPfRules {
    /** Largest frame the family handles, CRC included (facts §4.3). */
    static final int MAX_FRAME = 9728;
    static final int ETH_FRAME_LEN = 1514;
    static final int ETH_FCS_LEN = 4;
    static final int ETH_HLEN = 14;

    final EmulatedPf pf;

    PfRules(EmulatedPf pf) {
        this.pf = pf;
    }

    static PfRules of(EmulatedPf pf) {
        return pf.personality() == PfPersonality.DPDK ? new DpdkPfRules(pf) : new LinuxPfRules(pf);
    }

    /**
     * One request, read from the VF's buffer; word 0 carries neither ACK nor NACK (the PFs ignore such a
     * message before this point). Edits {@code msg} in place into the reply and returns how many words of it
     * the PF writes back, from word 0 (0: no reply). The rest of the VF's buffer keeps what was there.
     */
    abstract int request(VfState vf, int[] msg);

    /** The PF learns that the VF reset itself (ixgbe_vf_reset_event in both PFs). */
    abstract void resetEvent(VfState vf);

    /**
     * API_NEGOTIATE, the same in both PFs (ixgbe_negotiate_vf_api): a version in the PF's accepted set becomes
     * the VF's; anything else is refused. Which versions are accepted is the personality's.
     */
    final boolean negotiate(VfState vf, int[] msg) {
        ApiVersion requested = ApiVersion.fromWire(msg[1]);
        if (requested == null || !pf.acceptedApis().contains(requested)) {
            return false;
        }
        vf.api = requested;
        return true;
    }

    /**
     * SET_MULTICAST's hashes, read the same way by both PFs: up to 30 16-bit
     * words after word 0 (12 bits used), which become the VF's list and are ORed into the PF's shared
     * multicast table. Returns how many were taken; what each PF does with the pool's options differs.
     */
    final int takeMulticastHashes(VfState vf, int[] msg) {
        int n = Math.min(info(msg[0]), MAX_MULTICAST_HASHES);
        vf.multicastHashes.clear();
        for (int i = 0; i < n; i++) {
            int word = msg[1 + i / 2];
            int hash = ((i & 1) == 0 ? word : word >>> 16) & 0xFFF;
            vf.multicastHashes.add(hash);
            pf.multicastTable().set(hash);
        }
        return n;
    }

    /** The pool receive options for an UPDATE_XCAST_MODE mode, as both PFs write VMOLR (disable, then enable bits). */
    static void applyXcast(VfState vf, XcastMode mode) {
        vf.broadcast = true; // BAM is in every mode's enable set (Linux since the 2022 broadcast fix, DPDK always)
        vf.hashMulticast = mode != XcastMode.NONE;
        vf.allMulticast = mode == XcastMode.ALLMULTI || mode == XcastMode.PROMISC;
        vf.unicastPromisc = mode == XcastMode.PROMISC;
        vf.xcast = mode;
    }
}
