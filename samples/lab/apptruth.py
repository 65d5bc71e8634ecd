"""The application facts of a capture, `<scenario>.app.tsv`, next to its `<scenario>.truth.tsv`.

Every message named in it carries the number of the frame that holds its first byte, found by
matching the bytes the scripts sent or received, at their offset in that direction of the TCP
stream, against the capture as tshark reads it without reassembly
(`-o tcp.desegment_tcp_streams:FALSE`). A message of a leg no script drove (a proxy's backend
connection) is found by its bytes in that direction's stream. Nothing is guessed: a message that
cannot be found fails the scenario.
"""
import datetime
import ipaddress
import os
import subprocess

COLUMNS = ('client_ip', 'client_port', 'server_ip', 'server_port', 'protocol', 'request_frame',
           'request', 'response_frame', 'response', 'unanswered', 'goodbye_frame',
           'goodbye_from', 'goodbye', 'sni', 'alpn', 'alert_frame', 'alert_from', 'alert',
           'timer')


def norm(ip):
    return str(ipaddress.ip_address(ip))


class Segments:
    """The TCP segments of one capture, by direction (src, sport, dst, dport)."""

    def __init__(self, capture):
        cmd = ['tshark', '-r', capture, '-Y', 'tcp', '-T', 'fields', '-E', 'separator=\t',
               '-o', 'tcp.desegment_tcp_streams:FALSE', '-o', 'tcp.relative_sequence_numbers:TRUE',
               '-o', 'tcp.analyze_sequence_numbers:TRUE']
        for f in ('frame.number', 'ip.src', 'ipv6.src', 'tcp.srcport', 'ip.dst', 'ipv6.dst',
                  'tcp.dstport', 'tcp.stream', 'tcp.seq', 'tcp.len', 'tcp.payload'):
            cmd += ['-e', f]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        self.dirs = {}
        for line in out.splitlines():
            f = line.split('\t')
            if len(f) < 11:
                continue
            key = (norm(f[1] or f[2]), int(f[3]), norm(f[4] or f[5]), int(f[6]))
            payload = bytes.fromhex(f[10].replace(':', '')) if f[10] else b''
            self.dirs.setdefault(key, []).append(
                (int(f[0]), int(f[7]), int(f[8]) - 1, int(f[9]), payload))

    def streams(self, key):
        return sorted({s for _, s, _, _, _ in self.dirs.get(key, [])})

    def frame_at(self, key, offset, data):
        """The first frame carrying byte `offset` of direction key; its bytes must be `data`."""
        for no, _, off, n, payload in self.dirs.get(key, []):
            if off <= offset < off + n:
                part = payload[offset - off:offset - off + len(data)]
                if not data.startswith(part) or not part:
                    raise ValueError(f'frame {no}: bytes at offset {offset} are {part[:16]!r}, '
                                     f'expected {data[:16]!r}')
                return no
        raise ValueError(f'no frame carries byte {offset} of {key}')

    def find(self, key, needle, occurrence):
        """Offset of the occurrence-th match of needle in the direction's byte stream."""
        stream = bytearray()
        for _, _, off, n, payload in self.dirs.get(key, []):
            if n and off + n > len(stream):
                stream[len(stream):] = bytes(max(0, off - len(stream)))
                stream[off:off + n] = payload
        at, hits = 0, []
        while True:
            i = stream.find(needle, at)
            if i < 0:
                break
            hits.append(i)
            at = i + 1
        if not hits:
            raise ValueError(f'{needle[:24]!r} not in {key}')
        return hits[occurrence]


class AppTruth:
    """Rows of application facts; write() resolves every message's frame in the capture."""

    def __init__(self, point, comments=()):
        self.point = point
        self.comments = list(comments)
        self.timers = []
        self.rows = []

    def timer(self, endpoint, side, seconds, what):
        """A configured timer: endpoint (ip, port), its side (server / client / middlebox)."""
        self.timers.append(f'{endpoint[0]}:{endpoint[1]}\t{side}\t{seconds:g}s\t{what}')

    def add(self, client, server, protocol, request=None, response=None, unanswered=False,
            goodbye=None, sni=None, alpn=None, alert=None, timer=None):
        self.rows.append(dict(client=(norm(client[0]), client[1]),
                              server=(norm(server[0]), server[1]), protocol=protocol,
                              request=request, response=response, unanswered=unanswered,
                              goodbye=goodbye, sni=sni, alpn=alpn, alert=alert, timer=timer))

    def resolve(self, capture):
        segs = Segments(capture)
        for r in self.rows:
            c2s = (*r['client'], *r['server'])
            s2c = (*r['server'], *r['client'])
            if len(segs.streams(c2s)) != 1:
                raise ValueError(f'{c2s}: {len(segs.streams(c2s))} streams in the capture')
            for k in ('request', 'response', 'goodbye', 'alert'):
                m = r[k]
                if m is None:
                    continue
                key = c2s if m.frm == 'client' else s2c
                if m.search:
                    m.offset = segs.find(key, *m.search)
                m.frame = segs.frame_at(key, m.offset, m.data)

    def write(self, path, capture):
        self.resolve(capture)
        made = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
        lines = [f'# capture point: {self.point}',
                 f'# kernel: {os.uname().release}   made: {made}']
        lines += [f'# {c}' for c in self.comments]
        lines += [f'# timer: {t}' for t in self.timers]
        lines.append('\t'.join(COLUMNS))
        for r in self.rows:
            def msg(k, with_from=False):
                m = r[k]
                if m is None:
                    return ['', ''] + ([''] if with_from else [])
                return [str(m.frame)] + ([m.frm] if with_from else []) + [clean(m.text)]
            cells = [r['client'][0], str(r['client'][1]), r['server'][0], str(r['server'][1]),
                     r['protocol']] + msg('request') + msg('response') + \
                    ['true' if r['unanswered'] else 'false'] + msg('goodbye', True) + \
                    [r['sni'] or '', r['alpn'] or ''] + msg('alert', True) + [r['timer'] or '']
            lines.append('\t'.join(cells))
        with open(path, 'w') as f:
            f.write('\n'.join(lines) + '\n')


def clean(text):
    return ' '.join(text.replace('\t', ' ').split())


def read_app(path):
    """Returns (timers, rows as dicts) of an .app.tsv."""
    timers, rows, cols = [], [], None
    for line in open(path):
        line = line.rstrip('\n')
        if line.startswith('# timer:'):
            ep, side, secs, what = line[len('# timer:'):].strip().split('\t')
            timers.append(dict(endpoint=ep, side=side, seconds=float(secs[:-1]), what=what))
        elif line.startswith('#') or not line.strip():
            continue
        elif cols is None:
            cols = line.split('\t')
        else:
            rows.append(dict(zip(cols, line.split('\t'))))
    return timers, rows
