/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.pf;

import dev.wirespeed.core.pci.PciAddress;
import dev.wirespeed.emulator.Flavour;
import dev.wirespeed.emulator.LinkSpeed;
import dev.wirespeed.emulator.mailbox.ApiVersion;
import dev.wirespeed.emulator.time.DeviceClock;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * How an emulated PF is set up: which PF software it is (personality), chip flavour, number of VFs, the
 * PF's own MTU and modes, which mailbox API versions it accepts, its RSS table, link, how fast it answers
 * and whether register writes are posted. Defaults follow a current Linux PF with default settings.
 */
public final class PfConfig {
    /**
     * Default PF latency, 30 µs: Linux handles the mailbox in its MSI-X "other" handler (ixgbe_msix_other →
     * ixgbe_msg_task), DPDK in its interrupt thread; after the interrupt arrives, reading a request and
     * writing a reply takes a few dozen register accesses over PCIe (16 words each way plus the mailbox
     * and cause registers) at roughly 0.5–1 µs per read. Tens of microseconds, then: long enough that a
     * driver must poll for PFACK/PFSTS as drivers do, short next to their 500 µs poll interval and 1 s
     * timeouts.
     */
    public static final long DEFAULT_PF_LATENCY_NANOS = 30_000;
    /** Default delay of a posted register write when posting is on without a value: about one PCIe write's flight. */
    public static final long DEFAULT_POSTED_WRITE_NANOS = 1_000;

    PfPersonality personality = PfPersonality.LINUX;
    Flavour flavour = Flavour.X82599;
    int vfCount = 1;
    int pfMtu = 1500;
    Set<ApiVersion> acceptedApis; // null: the personality's
    boolean pfPromiscuous;
    int queuesPerPool; // 0: from the pool count
    int trafficClasses = 1;
    int multicastFilterType;
    int defaultQueue;
    boolean pfPortConfigured = true;
    long pfLatencyNanos = DEFAULT_PF_LATENCY_NANOS;
    long postedWriteNanos = -1; // < 0: writes apply at once
    boolean linkUp = true;
    LinkSpeed linkSpeed = LinkSpeed.G10;
    byte[] rssKey;
    int[] reta;
    int macvlanCapacity = -1; // -1: from the RAR table size
    int vlanFilterCapacity = 63;
    PciAddress pfAddress = new PciAddress(0, 1, 0, 0);
    DeviceClock clock = DeviceClock.system();

    public Flavour flavour() {
        return flavour;
    }

    public PfPersonality personality() {
        return personality;
    }

    /** Which PF software answers the VFs (default {@link PfPersonality#LINUX}). */
    public PfConfig personality(PfPersonality p) {
        this.personality = Objects.requireNonNull(p, "personality");
        return this;
    }

    /**
     * How long after a VF's REQ, ACK or reset the PF handles it (default {@link #DEFAULT_PF_LATENCY_NANOS});
     * 0 = on the clock's next timer run, still never inside the VF's register write.
     */
    public PfConfig pfLatencyNanos(long nanos) {
        if (nanos < 0 || nanos > 10_000_000_000L) {
            throw new IllegalArgumentException("PF latency " + nanos + " ns out of range 0..10 s");
        }
        this.pfLatencyNanos = nanos;
        return this;
    }

    /**
     * Makes BAR0 writes posted: each write reaches the device model {@code nanos} later, on the device clock,
     * while a BAR read first applies every earlier write (a read does not pass posted writes on PCIe).
     * Negative: off (the default; writes apply inside the call).
     */
    public PfConfig postedWrites(long nanos) {
        if (nanos > 1_000_000_000L) {
            throw new IllegalArgumentException("posted write delay " + nanos + " ns out of range: at most 1 s");
        }
        this.postedWriteNanos = nanos;
        return this;
    }

    /**
     * Linux with DCB: the traffic class of the PF's default user priority, which GET_QUEUES reports as the
     * default queue (netdev_get_prio_tc_map(dev, default_up)); 0 by default. DPDK reports VF × queues per
     * pool instead.
     */
    public PfConfig defaultQueue(int q) {
        if (q < 0 || q > 7) {
            throw new IllegalArgumentException("default queue " + q + " out of range 0..7");
        }
        this.defaultQueue = q;
        return this;
    }

    /**
     * DPDK only: whether the PF application has configured its port (dev_configure with VMDq). Until then
     * its tx mode is NONE and ixgbe_get_vf_queues refuses GET_QUEUES. Default true.
     */
    public PfConfig pfPortConfigured(boolean configured) {
        this.pfPortConfigured = configured;
        return this;
    }

    public PfConfig flavour(Flavour f) {
        this.flavour = Objects.requireNonNull(f, "flavour");
        return this;
    }

    /** 1..63 VFs per PF (the 82599 has 64 pools, one is the PF's). */
    public PfConfig vfCount(int n) {
        if (n < 1 || n > 63) {
            throw new IllegalArgumentException("vfCount " + n + " out of range: an 82599-family PF has 1..63 VFs");
        }
        this.vfCount = n;
        return this;
    }

    /** The PF netdev's MTU; above 1500 the 82599 rules of facts §8.2 apply. */
    public PfConfig pfMtu(int mtu) {
        if (mtu < 68 || mtu > 9710) {
            throw new IllegalArgumentException("PF MTU " + mtu + " out of range 68..9710 (max frame 9728 with CRC)");
        }
        this.pfMtu = mtu;
        return this;
    }

    /** The API versions API_NEGOTIATE accepts (default: the personality's, {@link PfPersonality#acceptedApis()}). */
    public PfConfig acceptedApis(Set<ApiVersion> apis) {
        if (apis.isEmpty()) {
            throw new IllegalArgumentException("a PF must accept at least one mailbox API version (1.0 is the base)");
        }
        this.acceptedApis = EnumSet.copyOf(apis);
        return this;
    }

    /** The PF netdev is promiscuous, a precondition for granting a VF promiscuous mode (facts §8.4). */
    public PfConfig pfPromiscuous(boolean on) {
        this.pfPromiscuous = on;
        return this;
    }

    /**
     * Forces the queues per pool GET_QUEUES reports (2, 4 or 8). By default, Linux: 4, or 2 with more than 32
     * pools, 8 with DCB over 4 traffic classes (facts §4.1); DPDK (ixgbe_pf_host_init): 8 below 16 VFs, 4 below
     * 32, else 2.
     */
    public PfConfig queuesPerPool(int n) {
        if (n != 2 && n != 4 && n != 8) {
            throw new IllegalArgumentException("queuesPerPool " + n + ": the pool modes give 2, 4 or 8 queues");
        }
        this.queuesPerPool = n;
        return this;
    }

    /** DCB traffic classes (1 = DCB off). With more than 1, SET_VLAN is refused and GET_QUEUES reports them. */
    public PfConfig trafficClasses(int n) {
        if (n < 1 || n > 8) {
            throw new IllegalArgumentException("trafficClasses " + n + " out of range 1..8");
        }
        this.trafficClasses = n;
        return this;
    }

    /** The multicast filter type 0..3 reported in the VF_RESET reply (facts §3.5). */
    public PfConfig multicastFilterType(int t) {
        if (t < 0 || t > 3) {
            throw new IllegalArgumentException("multicast filter type " + t + " out of range 0..3");
        }
        this.multicastFilterType = t;
        return this;
    }

    public PfConfig link(boolean up, LinkSpeed speed) {
        speed.linksBits(flavour); // fails early for a speed this chip cannot run
        this.linkUp = up;
        this.linkSpeed = speed;
        return this;
    }

    /** The 40-byte RSS key GET_RSS_KEY returns (default: random per PF, as the Linux PF fills it). */
    public PfConfig rssKey(byte[] key) {
        if (key.length != 40) {
            throw new IllegalArgumentException("the RSS key has 40 bytes, got " + key.length);
        }
        this.rssKey = key.clone();
        return this;
    }

    /** The 128-entry redirection table GET_RETA returns; entries 0..3 (2 bits each in the reply). */
    public PfConfig reta(int[] entries) {
        if (entries.length != 128) {
            throw new IllegalArgumentException("the RETA has 128 entries, got " + entries.length);
        }
        for (int e : entries) {
            if (e < 0 || e > 3) {
                throw new IllegalArgumentException("RETA entry " + e + " out of range 0..3 (a VF pool has at most 4 RSS queues)");
            }
        }
        this.reta = entries.clone();
        return this;
    }

    /** Shared MAC filter entries for SET_MACVLAN across all VFs. */
    public PfConfig macvlanCapacity(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("macvlanCapacity must be ≥ 0: " + n);
        }
        this.macvlanCapacity = n;
        return this;
    }

    /** Shared VLAN filter (VLVF) entries for VLANs other than 0, across all pools (64 on the 82599 family, one kept for VLAN 0). */
    public PfConfig vlanFilterCapacity(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("vlanFilterCapacity must be ≥ 1: " + n);
        }
        this.vlanFilterCapacity = n;
        return this;
    }

    public PfConfig pfAddress(PciAddress a) {
        this.pfAddress = Objects.requireNonNull(a, "pfAddress");
        return this;
    }

    public PfConfig clock(DeviceClock c) {
        this.clock = Objects.requireNonNull(c, "clock");
        return this;
    }

    Set<ApiVersion> effectiveAcceptedApis() {
        return acceptedApis != null ? acceptedApis : personality.acceptedApis();
    }

    int effectiveQueuesPerPool() {
        if (queuesPerPool != 0) {
            return queuesPerPool;
        }
        if (personality == PfPersonality.DPDK) {
            return vfCount >= 32 ? 2 : vfCount >= 16 ? 4 : 8;
        }
        if (trafficClasses > 4) {
            return 8;
        }
        return vfCount + 1 > 32 ? 2 : 4;
    }

    /** 128 receive-address entries on the 82599, minus the PF's 16 and one per VF (Linux PF's split) [?]. */
    int effectiveMacvlanCapacity() {
        return macvlanCapacity >= 0 ? macvlanCapacity : Math.max(0, 128 - 16 - 1 - vfCount);
    }

    byte[] effectiveRssKey() {
        if (rssKey != null) {
            return rssKey.clone();
        }
        byte[] k = new byte[40];
        RandomGenerator.getDefault().nextBytes(k);
        return k;
    }

    int[] effectiveReta() {
        if (reta != null) {
            return reta.clone();
        }
        int n = Math.min(4, effectiveQueuesPerPool());
        int[] r = new int[128];
        for (int i = 0; i < r.length; i++) {
            r[i] = i % n;
        }
        return r;
    }
}
