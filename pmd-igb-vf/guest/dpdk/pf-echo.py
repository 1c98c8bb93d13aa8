#!/usr/bin/python3
# Sends numbered frames from a netdev (the igb PF's, in the guest) to a MAC address and checks that a
# reflecting peer (dpdk-testpmd in macswap mode on a VF) returns each one exactly once, with the
# addresses swapped and the payload intact.  Issue 14, "a peer nobody here wrote": this shows the DPDK
# VF works through the PF's switch without any wirespeed code in the path.
#
#   pf-echo.py IFNAME PEER_MAC COUNT [INTERVAL_SECONDS]
#
# Frames: dst PEER_MAC, src IFNAME's MAC, EtherType 0x88b5 (IEEE local experimental), then the 4-byte
# sequence number and a pattern derived from it, 60 bytes in all.  Prints one result line:
#   pf-echo: sent N, echoed N, intact N, duplicated 0, wrong 0, foreign F, rtt_us min/p50/p99/max a/b/c/d
# and exits 0 only if every frame came back once, intact and swapped.
import os
import select
import socket
import struct
import sys
import time

ETHERTYPE = 0x88B5
LENGTH = 60


def mac_bytes(text):
    parts = text.split(":")
    if len(parts) != 6:
        raise ValueError(f"not a MAC address: {text!r}")
    return bytes(int(p, 16) for p in parts)


def payload(seq):
    body = bytearray(struct.pack("!I", seq))
    x = seq * 2654435761 & 0xFFFFFFFF
    while len(body) < LENGTH - 14:
        x = (x * 1103515245 + 12345) & 0xFFFFFFFF
        body.append(x >> 24)
    return bytes(body)


def main():
    if len(sys.argv) not in (4, 5):
        print("usage: pf-echo.py IFNAME PEER_MAC COUNT [INTERVAL_SECONDS]", file=sys.stderr)
        return 2
    ifname, peer, count = sys.argv[1], mac_bytes(sys.argv[2]), int(sys.argv[3])
    interval = float(sys.argv[4]) if len(sys.argv) == 5 else 0.002
    own = mac_bytes(open(f"/sys/class/net/{ifname}/address").read().strip())
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETHERTYPE))
    s.bind((ifname, ETHERTYPE))
    s.setblocking(False)
    sent_at = {}
    seen = {}
    wrong = foreign = 0
    rtts = []

    def receive():
        nonlocal wrong, foreign
        while True:
            try:
                frame, addr = s.recvfrom(2048)
            except BlockingIOError:
                return
            if addr[2] == socket.PACKET_OUTGOING:
                continue  # our own frames, as every packet socket sees them
            if frame[6:12] != peer:
                foreign += 1
                continue
            seq = struct.unpack("!I", frame[14:18])[0]
            if frame[0:6] != own or frame[12:14] != struct.pack("!H", ETHERTYPE) \
                    or frame[14:LENGTH] != payload(seq) or seq not in sent_at:
                wrong += 1
                continue
            seen[seq] = seen.get(seq, 0) + 1
            if seen[seq] == 1:
                rtts.append(time.monotonic() - sent_at[seq])

    start = time.monotonic()
    for seq in range(count):
        frame = peer + own + struct.pack("!H", ETHERTYPE) + payload(seq)
        sent_at[seq] = time.monotonic()
        s.send(frame)
        while True:
            receive()
            left = start + (seq + 1) * interval - time.monotonic()
            if left <= 0:
                break
            select.select([s], [], [], left)
    deadline = time.monotonic() + 3
    while len(seen) < count and time.monotonic() < deadline:
        select.select([s], [], [], 0.1)
        receive()
    time.sleep(0.3)  # late duplicates
    receive()
    echoed = sum(seen.values())
    dup = echoed - len(seen)
    rtts.sort()
    pick = lambda q: rtts[min(len(rtts) - 1, int(q * len(rtts)))] * 1e6 if rtts else 0.0
    print(f"pf-echo: sent {count}, echoed {echoed}, intact {len(seen)}, duplicated {dup}, wrong {wrong}, "
          f"foreign {foreign}, rtt_us min/p50/p99/max {pick(0):.0f}/{pick(0.5):.0f}/{pick(0.99):.0f}/{pick(1):.0f}")
    return 0 if len(seen) == count and dup == 0 and wrong == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
