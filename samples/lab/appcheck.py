#!/usr/bin/env python3
"""Cross-checks every `<scenario>.app.tsv` against tshark's decoding of the application layer.

    python3 samples/lab/appcheck.py [samples/app or .app.tsv files...]

For each message the truth names (request, response, goodbye, alert) it asks tshark, without
TCP reassembly, what the frame holds: the frame must go from the named side of the flow and
carry what the text says (HTTP method, URI, Host and status; PostgreSQL query, message type and
SQLSTATE; MySQL command, user and error code; Redis command and reply; TLS ClientHello with its
SNI and ALPN, alert records and their description). Then: a goodbye is its sender's last data
and its sender's FIN or RST follows; `unanswered` agrees with the frames of request and
response; a `timer` names a `# timer:` line. Exit status 1 when anything disagrees.
"""
import glob
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from apptruth import norm, read_app  # noqa: E402
from check import report  # noqa: E402
from clients import ALERTS  # noqa: E402

FIELDS = ['frame.number', 'ip.src', 'ipv6.src', 'tcp.srcport', 'ip.dst', 'ipv6.dst',
          'tcp.dstport', 'tcp.len', 'tcp.flags', 'http.request.method', 'http.request.uri',
          'http.host', 'http.response.code', 'pgsql.type', 'pgsql.code', 'pgsql.query',
          'mysql.error_code', 'mysql.query', 'mysql.user', 'resp.string', 'resp.error',
          'resp.integer', 'resp.bulk_string.value', 'tls.handshake.type',
          'tls.handshake.extensions_server_name', 'tls.handshake.extensions_alpn_str',
          'tls.record.content_type', 'tls.alert_message.desc']
DISSECTOR = {'http': 'http', 'tls': 'tls', 'postgresql': 'pgsql', 'mysql': 'mysql',
             'redis': 'resp'}
ALERT_CODES = {v: k for k, v in ALERTS.items()}


def frames(capture, rows):
    cmd = ['tshark', '-r', capture, '-Y', 'tcp', '-T', 'fields', '-E', 'separator=\t',
           '-E', 'occurrence=a', '-E', 'aggregator=|', '-o', 'tcp.desegment_tcp_streams:FALSE']
    for port, proto in sorted({(r['server_port'], r['protocol']) for r in rows}):
        cmd += ['-d', f'tcp.port=={port},{DISSECTOR[proto]}']
    for f in FIELDS:
        cmd += ['-e', f]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    table = {}
    for line in out.splitlines():
        v = dict(zip(FIELDS, line.split('\t')))
        v['src'] = (norm(v['ip.src'] or v['ipv6.src']), int(v['tcp.srcport']))
        v['dst'] = (norm(v['ip.dst'] or v['ipv6.dst']), int(v['tcp.dstport']))
        v['flags'] = int(v['tcp.flags'], 16)
        table[int(v['frame.number'])] = v
    return table


def has(v, field, value):
    return str(value) in v[field].split('|')


def decodes(proto, text, v, row):
    """None when the frame's decoding agrees with the text, else what disagrees."""
    if proto == 'http':
        if ' HTTP/1.1 (Host: ' in text:
            method, uri = text.split()[:2]
            host = text.split('(Host: ')[1].rstrip(')')
            ok = has(v, 'http.request.method', method) and has(v, 'http.request.uri', uri) \
                and has(v, 'http.host', host)
        else:
            ok = has(v, 'http.response.code', text.split()[1])
    elif proto == 'postgresql':
        if text.startswith('Query "'):
            ok = has(v, 'pgsql.query', text[7:-1])
        elif text.startswith(('FATAL', 'ERROR')):
            ok = has(v, 'pgsql.code', text.split()[1])
        else:
            want = {'PasswordMessage (md5)': 'Password message', 'Terminate': 'Termination',
                    'RowDescription': 'Row description'}[text]
            ok = has(v, 'pgsql.type', want)
    elif proto == 'mysql':
        if text.startswith('ERR '):
            ok = has(v, 'mysql.error_code', text.split()[1])
        elif text.startswith('COM_QUERY "'):
            ok = has(v, 'mysql.query', text[11:-1])
        elif text.startswith('Login user='):
            ok = has(v, 'mysql.user', text.split('=', 1)[1])
        else:  # a result set: the dissector names no field we can compare; direction only
            ok = text.startswith('ResultSet')
    elif proto == 'redis':
        if text[:1] == '+':
            ok = has(v, 'resp.string', text[1:])
        elif text[:1] == '-':
            ok = has(v, 'resp.error', text[1:])
        elif text[:1] == ':':
            ok = has(v, 'resp.integer', text[1:])
        elif '(inline' in text:  # an inline command: tshark's RESP reads arrays only
            ok = True
        else:
            words = [bytes.fromhex(x).decode() for x in v['resp.bulk_string.value'].split('|')
                     if x]
            ok = ' '.join(words) == text
    elif proto == 'tls':
        types = v['tls.record.content_type'].split('|')
        if text == 'ClientHello':
            ok = has(v, 'tls.handshake.type', 1) and \
                v['tls.handshake.extensions_server_name'] == row['sni'] and \
                v['tls.handshake.extensions_alpn_str'].replace('|', ',') == row['alpn']
        elif text.startswith('Alert '):
            ok = '21' in types and has(v, 'tls.alert_message.desc', ALERT_CODES[text.split()[2]])
        elif 'encrypted alert' in text:
            ok = '21' in types and not v['tls.alert_message.desc']
        else:
            ok = '23' in types
    else:
        return f'unknown protocol {proto}'
    return None if ok else f'tshark does not read "{text}" there'


def check_row(row, table, timers):
    bad = []
    client = (norm(row['client_ip']), int(row['client_port']))
    server = (norm(row['server_ip']), int(row['server_port']))
    flow = [v for n, v in sorted(table.items()) if {v['src'], v['dst']} == {client, server}]
    side = {'client': client, 'server': server}
    msgs = {}
    for kind, default in (('request', 'client'), ('response', 'server'), ('goodbye', None),
                          ('alert', None)):
        if not row[f'{kind}_frame']:
            continue
        frm = row.get(f'{kind}_from') or default
        no = int(row[f'{kind}_frame'])
        msgs[kind] = no
        v = table.get(no)
        if v is None or v['src'] != side[frm] or v['dst'] not in side.values():
            bad.append(f'{kind} frame {no} is not from the {frm} of this flow')
            continue
        if int(v['tcp.len']) == 0:
            bad.append(f'{kind} frame {no} carries no payload')
        why = decodes(row['protocol'], row[kind], v, row)
        if why:
            bad.append(f'{kind} frame {no}: {why}')
    if 'goodbye' in msgs:
        who = side[row['goodbye_from']]
        later = [v for v in flow if v['src'] == who and int(v['frame.number']) > msgs['goodbye']]
        if [v for v in later if int(v['tcp.len']) > 0]:
            bad.append('the goodbye is not its sender\'s last data')
        if not [v for v in later + [table[msgs['goodbye']]] if v['flags'] & 0x05]:
            bad.append('no FIN or RST from the goodbye\'s sender after it')
    if row['protocol'] != 'tls' and 'request' in msgs:
        answered = 'response' in msgs and msgs['response'] > msgs['request']
        if answered == (row['unanswered'] == 'true'):
            bad.append(f'unanswered {row["unanswered"]} but the response frame is '
                       f'{msgs.get("response")} and the request {msgs["request"]}')
    if row['timer']:
        ep, sd, secs = row['timer'].split()
        if not [t for t in timers if t['endpoint'] == ep and t['side'] == sd and
                f"{t['seconds']:g}s" == secs]:
            bad.append(f'timer {row["timer"]} has no # timer: line')
    return bad


def check_app(path):
    stem = path[:-len('.app.tsv')]
    caps = [p for p in glob.glob(stem + '.*') if not p.endswith(('.truth.tsv', '.app.tsv'))]
    if len(caps) != 1:
        return [f'{path}: no single capture next to it']
    timers, rows = read_app(path)
    table = frames(caps[0], rows)
    problems = []
    for r in rows:
        for b in check_row(r, table, timers):
            problems.append(f'{os.path.basename(path)} {r["client_ip"]}:{r["client_port"]} -> '
                            f'{r["server_ip"]}:{r["server_port"]}: {b}')
    return problems


def main(args):
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'app')
    return report(args or [here], '*.app.tsv', check_app, 'app truth files')


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
