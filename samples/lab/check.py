#!/usr/bin/env python3
"""Cross-checks every samples/*.truth.tsv against its capture, as tshark decodes it.

    python3 samples/lab/check.py [samples-dir-or-truth-files...]

This is not a classifier: for each labelled flow it asks tshark for the packets and checks the
wire facts that the class and `by` of the truth file stand on (a RST from the named side, FINs
both ways, a zero window from the named side, a forged TTL, ...), and that every TCP flow of
the capture is labelled. It catches a scenario that did not do on the wire what its sockets
said. Exit status 1 when anything disagrees.
"""
import glob
import ipaddress
import os
import subprocess
import sys

FIELDS = ['frame.number', 'frame.time_epoch', 'tcp.stream', 'ip.src', 'ip.dst', 'ipv6.src',
          'ipv6.dst', 'ip.ttl', 'ipv6.hlim', 'tcp.srcport', 'tcp.dstport', 'tcp.flags',
          'tcp.seq_raw', 'tcp.ack_raw', 'tcp.len', 'tcp.window_size_value',
          'tcp.analysis.retransmission', 'tcp.analysis.keep_alive',
          'tcp.analysis.zero_window_probe']
SYN, RST, FIN, ACK = 0x02, 0x04, 0x01, 0x10


def norm(ip):
    return str(ipaddress.ip_address(ip))


class Pkt:
    def __init__(self, f):
        self.no = int(f[0])
        self.t = float(f[1])
        self.stream = int(f[2])
        self.src = norm(f[3] or f[5])
        self.dst = norm(f[4] or f[6])
        self.ttl = int((f[7] or f[8]).split(',')[0])
        self.sport, self.dport = int(f[9]), int(f[10])
        self.flags = int(f[11], 16)
        self.seq, self.ack, self.len = int(f[12]), int(f[13]), int(f[14])
        self.win = int(f[15])
        self.retrans, self.keepalive, self.zwp = bool(f[16]), bool(f[17]), bool(f[18])

    def has(self, flag):
        return bool(self.flags & flag)


def packets(capture):
    cmd = ['tshark', '-r', capture, '-Y', 'tcp', '-T', 'fields', '-E', 'separator=\t',
           '-o', 'tcp.analyze_sequence_numbers:TRUE']
    for f in FIELDS:
        cmd += ['-e', f]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    return [Pkt(line.split('\t')) for line in out.splitlines() if line.strip()]


def read_truth(path):
    head, rows = {}, []
    with open(path) as f:
        for line in f:
            line = line.rstrip('\n')
            if line.startswith('#'):
                k, _, v = line[1:].strip().partition(':')
                head[k.strip()] = v.strip()
            elif line.startswith('client_ip\t'):
                continue
            elif line.strip():
                c = line.split('\t')
                rows.append(dict(cip=norm(c[0]), cport=int(c[1]), sip=norm(c[2]),
                                 sport=int(c[3]), cls=c[4], by=c[5],
                                 tags=[t for t in c[6].split(',') if t], notes=c[7]))
    return head, rows


def capture_of(truth):
    stem = truth[:-len('.truth.tsv')]
    found = [p for p in glob.glob(stem + '.*') if not p.endswith(('.truth.tsv', '.app.tsv'))]
    return found[0] if len(found) == 1 else None


def duration(s):
    units = {'ms': 0.001, 's': 1, 'm': 60}
    for u in ('ms', 's', 'm'):
        if s.endswith(u):
            return float(s[:-len(u)]) * units[u]
    return float(s)


class Flow:
    def __init__(self, row, pkts):
        self.row = row
        self.pkts = pkts
        self.c = [p for p in pkts if (p.src, p.sport) == (row['cip'], row['cport'])]
        self.s = [p for p in pkts if (p.src, p.sport) == (row['sip'], row['sport'])]

    def side(self, who):
        return self.c if who == 'client' else self.s

    def other(self, who):
        return self.s if who == 'client' else self.c


def check_flow(fl, ttl_of, idle):
    """Returns a list of disagreements between the truth row and the wire."""
    r, bad = fl.row, []
    cls, by = r['cls'], r['by']
    rsts = [p for p in fl.pkts if p.has(RST)]
    first_fin = next((p for p in fl.pkts if p.has(FIN)), None)
    data = [p for p in fl.pkts if p.len > 0]
    synack = [p for p in fl.s if p.has(SYN) and p.has(ACK)]
    syns = [p for p in fl.c if p.has(SYN) and not p.has(ACK)]

    def need(cond, what):
        if not cond:
            bad.append(what)

    def forged(p):
        """A RST whose TTL differs from what its claimed sender sends elsewhere."""
        base = ttl_of.get((p.src, 'data'))
        return base is not None and p.ttl != base

    if cls == 'REFUSED':
        need(syns, 'no SYN from the client')
        need(not synack, 'a SYN-ACK was seen')
        srst = [p for p in fl.s if p.has(RST)]
        need(srst, 'no RST from the server side')
        if srst:
            need(forged(srst[0]) == (by == 'middlebox'),
                 f'RST TTL {srst[0].ttl} vs server baseline {ttl_of.get((r["sip"], "data"))}')
    elif cls == 'HANDSHAKE_TIMEOUT':
        need(not data, 'data was exchanged')
        need(len(syns) >= 2 and not synack or len(synack) >= 2,
             f'{len(syns)} SYNs, {len(synack)} SYN-ACKs')
        if by == 'server':
            need(syns and syns[0].ttl < 64 and not synack,
                 'not a server-host view of unanswered SYNs')
    elif cls == 'IDLE_TIMEOUT':
        need(idle is not None, 'no idle-threshold in the header')
        gaps = [(b.t - a.t, b) for a, b in zip(fl.pkts, fl.pkts[1:])]
        long_gaps = [(g, b) for g, b in gaps if idle is not None and g >= idle]
        need(long_gaps, 'no gap at or above the idle threshold')
        if long_gaps:
            after = long_gaps[-1][1]
            ender = [p for p in fl.pkts if p.no >= after.no and (p.has(FIN) or p.has(RST))]
            if by == 'middlebox':
                need(after.len > 0 or after.keepalive, 'first segment after the gap is no data')
                answered = [p for p in fl.other(_who(fl, after)) if p.no > after.no
                            and not p.has(RST)]
                need(not answered, 'the data after the gap was answered')
            else:
                need(ender and (ender[0] in fl.side(by)), f'ending not from the {by}')
    elif cls == 'MIDDLEBOX_RST':
        need(rsts, 'no RST')
        need(any(forged(p) for p in rsts), 'no RST with a TTL unlike its claimed sender')
    elif cls == 'MIDDLEBOX_DROP':
        need(data, 'the flow never carried data')
        tail = [p for p in fl.pkts if p.retrans or p.keepalive]
        need(len(tail) >= 2, 'fewer than two retransmissions / keep-alives')
        if tail:
            sender = fl.c if tail[-1] in fl.c else fl.s
            other = fl.s if sender is fl.c else fl.c
            first = tail[0].no
            need(not [p for p in other if p.no > first], 'the peer answered after the drop')
    elif cls == 'ZERO_WINDOW_STALL':
        zw = [p for p in fl.side(by) if p.win == 0 and not p.has(RST)]
        need(zw, f'no zero window advertised by the {by}')
        need([p for p in fl.other(by) if p.zwp or (p.len <= 1 and zw and p.no > zw[0].no
                                                   and not p.has(RST | FIN))],
             'no zero-window probe from the peer')
    elif cls in ('RST_AFTER_CLOSE', 'RST_UNREAD_DATA', 'RST_ABORT'):
        mine = fl.side(by)
        rst = [p for p in mine if p.has(RST)]
        need(rst, f'no RST from the {by}')
        fin = [p for p in mine if p.has(FIN)]
        if rst:
            peer_data = [p for p in fl.other(by) if p.len > 0 and p.no < rst[0].no]
            my_data = [p for p in mine if p.len > 0 and p.no < rst[0].no]
            if cls == 'RST_AFTER_CLOSE':
                need(fin and fin[0].no < rst[0].no, f'the {by} sent no FIN before its RST')
                need(fin and [p for p in peer_data if p.no > fin[0].no] or
                     [p for p in peer_data if fin and p.seq + p.len > fin[0].ack],
                     'no peer data after the FIN')
            else:
                need(not fin, f'the {by} sent FIN')
                later = peer_data and (not my_data or peer_data[-1].no > my_data[-1].no)
                need(bool(later) == (cls == 'RST_UNREAD_DATA'),
                     'peer data after the RST sender\'s last data' +
                     (' missing' if cls == 'RST_UNREAD_DATA' else ' present'))
    elif cls == 'FIN_ORDERLY':
        cf = [p for p in fl.c if p.has(FIN)]
        sf = [p for p in fl.s if p.has(FIN)]
        need(cf and sf, 'not both FINs')
        pre = [p for p in rsts if cf and sf and p.no < max(cf[0].no, sf[0].no)]
        need(not pre, 'RST before both FINs')
        if cf and sf:
            crossed = cf[0].ack <= sf[0].seq and sf[0].ack <= cf[0].seq
            if by == 'unknown':
                need(crossed, 'the FINs did not cross')
            else:
                need(first_fin in fl.side(by) and not crossed, f'first FIN not from the {by}')
    elif cls == 'OPEN_AT_END':
        need(not rsts, 'a RST was seen')
        cf = [p for p in fl.c if p.has(FIN)]
        sf = [p for p in fl.s if p.has(FIN)]
        need(not (cf and sf), 'both FINs were seen')
        if 'HALF_CLOSED' in r['tags']:
            need(fl.side(by) and [p for p in fl.side(by) if p.has(FIN)], f'no FIN from the {by}')
    else:
        bad.append(f'unknown class {cls}')
    if 'KEEPALIVE_RACE' in r['tags']:
        end = [p for p in fl.pkts if p.has(FIN) or p.has(RST)]
        if end:
            e = end[0]
            peer = fl.s if e in fl.c else fl.c
            sent = [p for p in peer if p.len > 0 and p.no < e.no + 50]
            need([p for p in sent if p.seq + p.len > e.ack], 'the ending acked all peer data')
    if 'HALF_CLOSED' in r['tags']:
        need(cls == 'OPEN_AT_END', 'HALF_CLOSED outside OPEN_AT_END')
    if 'KEEPALIVE_UNANSWERED' in r['tags']:
        need([p for p in fl.pkts if p.keepalive], 'no keep-alive seen')
    if 'RETRANSMISSION_BACKOFF' in r['tags']:
        rt = [p for p in fl.pkts if p.retrans]
        gaps = [b.t - a.t for a, b in zip(rt, rt[1:])]
        need(len(gaps) >= 2 and all(g2 > g1 * 1.5 for g1, g2 in zip(gaps, gaps[1:])),
             f'retransmission gaps {[round(g, 2) for g in gaps]} do not grow')
    if 'DATA_AFTER_RST' in r['tags']:
        rs = [p for p in rsts if forged(p)]
        need(rs and [p for p in fl.pkts if p.src == rs[0].src and p.len > 0 and p.no > rs[0].no],
             'no data from the claimed RST sender after its RST')
    if 'MIDSTREAM' in r['tags']:
        need(not any(p.has(SYN) for p in fl.pkts), 'a SYN was seen')
    return bad


def _who(fl, p):
    return 'client' if p in fl.c else 'server'


def check(truth):
    problems = []
    cap = capture_of(truth)
    if not cap:
        return [f'{truth}: no single capture next to it']
    head, rows = read_truth(truth)
    for k in ('scenario', 'capture point', 'kernel'):
        if k not in head:
            problems.append(f'{truth}: header "# {k}:" missing')
    idle = duration(head['idle-threshold']) if 'idle-threshold' in head else None
    pkts = packets(cap)
    # TTL each host's ordinary segments carry (SYN-ACK / data / pure ACK, not RST)
    ttl_of = {}
    for p in pkts:
        if not p.has(RST):
            ttl_of.setdefault((p.src, 'data'), p.ttl)
    streams = {}
    for p in pkts:
        streams.setdefault(p.stream, []).append(p)
    used = set()
    for r in rows:
        key = {(r['cip'], r['cport'], r['sip'], r['sport']), (r['sip'], r['sport'], r['cip'], r['cport'])}
        cands = [n for n, ps in sorted(streams.items()) if n not in used and
                 (ps[0].src, ps[0].sport, ps[0].dst, ps[0].dport) in key]
        if not cands:
            problems.append(f'{cap}: no flow {r["cip"]}:{r["cport"]} -> {r["sip"]}:{r["sport"]}')
            continue
        used.add(cands[0])
        for b in check_flow(Flow(r, streams[cands[0]]), ttl_of, idle):
            problems.append(f'{cap}: stream {cands[0]} ({r["cls"]} by {r["by"]}): {b}')
    unlabelled = sorted(set(streams) - used)
    if unlabelled and 'unlabelled' not in head:
        problems.append(f'{cap}: streams {unlabelled} have no truth row')
    return problems


def report(targets, pattern, fn, noun):
    """Runs fn on every file matching pattern in targets (dirs or files); prints and returns
    the exit status (1 when anything disagrees)."""
    paths = []
    for t in targets:
        paths += sorted(glob.glob(os.path.join(t, pattern))) if os.path.isdir(t) else [t]
    problems = []
    for t in paths:
        p = fn(t)
        problems += p
        print(f'{"ok  " if not p else "BAD "} {os.path.basename(t)}')
    for p in problems:
        print('  ' + p)
    print(f'{len(paths)} {noun}, {len(problems)} problems')
    return 1 if problems else 0


def main(args):
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..')
    return report(args or [here], '*.truth.tsv', check, 'truth files')


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
