/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.emulator.pf;

import dev.wirespeed.core.packet.MacAddress;
import dev.wirespeed.emulator.mailbox.ApiVersion;

import java.util.List;

/**
 * A consistent copy of the PF's view of one VF, for tests and for the DMA engine's filters.
 *
 * @param adminMac        the MAC the administrator assigned, or null
 * @param clearToSend     the VF has reset since the PF last lost track of it; requests are answered
 * @param mac             the VF's current station address (zero if none)
 * @param vlans           VLAN ids the VF's rx accepts (its own filters, VLAN 0, or the port VLAN)
 * @param multicastHashes 12-bit multicast hash values from the VF's last SET_MULTICAST
 * @param xcast           the multicast mode the PF remembers granting (its receive bits are the last five)
 * @param rxEnabled       the PF lets the VF receive (VFRE)
 * @param txEnabled       the PF lets the VF transmit (VFTE)
 * @param maxFrame        the largest frame the VF asked for with SET_LPE (0 if never)
 * @param broadcast       VMOLR.BAM: broadcast accepted
 * @param hashMulticast   VMOLR.ROMPE: multicast whose hash is set in the PF's shared table accepted
 * @param allMulticast    VMOLR.MPE: all multicast accepted
 * @param unicastPromisc  VMOLR.UPE: all unicast accepted (within the VF's VLANs)
 * @param untagged        VMOLR.AUPE: untagged frames accepted (off under a port VLAN)
 * @param nacksOnAck      times the PF answered the VF's ACK with NACK because it was not clear to send
 * @param mddEvents       malicious-driver events the PF handled for this VF
 */
public record VfSnapshot(int index, MacAddress adminMac, boolean trusted, boolean spoofCheck, int portVlan, LinkState linkState,
                         boolean queryRss, boolean clearToSend, ApiVersion api, MacAddress mac, List<Integer> vlans,
                         List<Integer> multicastHashes, List<MacAddress> macvlans, XcastMode xcast, boolean rxEnabled,
                         boolean txEnabled, boolean macAntiSpoof, boolean vlanAntiSpoof, int maxFrame,
                         long requestsHandled, long requestsNacked,
                         boolean broadcast, boolean hashMulticast, boolean allMulticast, boolean unicastPromisc,
                         boolean untagged, long nacksOnAck, long mddEvents) {
}
