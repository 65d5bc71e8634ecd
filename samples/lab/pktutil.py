"""Small packet helpers shared by the delay bridge, the RST injector and the VLAN tagger."""
import struct

ETH_IP4, ETH_IP6, ETH_VLAN = 0x0800, 0x86DD, 0x8100


def csum(data):
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack(f'!{len(data) // 2}H', data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def parse(frame):
    """Ethernet frame -> dict(family, ihl offset, src, dst, proto, tcp offset, ...) or None."""
    if len(frame) < 14:
        return None
    etype = struct.unpack('!H', frame[12:14])[0]
    if etype == ETH_IP4 and len(frame) >= 34:
        ihl = (frame[14] & 0x0f) * 4
        total = struct.unpack('!H', frame[16:18])[0]
        return dict(family=4, ip=14, l4=14 + ihl, end=14 + total, proto=frame[23],
                    src=frame[26:30], dst=frame[30:34])
    if etype == ETH_IP6 and len(frame) >= 54:
        plen = struct.unpack('!H', frame[18:20])[0]
        return dict(family=6, ip=14, l4=54, end=54 + plen, proto=frame[20],
                    src=frame[22:38], dst=frame[38:54])
    return None


def tcp_fields(frame, p):
    o = p['l4']
    sport, dport, seq, ack, off_flags, win = struct.unpack('!HHIIHH', frame[o:o + 16])
    hlen = (off_flags >> 12) * 4
    return dict(sport=sport, dport=dport, seq=seq, ack=ack, flags=off_flags & 0x1ff, win=win,
                payload=frame[o + hlen:p['end']])


def pseudo(p, length):
    if p['family'] == 4:
        return p['src'] + p['dst'] + struct.pack('!BBH', 0, 6, length)
    return p['src'] + p['dst'] + struct.pack('!IxxxB', length, 6)


def fix_tcp_checksum(frame):
    """Returns the frame with its TCP checksum computed (veth hands over partial checksums)."""
    p = parse(frame)
    if not p or p['proto'] != 6 or p['end'] > len(frame):
        return frame
    seg = bytearray(frame[p['l4']:p['end']])
    seg[16:18] = b'\0\0'
    c = csum(pseudo(p, len(seg)) + bytes(seg))
    seg[16:18] = struct.pack('!H', c)
    return frame[:p['l4']] + bytes(seg) + frame[p['end']:]


def build_tcp(family, src_mac, dst_mac, src, dst, sport, dport, seq, ack, flags, ttl, ipid=0,
              win=0):
    """An Ethernet frame carrying one option-less TCP segment with correct checksums."""
    tcp = struct.pack('!HHIIHHHH', sport, dport, seq, ack, (5 << 12) | flags, win, 0, 0)
    if family == 4:
        ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(tcp), ipid, 0x4000, ttl, 6, 0, src, dst)
        ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
        etype = ETH_IP4
    else:
        ip = struct.pack('!IHBB16s16s', 6 << 28, len(tcp), 6, ttl, src, dst)
        etype = ETH_IP6
    p = dict(family=family, src=src, dst=dst)
    c = csum(pseudo(p, len(tcp)) + tcp)
    tcp = tcp[:16] + struct.pack('!H', c) + tcp[18:]
    return dst_mac + src_mac + struct.pack('!H', etype) + ip + tcp
