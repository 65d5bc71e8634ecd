#!/usr/bin/env python3
"""A layer-2 delay line: copies every frame between two interfaces after a fixed delay.

    ip netns exec ta-d python3 delaybridge.py d0 d1 --delay 0.1 --seconds 60

This kernel has no sch_netem, so latency is made in user space: AF_PACKET sockets read each
frame arriving on one interface and write it out of the other once `delay` seconds have passed,
in order. veth hands frames over with the TCP checksum only partly computed (checksum offload),
so the bridge fills it in before sending the frame on. Runs at most `seconds`.
"""
import argparse
import heapq
import itertools
import select
import socket
import sys
import time

from pktutil import fix_tcp_checksum

PACKET_OUTGOING = 4


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('a')
    ap.add_argument('b')
    ap.add_argument('--delay', type=float, required=True)
    ap.add_argument('--seconds', type=float, default=60)
    a = ap.parse_args()
    socks = {}
    for name in (a.a, a.b):
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))  # ETH_P_ALL
        s.bind((name, 0))
        socks[name] = s
    peer = {socks[a.a]: socks[a.b], socks[a.b]: socks[a.a]}
    queue, order = [], itertools.count()
    deadline = time.monotonic() + a.seconds
    print('ready', flush=True)
    while True:
        now = time.monotonic()
        if now >= deadline:
            break
        while queue and queue[0][0] <= now:
            _, _, out, frame = heapq.heappop(queue)
            try:
                out.send(frame)
            except OSError as e:
                print(f'send: {e}', file=sys.stderr)
        wait = min(deadline - now, (queue[0][0] - now) if queue else 1.0)
        ready, _, _ = select.select(list(peer), [], [], max(wait, 0))
        for s in ready:
            frame, addr = s.recvfrom(65535)
            if addr[2] == PACKET_OUTGOING:  # our own copies going out
                continue
            heapq.heappush(queue, (time.monotonic() + a.delay, next(order), peer[s],
                                   fix_tcp_checksum(frame)))


if __name__ == '__main__':
    main()
