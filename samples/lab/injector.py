#!/usr/bin/env python3
"""An IPS on the router: when a client segment carries a forbidden word, reset both ends.

    ip netns exec ta-r python3 injector.py --client-if r0 --server-if r1 --port 8084 \
        --word BADWORD --ttl 64 --seconds 20

It watches both router interfaces with AF_PACKET sockets (learning the MAC addresses of both
ends), and when a client-to-server segment to `port` contains `word` it forges two RST+ACK
segments on the exact sequence numbers the ends expect (RFC 5961 makes anything else a mere
challenge-ACK): one to the client in the server's name, one to the server in the client's name,
both with this device's own TTL / hop limit. The offending segment itself is dropped by an
iptables string match on the router (inline IPS); the injector only forges. It prints one JSON
line per forged RST, and exits after `count` injections (default 1) or `seconds`.
"""
import argparse
import ipaddress
import json
import random
import select
import socket
import sys
import time

from pktutil import build_tcp, parse, tcp_fields

PACKET_OUTGOING = 4
RST, ACK = 0x04, 0x10


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--client-if', required=True)
    ap.add_argument('--server-if', required=True)
    ap.add_argument('--port', type=int, required=True)
    ap.add_argument('--word', required=True)
    ap.add_argument('--ttl', type=int, default=64)
    ap.add_argument('--seconds', type=float, default=20)
    ap.add_argument('--count', type=int, default=1)
    a = ap.parse_args()
    done = set()  # connections already reset: their retransmissions draw no second pair
    socks = {}
    for name in (a.client_if, a.server_if):
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
        s.bind((name, 0))
        socks[s] = name
    macs = {}  # interface -> (our MAC on it, the peer's MAC)
    word = a.word.encode()
    deadline = time.monotonic() + a.seconds
    print('ready', flush=True)
    while time.monotonic() < deadline:
        ready, _, _ = select.select(list(socks), [], [], 0.2)
        for s in ready:
            frame, addr = s.recvfrom(65535)
            if addr[2] == PACKET_OUTGOING:
                continue
            ifname = socks[s]
            p = parse(frame)
            if p and not frame[0] & 1:  # unicast IP: (our MAC on this link, the peer's)
                macs[ifname] = (frame[0:6], frame[6:12])
            if not p or p['proto'] != 6 or ifname != a.client_if:
                continue
            t = tcp_fields(frame, p)
            if t['dport'] != a.port or word not in t['payload']:
                continue
            conn = (p['src'], t['sport'], p['dst'], t['dport'])
            if conn in done:
                continue
            if a.server_if not in macs:
                print('server MAC unknown', file=sys.stderr)
                continue
            fam = p['family']
            cip, sip = p['src'], p['dst']
            ipid = random.randrange(1, 65535)
            # to the client, in the server's name: seq = what the client acknowledged
            to_client = build_tcp(fam, macs[a.client_if][0], macs[a.client_if][1], sip, cip,
                                  t['dport'], t['sport'], t['ack'], t['seq'], RST | ACK, a.ttl,
                                  ipid)
            # to the server, in the client's name: seq = this segment's seq (it is dropped)
            to_server = build_tcp(fam, macs[a.server_if][0], macs[a.server_if][1], cip, sip,
                                  t['sport'], t['dport'], t['seq'], t['ack'], RST | ACK, a.ttl,
                                  ipid + 1)
            for out, f, towards, seq in ((a.client_if, to_client, 'client', t['ack']),
                                         (a.server_if, to_server, 'server', t['seq'])):
                sock = next(k for k, v in socks.items() if v == out)
                sock.send(f)
                print(json.dumps(dict(towards=towards, seq=seq, ttl=a.ttl,
                                      client=f"{ipaddress.ip_address(cip)}:{t['sport']}",
                                      server=f"{ipaddress.ip_address(sip)}:{t['dport']}")),
                      flush=True)
            done.add(conn)
            if len(done) >= a.count:
                return


if __name__ == '__main__':
    main()
