#!/usr/bin/env python3
"""Inserts an 802.1Q tag into every Ethernet frame of a finished pcap.

    python3 vlantag.py IN.pcap OUT.pcap --vid 100 [--pcp 0]

This kernel has no 802.1Q (VLAN) devices, so a capture made on plain veth is tagged afterwards,
as a capture from a trunk port would look: 0x8100 + TCI between the source MAC and the
EtherType; caplen and orig len grow by 4. Microsecond and nanosecond pcap, either byte order.
"""
import argparse
import struct
import sys

MAGICS = {b'\xd4\xc3\xb2\xa1': '<', b'\x4d\x3c\xb2\xa1': '<',
          b'\xa1\xb2\xc3\xd4': '>', b'\xa1\xb2\x3c\x4d': '>'}


def tag(data, vid, pcp=0):
    e = MAGICS.get(data[:4])
    if e is None:
        raise ValueError('not a pcap file')
    if struct.unpack(e + 'I', data[20:24])[0] != 1:
        raise ValueError('link type is not Ethernet')
    out = [data[:24]]
    tci = struct.pack('!HH', 0x8100, (pcp << 13) | vid)
    off = 24
    while off + 16 <= len(data):
        s, frac, incl, orig = struct.unpack(e + 'IIII', data[off:off + 16])
        frame = data[off + 16:off + 16 + incl]
        off += 16 + incl
        if incl >= 14:
            frame = frame[:12] + tci + frame[12:]
            incl, orig = incl + 4, orig + 4
        out.append(struct.pack(e + 'IIII', s, frac, incl, orig) + frame)
    return b''.join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('inp')
    ap.add_argument('out')
    ap.add_argument('--vid', type=int, default=100)
    ap.add_argument('--pcp', type=int, default=0)
    a = ap.parse_args()
    with open(a.inp, 'rb') as f:
        data = f.read()
    with open(a.out, 'wb') as f:
        f.write(tag(data, a.vid, a.pcp))
    return 0


if __name__ == '__main__':
    sys.exit(main())
