#!/usr/bin/env python3
"""Checks `tcpautopsy compare` on the lab's pairs against what the router did.

    python3 samples/lab/paircheck.py target/tcpautopsy.jar [samples/pairs]
    python3 samples/lab/paircheck.py ./my-tcpautopsy-script /tmp/pairs      # any command that runs it

For every <name>.truth.tsv it runs `compare <name>-a.pcap <name>-b.pcap -f json -o -` and checks,
frame for frame, that the segments lost from A to B and from B to A and those that appeared at A
or at B are exactly the truth's (the router's NFLOG and the injector's log), that every connection
is paired with the one the server's accept() saw (through NAT too), or is seen at A only where the
router kept it from the server, and that each connection's verdict is the truth's class and `by`.
Exit status 1 when anything disagrees. Also holds the tshark reading that pairs.py uses.
"""
import glob
import ipaddress
import json
import os
import subprocess
import sys

FIELDS = ['frame.number', 'frame.time_epoch', 'ip.src', 'ip.dst', 'ipv6.src', 'ipv6.dst',
          'tcp.srcport', 'tcp.dstport', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.flags', 'tcp.len',
          'ip.id', 'tcp.options', 'tcp.window_size_value', 'ip.len', 'ip.hdr_len', 'ipv6.plen',
          'tcp.hdr_len']
KINDS = ('lostAtoB', 'lostBtoA', 'appearedAtA', 'appearedAtB')
FLAG_NAMES = ((0x02, 'SYN'), (0x01, 'FIN'), (0x04, 'RST'), (0x10, 'ACK'))


def endpoint(ip, port):
    ip = str(ipaddress.ip_address(ip))
    return f'[{ip}]:{port}' if ':' in ip else f'{ip}:{port}'


class Pkt:
    def __init__(self, f, prefix=None):
        self.no, self.t = int(f[0]), float(f[1])
        self.src = str(ipaddress.ip_address(f[2] or f[4]))
        self.dst = str(ipaddress.ip_address(f[3] or f[5]))
        self.sport, self.dport = int(f[6]), int(f[7])
        self.seq, self.ack, self.flags = int(f[8]), int(f[9]), int(f[10], 16)
        # from the IP header: tshark's tcp.len of an IPv6 packet cut short (NFLOG) is what was kept
        ip_payload = int(f[15]) - int(f[16]) if f[15] else int(f[17])
        self.len = ip_payload - int(f[18])
        self.ipid = int(f[12], 16) if f[12] else None
        self.options, self.win = f[13], int(f[14])
        self.prefix = prefix

    def key(self):
        return (self.seq, self.ack, self.flags, self.len, self.ipid, self.options, self.win)

    def what(self):
        names = '+'.join(n for bit, n in FLAG_NAMES if self.flags & bit)
        return f'{names} seq {self.seq} ack {self.ack} len {self.len}'


class Frames:
    """The TCP frames of one capture as tshark reads them (NFLOG captures too, with their prefix)."""

    def __init__(self, path, nflog=False):
        cmd = ['tshark', '-r', path, '-Y', 'tcp', '-T', 'fields', '-E', 'separator=\t']
        for f in FIELDS + (['nflog.prefix'] if nflog else []):
            cmd += ['-e', f]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=60).stdout
        self.frames = []
        for line in out.splitlines():
            f = line.split('\t')
            self.frames.append(Pkt(f, f[len(FIELDS)] if nflog else None))
        records = subprocess.run(['capinfos', '-M', '-r', '-T', '-c', path], capture_output=True, text=True,
                                 check=True, timeout=60).stdout.split()[-1]
        if nflog and int(records) != len(self.frames):
            raise ValueError(f'{path}: {records} records, {len(self.frames)} of them TCP')

    def alike(self, p):
        """The frames whose header fields are all those of packet p."""
        return [q for q in self.frames if q.key() == p.key()]

    def find(self, p):
        """The frame that is packet p, the nearest in time when several are alike."""
        same = self.alike(p)
        if not same:
            raise LookupError(f'no frame is {p.what()}')
        return min(same, key=lambda q: abs(q.t - p.t))

    def find_forged(self, f):
        same = [q for q in self.frames if (q.seq, q.ack, q.flags, q.len) == (f['seq'], f['ack'], f['flags'], 0)
                and q.src == f['src'] and (f['ipid'] is None or q.ipid == f['ipid'])]
        if not same:
            raise LookupError(f'the forged RST {f} is in no frame')
        return min(same, key=lambda q: abs(q.t - f['time']))


def read_truth(path):
    head, conns, segs = {}, [], set()
    for line in open(path):
        line = line.rstrip('\n')
        if line.startswith('#'):
            k, _, v = line[1:].strip().partition(':')
            head[k.strip()] = v.strip()
            continue
        c = line.split('\t')
        if c[0] == 'conn':
            conns.append(dict(kind=c[1], a=(c[4], c[5]), b=(c[6], c[7]), cls=c[8], by=c[9]))
        elif c[0] == 'segment':
            segs.add((c[1], int(c[2]) if c[1] in ('lostAtoB', 'appearedAtA') else int(c[3])))
    return head, conns, segs


def compare(jar, a, b, idle):
    cmd = (['java', '-jar', jar] if jar.endswith('.jar') else [jar]) + ['compare', a, b, '-f', 'json', '-o', '-']
    if idle:
        cmd += ['--idle-threshold', idle]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise RuntimeError(f'compare exited {r.returncode}: {r.stderr.strip()}')
    return json.loads(r.stdout)


def ends(side):
    return (endpoint(side['client']['ip'], side['client']['port']),
            endpoint(side['server']['ip'], side['server']['port']))


def check(jar, truth_path):
    head, conns, want = read_truth(truth_path)
    stem = truth_path[:-len('.truth.tsv')]
    doc = compare(jar, stem + '-a.pcap', stem + '-b.pcap', head.get('idle-threshold'))
    problems, got, verdicts = [], set(), {}
    for c in doc['connections']:
        key = (ends(c['a']), ends(c['b']))
        verdicts[key] = (c['termination']['class'], c['termination']['by'])
        for kind in KINDS:
            for s in c[kind]:
                got.add((kind, s['frameA'] if kind in ('lostAtoB', 'appearedAtA') else s['frameB']))
    for side, kinds in (('onlyInA', ('lostAtoB', 'appearedAtA')), ('onlyInB', ('lostBtoA', 'appearedAtB'))):
        for c in doc[side]:
            key = (ends(c), None) if side == 'onlyInA' else (None, ends(c))
            verdicts[key] = (c['termination']['class'], c['termination']['by'])
            for kind in kinds:
                for s in c.get(kind, []):
                    got.add((kind, s['frameA'] if kind in ('lostAtoB', 'appearedAtA') else s['frameB']))
    for kind, frame in sorted(want - got):
        problems.append(f'{kind} frame {frame}: the router did it, compare does not list it')
    for kind, frame in sorted(got - want):
        problems.append(f'{kind} frame {frame}: compare lists it, the router did not do it')
    for c in conns:
        key = (c['a'], c['b'] if c['kind'] == 'matched' else None)
        if key not in verdicts:
            problems.append(f'{c["a"]} (B: {c["b"]}): not paired as the truth says ({c["kind"]})')
        elif verdicts[key] != (c['cls'], c['by']):
            problems.append(f'{c["a"]}: verdict {verdicts[key]}, truth {(c["cls"], c["by"])}')
    if len(verdicts) != len(conns):
        problems.append(f'{len(verdicts)} connections in the comparison, {len(conns)} in the truth')
    counts = {k: sum(1 for s in want if s[0] == k) for k in KINDS}
    nat = sum(1 for c in conns if c['kind'] == 'matched' and c['a'][0].rsplit(':', 1)[0] != c['b'][0].rsplit(':', 1)[0])
    return problems, counts, nat, doc.get('summary', {}).get('text', '')


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    jar = sys.argv[1]
    where = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                               '..', 'pairs')
    bad = 0
    for t in sorted(glob.glob(os.path.join(where, '*.truth.tsv'))):
        problems, counts, nat, summary = check(jar, t)
        name = os.path.basename(t)[:-len('.truth.tsv')]
        print(f'{name}: ' + ', '.join(f'{k} {v}' for k, v in counts.items()) + f', {nat} matched through NAT')
        print(f'  {summary}')
        for p in problems:
            print(f'  {p}')
        bad += bool(problems)
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
