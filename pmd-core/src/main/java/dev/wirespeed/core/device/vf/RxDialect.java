/*
 * Copyright 2026 the wirespeed authors. Licensed under the Apache License, Version 2.0.
 */
package dev.wirespeed.core.device.vf;

/**
 * Where one VF family's advanced rx write-back differs from another's: the error bits sit one lower on
 * the 82576/I350 than on the 82599 family, the L4 "checksum computed" status is one bit (L4CS) or two
 * (TCPCS, UDPCS), the packet-type field is 12 or 13 bits wide, and the I350 writes the VLAN tag of a
 * looped-back frame big-endian.
 *
 * @param frameErrors status/error bits that mean the frame itself is bad (it is dropped and counted)
 * @param l4Checked status bits meaning the device checked the L4 checksum
 * @param ipError the IPv4 header checksum error bit
 * @param l4Error the L4 checksum error bit
 * @param packetTypeMask the packet-type field of write-back dword 0, kept in place
 * @param bigEndianVlanStatus status bits under which the VLAN field is big-endian; 0 for never
 */
public record RxDialect(int frameErrors, int l4Checked, int ipError, int l4Error, int packetTypeMask,
                        int bigEndianVlanStatus) {
}
