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
 * @param vlans           VLAN ids the VF's rx accepts (its own filters, or the port VLAN)
 * @param multicastHashes 12-bit multicast hash values from SET_MULTICAST
 * @param rxEnabled       the PF lets the VF receive (VFRE)
 * @param txEnabled       the PF lets the VF transmit (VFTE)
 * @param maxFrame        the largest frame the VF asked for with SET_LPE (0 if never)
 */
public record VfSnapshot(int index, MacAddress adminMac, boolean trusted, boolean spoofCheck, int portVlan, LinkState linkState,
                         boolean queryRss, boolean clearToSend, ApiVersion api, MacAddress mac, List<Integer> vlans,
                         List<Integer> multicastHashes, List<MacAddress> macvlans, XcastMode xcast, boolean rxEnabled,
                         boolean txEnabled, boolean macAntiSpoof, boolean vlanAntiSpoof, int maxFrame,
                         long requestsHandled, long requestsNacked) {
}
