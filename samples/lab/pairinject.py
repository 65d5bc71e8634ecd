#!/usr/bin/env python3
"""A device between two capture points that resets one end of a connection, and says so.

    ip netns exec compare-r python3 pairinject.py --iface r0 --port 8107 --word TRIGGER \
        --ttl 63 --delay 0.2 --seconds 20

It watches one router interface with an AF_PACKET socket. The first TCP segment arriving there
to or from `port` whose payload holds `word` is answered, on the same interface, with one forged
RST+ACK to its sender, in the name of its receiver, on the exact sequence number that sender
expects next (the segment's ack: RFC 5961 makes anything else a mere challenge ACK), `delay`
seconds later (so that the receiver's ACK of the segment has come back first). Nothing is
dropped: the segment itself goes on. With --ttl 63 the RST arrives with the TTL the real peer's
packets have one hop away, so a single capture cannot tell it by its TTL.

It prints 'ready', then one JSON line describing the forged segment (addresses, ports, seq, ack,
flags, TTL, IP ID, the time it was sent), and exits; or exits after `seconds` without one.
"""
import argparse
import ipaddress
import json
import random
import select
import socket
import time

from pktutil import build_tcp, parse, tcp_fields

PACKET_OUTGOING = 4
RST, ACK = 0x04, 0x10


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--iface', required=True)
    ap.add_argument('--port', type=int, required=True)
    ap.add_argument('--word', required=True)
    ap.add_argument('--ttl', type=int, default=64)
    ap.add_argument('--delay', type=float, default=0, help='seconds to wait before forging')
    ap.add_argument('--seconds', type=float, default=20)
    a = ap.parse_args()
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
    s.bind((a.iface, 0))
    word = a.word.encode()
    deadline = time.monotonic() + a.seconds
    print('ready', flush=True)
    while time.monotonic() < deadline:
        ready, _, _ = select.select([s], [], [], 0.2)
        if not ready:
            continue
        frame, addr = s.recvfrom(65535)
        if addr[2] == PACKET_OUTGOING:
            continue
        p = parse(frame)
        if not p or p['proto'] != 6:
            continue
        t = tcp_fields(frame, p)
        if a.port not in (t['sport'], t['dport']) or word not in t['payload']:
            continue
        time.sleep(a.delay)
        ipid = random.randrange(1, 65535) if p['family'] == 4 else None
        seq, ack = t['ack'], (t['seq'] + len(t['payload'])) & 0xffffffff
        # back to the sender (our MAC on this link is the frame's destination)
        forged = build_tcp(p['family'], frame[0:6], frame[6:12], p['dst'], p['src'], t['dport'],
                           t['sport'], seq, ack, RST | ACK, a.ttl, ipid or 0)
        s.send(forged)
        sent = time.time()
        print(json.dumps(dict(src=str(ipaddress.ip_address(p['dst'])), sport=t['dport'],
                              dst=str(ipaddress.ip_address(p['src'])), dport=t['sport'],
                              seq=seq, ack=ack, flags=RST | ACK, ttl=a.ttl, ipid=ipid,
                              time=sent)), flush=True)
        return


if __name__ == '__main__':
    main()
