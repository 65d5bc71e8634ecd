#!/usr/bin/env python3
"""Pairs of captures: the same connections at the client's and at the server's interface at once,
with a router between them that drops, rejects, forgets, injects and translates, and writes down
every packet it dropped or made.

    sudo python3 samples/lab/pairs.py                       # every pair into samples/pairs/
    sudo python3 samples/lab/pairs.py nat --out /tmp/pairs
    python3 samples/lab/pairs.py --list

Each pair is <name>-a.pcap (tcpdump on the client's c0), <name>-b.pcap (on the server's s0) and
<name>.truth.tsv. The truth does not come from tcpautopsy:
  - every packet the router drops or rejects goes through a chain that logs it to NFLOG group 1
    (prefix 'drop') before dropping it, and every RST the router's own stack sends (REJECT) is
    logged in OUTPUT (prefix 'made'); tcpdump records the group on the router;
  - pairinject.py prints the one RST it forges;
  - each of those packets is then found in the capture where it was last seen before the router
    (a drop: the sender's side) or first seen after it (a made packet: the receiver's side), by
    its sequence and acknowledgement numbers, flags, length, IP ID, TCP options and window, the
    nearest in time when several agree (all namespaces share one clock).
The sockets give the rest: each connection's ends as the client and as the server saw them (the
server's accept() shows the address and port after NAT) and what each syscall returned.

Namespaces compare-c, compare-r, compare-s are created and deleted by name; every helper runs
with a time limit; each pair takes some 10 s. A pair whose sockets or wire disagree with the
plan is retried (3 times) and replaces nothing.
"""
import argparse
import json
import os
import shutil
import socket
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import netlab  # noqa: E402

# This script's own namespaces, so that it never touches those of the single-capture lab.
CLIENT, ROUTER, SERVER = 'compare-c', 'compare-r', 'compare-s'
netlab.NS_C, netlab.NS_R, netlab.NS_S, netlab.NS_D = CLIENT, ROUTER, SERVER, 'compare-d'
netlab.ALL_NS = (CLIENT, ROUTER, SERVER, 'compare-d')

from netlab import (C4, C6, HERE, R4S, R6S, S4, S6, Capture, Lab, in_thread, ipt, linger0,  # noqa: E402
                    local, outcome, recv_exact, sysctl)
from paircheck import Frames, endpoint  # noqa: E402

CLIENT_ADDRS = {C4, C6}
PAIRS = {}


def pair_scenario(fn):
    PAIRS[fn.__name__] = fn
    return fn


class Fail(Exception):
    pass


def expect(cond, what):
    if not cond:
        raise Fail(what)


def request(path, extra=b''):
    return b'GET ' + path.encode() + b' HTTP/1.1\r\nHost: lab.example\r\n\r\n' + extra


def response(n, word=b''):
    return b'HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n' % (n + len(word)) + word + b'x' * n


def user_timeout(s, ms=2000):
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_USER_TIMEOUT, ms)


# ---------------------------------------------------------------------------------------------
# the router's rules: every drop and every RST it makes goes to NFLOG group 1 first
# ---------------------------------------------------------------------------------------------

# Headers only: whole packets of 1.5 KB sometimes reached tcpdump without their payload TLV.
HEADERS = ('--nflog-size', '128', '--nflog-threshold', '1')


def router_logging():
    for v6 in (False, True):
        for chain, verdict in (('LOSS', ['DROP']), ('REJ', ['REJECT', '--reject-with', 'tcp-reset'])):
            ipt(ROUTER, '-N', chain, v6=v6)
            ipt(ROUTER, '-A', chain, '-j', 'NFLOG', '--nflog-group', '1', '--nflog-prefix', 'drop',
                *HEADERS, v6=v6)
            ipt(ROUTER, '-A', chain, '-p', 'tcp', '-j', *verdict, v6=v6)
        ipt(ROUTER, '-A', 'OUTPUT', '-p', 'tcp', '--tcp-flags', 'RST', 'RST', '-j', 'NFLOG',
            '--nflog-group', '1', '--nflog-prefix', 'made', *HEADERS, v6=v6)


def both(*rule):
    for v6 in (False, True):
        ipt(ROUTER, *rule, v6=v6)


# ---------------------------------------------------------------------------------------------
# one connection each: the client side in one thread, its server in another
# ---------------------------------------------------------------------------------------------

class Conn:
    """What one connection was, as its sockets saw it: the truth file's conn row."""

    def __init__(self, plan, cls, by):
        self.plan, self.cls, self.by = plan, cls, by
        self.a = self.b = None  # ((client ip, port), (server ip, port)) at A and at B
        self.notes = ''


class Flow:
    def __init__(self, lab, addr, port):
        self.lab, self.addr, self.port = lab, addr, port
        self.srv = lab.listen(SERVER, addr, port)

    def open(self, conn, timeouts=False):
        cli, r = self.lab.connect(self.addr, self.port, ns=CLIENT)
        expect(r == 'ok', f'{conn.plan}: connect -> {r}')
        srv, _ = self.srv.accept()
        srv.settimeout(20)
        if timeouts:
            user_timeout(cli)
            user_timeout(srv)
        conn.a = (local(cli), (self.addr, self.port))
        conn.b = (srv.getpeername()[:2], local(srv))
        return cli, srv


def abort(*socks):
    """Closes with SO_LINGER 0: one RST at most, rather than FINs retransmitted after the captures stop."""
    for s in socks:
        linger0(s)
        s.close()


def ask(cli, srv, path):
    """The client sends a request for path; the server reads all of it."""
    req = request(path)
    cli.sendall(req)
    expect(recv_exact(srv, len(req)) == req, f'the server did not get {path}')


def exchange(cli, srv, path='/', size=600, word=b''):
    ask(cli, srv, path)
    resp = response(size, word)
    srv.sendall(resp)
    expect(len(recv_exact(cli, len(resp))) == len(resp), f'client did not get the answer to {path}')


def close(cli, srv, first, plan):
    a, b = (cli, srv) if first == 'client' else (srv, cli)
    a.close()
    r = outcome(lambda: b.recv(100))
    expect(r == 'EOF', f'{plan}: the {first} closed first; the other recv -> {r}')
    b.close()
    return f'{first} close(); the other recv -> EOF, close()'


def normal(flow, conn, exchanges=1, size=600, first='client'):
    cli, srv = flow.open(conn)
    for i in range(exchanges):
        exchange(cli, srv, f'/{i}', size)
        time.sleep(0.1)
    conn.notes = f'{exchanges} request/response, then {close(cli, srv, first, conn.plan)}'


def lossy(flow, conn, first):
    cli, srv = flow.open(conn)
    for i, size in enumerate((9000, 14000)):
        exchange(cli, srv, f'/big{i}', size)
    conn.notes = f'two responses of 9 and 14 KB under random loss; {close(cli, srv, first, conn.plan)}'


def rejected(lab, conn, addr, port):
    cli, r = lab.connect(addr, port, ns=CLIENT)
    expect(r == 'ECONNREFUSED', f'{conn.plan}: connect -> {r}')
    conn.a = (local(cli), (addr, port))
    conn.notes = f'the router REJECTs the SYN with tcp-reset although the server listens; connect() -> {r}'
    cli.close()


def drop_server_to_client(flow, conn, v6):
    cli, srv = flow.open(conn, timeouts=True)
    exchange(cli, srv, '/first')
    time.sleep(0.2)
    ipt(ROUTER, '-I', 'FORWARD', '-p', 'tcp', '--sport', str(flow.port), '-j', 'LOSS', v6=v6)
    ask(cli, srv, '/second')
    srv.sendall(response(2000))
    rc = outcome(lambda: cli.recv(100))
    rs = outcome(lambda: srv.recv(100))
    expect(rc == 'ETIMEDOUT' and rs == 'ETIMEDOUT', f'client recv -> {rc}, server recv -> {rs}')
    conn.notes = (f'after one exchange the router drops everything the server sends; the server '
                  f'answers /second into the void; TCP_USER_TIMEOUT 2 s: client recv -> {rc}, '
                  f'server recv -> {rs}')
    cli.close()
    srv.close()


def blackhole(flow, conn, v6=False):
    cli, srv = flow.open(conn, timeouts=True)
    exchange(cli, srv, '/first')
    time.sleep(0.2)
    for d in ('--dport', '--sport'):
        ipt(ROUTER, '-I', 'FORWARD', '-p', 'tcp', d, str(flow.port), '-j', 'LOSS', v6=v6)
    cli.sendall(request('/second'))
    rc = outcome(lambda: cli.recv(100))
    srv.settimeout(0.2)
    rs = outcome(lambda: srv.recv(100))
    expect(rc == 'ETIMEDOUT' and rs == 'no answer (app timeout)', f'client recv -> {rc}, server -> {rs}')
    conn.notes = (f'after one exchange the router drops the flow both ways; the client retransmits '
                  f'/second until TCP_USER_TIMEOUT 2 s: recv -> {rc}; the server saw nothing; both then abort (SO_LINGER 0)')
    abort(cli, srv)


def conntrack_expiry(flow, conn):
    cli, srv = flow.open(conn, timeouts=True)
    exchange(cli, srv, '/first')
    time.sleep(4.5)  # conntrack forgets an established flow after 3 idle seconds here
    cli.sendall(request('/after-idle'))
    rc = outcome(lambda: cli.recv(100))
    srv.settimeout(0.2)
    rs = outcome(lambda: srv.recv(100))
    expect(rc == 'ETIMEDOUT' and rs == 'no answer (app timeout)', f'client recv -> {rc}, server -> {rs}')
    conn.notes = (f'idle 4.5 s; conntrack had forgotten the flow (established timeout 3 s, '
                  f'tcp_loose 0), so the request is INVALID and dropped with its retransmissions; '
                  f'client recv -> {rc} (TCP_USER_TIMEOUT 2 s); the server saw nothing; both then abort (SO_LINGER 0)')
    abort(cli, srv)


def injected_towards_client(flow, conn, forged):
    cli, srv = flow.open(conn)
    exchange(cli, srv, '/first')
    time.sleep(0.2)
    ask(cli, srv, '/search?q=TRIGGER')
    time.sleep(0.4)  # the forged RST must reach the client before the true answer
    srv.sendall(response(300))
    rc = outcome(lambda: cli.recv(100))
    rs = outcome(lambda: srv.recv(100))
    expect(rc == 'ECONNRESET' and rs == 'ECONNRESET', f'client recv -> {rc}, server recv -> {rs}')
    forged.append(flow.injector.stdout.readline().strip())
    conn.notes = (f'a device on the router forges a RST to the client in the server\'s name (TTL 63, '
                  f'as the server\'s own packets arrive); client recv -> {rc}; the server\'s answer '
                  f'then meets the client kernel\'s RST: server recv -> {rs}')
    cli.close()
    srv.close()


def injected_towards_server(flow, conn, forged):
    cli, srv = flow.open(conn)
    exchange(cli, srv, '/first')
    ask(cli, srv, '/report')
    resp = response(500, b'TRIGGER')
    srv.sendall(resp)
    expect(len(recv_exact(cli, len(resp))) == len(resp), 'the client did not get the answer')
    rs = outcome(lambda: srv.recv(100))
    time.sleep(0.3)
    cli.sendall(request('/next'))
    cli.settimeout(3)
    rc = outcome(lambda: cli.recv(100))
    expect(rc == 'ECONNRESET' and rs == 'ECONNRESET', f'client recv -> {rc}, server recv -> {rs}')
    forged.append(flow.injector.stdout.readline().strip())
    conn.notes = (f'a device on the router forges a RST to the server in the client\'s name when '
                  f'the answer passes; server recv -> {rs}; the client\'s next request meets the '
                  f'server kernel\'s RST: client recv -> {rc}')
    cli.close()
    srv.close()


def acks_dropped(flow, conn):
    cli, srv = flow.open(conn, timeouts=True)
    ask(cli, srv, '/stream')

    def stream():
        for i in range(8):
            if i == 3:  # from now on nothing of the client's gets through
                ipt(ROUTER, '-I', 'FORWARD', '-p', 'tcp', '--dport', str(flow.port), '-j', 'LOSS')
            outcome(lambda: srv.send(b'%04d' % i + b'y' * 996))
            time.sleep(0.1)
    t = in_thread(stream)
    got = 0
    cli.settimeout(0.5)
    deadline = time.time() + 2.5
    while time.time() < deadline:
        try:
            got += len(cli.recv(100000))
        except OSError:
            pass
    t.join(5)
    linger0(cli)
    cli.close()
    srv.settimeout(5)
    rs = outcome(lambda: srv.recv(100))
    expect(got >= 3000 and rs == 'ETIMEDOUT', f'client got {got} bytes, server recv -> {rs}')
    conn.notes = (f'the server writes 8 chunks of 1000 bytes; from the fourth on the router drops '
                  f'everything the client sends (its ACKs, then its abortive RST after 2.5 s); the '
                  f'client read {got} bytes; server recv -> {rs} (TCP_USER_TIMEOUT 2 s)')
    srv.close()


# ---------------------------------------------------------------------------------------------
# the pairs
# ---------------------------------------------------------------------------------------------

def run_flows(jobs):
    threads = []
    for j in jobs:
        threads.append(in_thread(j))
        time.sleep(0.05)
    for t in threads:
        t.join(30)
    for t in threads:
        if not hasattr(t, 'result'):
            raise Fail('a flow did not finish in 30 s')
        if isinstance(t.result, BaseException):
            raise t.result


def spawn_injector(lab, iface, port, ttl):
    # 0.2 s after the trigger: the peer's ACK of it has arrived by then, and nothing else has
    p = lab.spawn(ROUTER, ['timeout', '40', 'python3', os.path.join(HERE, 'pairinject.py'),
                           '--iface', iface, '--port', str(port), '--word', 'TRIGGER', '--ttl',
                           str(ttl), '--delay', '0.2', '--seconds', '30'])
    expect(p.stdout.readline().strip() == 'ready', 'the injector did not start')
    return p


@pair_scenario
def faults(stage):
    """No NAT: the router drops one direction, both, a SYN (with a RST), at random, after a
    conntrack expiry, and forges a RST towards the client."""
    conns, forged = [], []
    with PairLab() as lab:
        router_logging()
        both('-A', 'FORWARD', '-p', 'tcp', '--dport', '8103', '--syn', '-j', 'REJ')
        for d in ('--dport', '--sport'):
            ipt(ROUTER, '-A', 'FORWARD', '-p', 'tcp', d, '8106', '-m', 'conntrack', '--ctstate',
                'INVALID', '-j', 'LOSS')
        both('-A', 'FORWARD', '-p', 'tcp', '-m', 'multiport', '--ports', '8108:8110', '!',
             '--tcp-flags', 'RST', 'RST', '-m', 'statistic', '--mode', 'random', '--probability',
             '0.1', '-j', 'LOSS')
        sysctl(ROUTER, net__netfilter__nf_conntrack_tcp_loose=0,
               net__netfilter__nf_conntrack_tcp_timeout_established=3)
        plan = [
            (S4, 8100, 'normal', 'FIN_ORDERLY', 'client', lambda f, c: normal(f, c)),
            (S6, 8101, 'normal', 'FIN_ORDERLY', 'server', lambda f, c: normal(f, c, 1, 1200, 'server')),
            (S4, 8102, 'normal', 'FIN_ORDERLY', 'client', lambda f, c: normal(f, c, 2)),
            (S4, 8103, 'reject', 'REFUSED', 'middlebox', None),
            (S6, 8104, 'drop-server-to-client', 'MIDDLEBOX_DROP', 'middlebox',
             lambda f, c: drop_server_to_client(f, c, True)),
            (S4, 8105, 'blackhole', 'MIDDLEBOX_DROP', 'middlebox', lambda f, c: blackhole(f, c)),
            (S4, 8106, 'conntrack-expiry', 'IDLE_TIMEOUT', 'middlebox', conntrack_expiry),
            (S4, 8107, 'rst-towards-client', 'MIDDLEBOX_RST', 'middlebox',
             lambda f, c: injected_towards_client(f, c, forged)),
            (S4, 8108, 'random-loss', 'FIN_ORDERLY', 'client', lambda f, c: lossy(f, c, 'client')),
            (S4, 8109, 'random-loss', 'FIN_ORDERLY', 'server', lambda f, c: lossy(f, c, 'server')),
            (S4, 8110, 'random-loss', 'FIN_ORDERLY', 'client', lambda f, c: lossy(f, c, 'client')),
        ]
        jobs = flows(lab, plan, conns, injector_port=8107, injector_if='r0', injector_ttl=63)
        return record(lab, stage, 'faults', conns, forged, jobs, 8199, idle='2s', comments=[
            'router rules: REJECT --reject-with tcp-reset on SYNs to 8103; conntrack INVALID '
            '(nf_conntrack_tcp_timeout_established=3, tcp_loose=0) dropped on 8106; '
            'statistic --mode random --probability 0.1 on 8108-8110 (RSTs exempt); 8104 and 8105 '
            'dropped from mid-flow on; pairinject.py resets the client of 8107 (TTL 63); 8199 closes '
            'the capture', 'random loss is on IPv4 flows only: IPv6 has no IP ID, so two copies of a '
            'segment sent within the same millisecond (a fast retransmission) are alike in every field, '
            'and no log can tell which of them the router dropped'])


@pair_scenario
def nat(stage):
    """MASQUERADE with port rewriting between the points, with random loss, a direction dropped,
    a SYN rejected and a RST forged towards the server."""
    conns, forged = [], []
    with PairLab() as lab:
        router_logging()
        for v6 in (False, True):
            ipt(ROUTER, '-t', 'nat', '-A', 'POSTROUTING', '-o', 'r1', '-p', 'tcp', '-j', 'MASQUERADE',
                '--to-ports', '40000-40999', v6=v6)
        # packets that conntrack finds out of window (after a loss) would leave untranslated
        sysctl(ROUTER, net__netfilter__nf_conntrack_tcp_be_liberal=1)
        both('-A', 'FORWARD', '-p', 'tcp', '--dport', '8204', '--syn', '-j', 'REJ')
        both('-A', 'FORWARD', '-p', 'tcp', '-m', 'multiport', '--ports', '8207:8208', '!',
             '--tcp-flags', 'RST', 'RST', '-m', 'statistic', '--mode', 'random', '--probability',
             '0.1', '-j', 'LOSS')
        plan = [
            (S4, 8200, 'normal', 'FIN_ORDERLY', 'client', lambda f, c: normal(f, c)),
            (S6, 8201, 'normal', 'FIN_ORDERLY', 'server', lambda f, c: normal(f, c, 1, 900, 'server')),
            (S4, 8202, 'normal', 'FIN_ORDERLY', 'client', lambda f, c: normal(f, c, 3, 300)),
            (S4, 8203, 'normal', 'FIN_ORDERLY', 'server', lambda f, c: normal(f, c, 1, 2500, 'server')),
            (S6, 8204, 'reject', 'REFUSED', 'middlebox', None),
            (S4, 8205, 'drop-client-to-server', 'MIDDLEBOX_DROP', 'middlebox', acks_dropped),
            (S4, 8206, 'rst-towards-server', 'MIDDLEBOX_RST', 'middlebox',
             lambda f, c: injected_towards_server(f, c, forged)),
            (S4, 8207, 'random-loss', 'FIN_ORDERLY', 'client', lambda f, c: lossy(f, c, 'client')),
            (S4, 8208, 'random-loss', 'FIN_ORDERLY', 'server', lambda f, c: lossy(f, c, 'server')),
        ]
        jobs = flows(lab, plan, conns, injector_port=8206, injector_if='r1', injector_ttl=64)
        return record(lab, stage, 'nat', conns, forged, jobs, 8299, comments=[
            'router rules: MASQUERADE --to-ports 40000-40999 out of r1 (IPv4 and IPv6: the server '
            'sees the router\'s address and another port); REJECT --reject-with tcp-reset on SYNs '
            'to 8204; statistic --mode random --probability 0.1 on 8207-8208 (RSTs exempt); 8205 '
            'dropped client to server from its fourth chunk on; pairinject.py resets the server '
            'of 8206 (TTL 64); 8299 closes the capture'])


def flows(lab, plan, conns, injector_port, injector_if, injector_ttl):
    jobs = []
    for addr, port, what, cls, by, fn in plan:
        c = Conn(f'{what} {port}', cls, by)
        conns.append(c)
        if fn is None:
            jobs.append(lambda c=c, addr=addr, port=port: rejected(lab, c, addr, port))
            c.listener = lab.listen(SERVER, addr, port)  # it listens: the RST is the router's
            continue
        f = Flow(lab, addr, port)
        if port == injector_port:
            f.injector = spawn_injector(lab, injector_if, port, injector_ttl)
        jobs.append(lambda f=f, c=c, fn=fn: fn(f, c))
    return jobs


def record(lab, stage, name, conns, forged, jobs, marker, idle=None, comments=()):
    a, b = os.path.join(stage, f'{name}-a.pcap'), os.path.join(stage, f'{name}-b.pcap')
    log = os.path.join(stage, f'{name}.nflog.pcap')
    nflog = Capture(ROUTER, 'nflog:1', log)
    cap_a = Capture(CLIENT, 'c0', a, snaplen=256)
    cap_b = Capture(SERVER, 's0', b, snaplen=256)
    run_flows(jobs)
    time.sleep(1.5)  # late retransmissions and last ACKs
    # A capture file does not say when it stopped, only when it saw its last packet: one last clean
    # connection shows both captures running past everything the others did.
    closing = Conn(f'closing {marker}', 'FIN_ORDERLY', 'client')
    normal(Flow(lab, S4, marker), closing)
    conns.append(closing)
    time.sleep(0.3)
    cap_a.stop(0)
    cap_b.stop(0)
    nflog.stop(0.2)  # last: whatever A or B captured and the router then dropped is logged
    truth = Truth(name, conns, [json.loads(x) for x in forged if x], idle, comments)
    truth.build(a, b, log)
    truth.write(os.path.join(stage, f'{name}.truth.tsv'))
    if not os.environ.get("PAIRS_KEEP_LOG"):
        os.unlink(log)


class PairLab(Lab):
    """The lab's topology in this script's own namespaces."""


# ---------------------------------------------------------------------------------------------
# the truth file
# ---------------------------------------------------------------------------------------------

class Truth:
    def __init__(self, name, conns, forged, idle, comments):
        self.name, self.conns, self.forged, self.idle = name, conns, forged, idle
        self.comments = list(comments)
        self.rows = []

    def build(self, a_path, b_path, log_path):
        a, b, log = Frames(a_path), Frames(b_path), Frames(log_path, nflog=True)
        expect(log.frames or self.forged, 'the router dropped and made nothing')
        by_a = {}
        for c in self.conns:
            key = endpoint(*c.a[0]), endpoint(*c.a[1])
            by_a[key] = by_a[tuple(reversed(key))] = c
        segs, logged = [], {}
        for p in log.frames:
            if p.prefix == 'drop':
                towards_b = p.src in CLIENT_ADDRS
                kind, where = ('lostAtoB', a) if towards_b else ('lostBtoA', b)
                note = 'NFLOG drop'
            else:
                towards_a = p.dst in CLIENT_ADDRS
                kind, where = ('appearedAtA', a) if towards_a else ('appearedAtB', b)
                note = 'NFLOG made (the router\'s own RST)'
            logged.setdefault((kind, p.key()), []).append(p)
            segs.append((kind, where.find(p), note))
        for (kind, key), same in logged.items():
            # copies alike in every field (IPv6 has no IP ID; TCP timestamps tick once a millisecond):
            # no log can tell which of them the router dropped unless it dropped them all
            frames = (a if kind in ('lostAtoB', 'appearedAtA') else b).alike(same[0])
            expect(len(frames) == len(same), f'{kind}: {len(same)} of {len(frames)} identical copies of '
                   f'{same[0].what()} logged: which ones is unknowable')
        for f in self.forged:
            towards_a = f['dst'] in CLIENT_ADDRS
            kind, where = ('appearedAtA', a) if towards_a else ('appearedAtB', b)
            segs.append((kind, where.find_forged(f), 'injected by pairinject.py'))
        for kind, frame, note in segs:
            pk = frame
            key = endpoint(pk.src, pk.sport), endpoint(pk.dst, pk.dport)
            if kind in ('lostAtoB', 'appearedAtA'):
                c = by_a.get(key)
            else:
                c = next((x for x in self.conns if x.b and {endpoint(*x.b[0]), endpoint(*x.b[1])}
                          == set(key)), None)
            expect(c is not None, f'{kind} frame {pk.no} belongs to no connection of the plan')
            fa = pk.no if kind in ('lostAtoB', 'appearedAtA') else '-'
            fb = pk.no if kind in ('lostBtoA', 'appearedAtB') else '-'
            self.rows.append(('segment', kind, fa, fb, c, '-', '-', f'{pk.what()}; {note}'))
        self.rows.sort(key=lambda r: (r[1], r[2] if r[2] != '-' else r[3]))
        self.check_every_frame_known(a, b)
        self.count = {k: sum(1 for r in self.rows if r[1] == k)
                      for k in ('lostAtoB', 'lostBtoA', 'appearedAtA', 'appearedAtB')}

    def check_every_frame_known(self, a, b):
        """No stray traffic: every TCP frame at A and B belongs to a connection of the plan."""
        for frames, side in ((a, 'a'), (b, 'b')):
            tuples = set()
            for c in self.conns:
                ends = c.a if side == 'a' else c.b
                if ends:
                    tuples.add(frozenset((endpoint(*ends[0]), endpoint(*ends[1]))))
            for p in frames.frames:
                t = frozenset((endpoint(p.src, p.sport), endpoint(p.dst, p.dport)))
                expect(t in tuples, f'{side}: frame {p.no} ({t}) belongs to no connection of the plan')

    def write(self, path):
        made = time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())
        lines = [f'# pair: {self.name}',
                 f'# a: {self.name}-a.pcap, tcpdump on the client\'s interface (c0, snaplen 256)',
                 f'# b: {self.name}-b.pcap, tcpdump on the server\'s interface (s0, snaplen 256)',
                 f'# kernel: {os.uname().release}   made: {made}']
        if self.idle:
            lines.append(f'# idle-threshold: {self.idle}')
        lines += [f'# {c}' for c in self.comments]
        lines.append('# router did: ' + ', '.join(f'{k} {v}' for k, v in self.count.items()))
        lines.append('\t'.join(('record', 'kind', 'frame_a', 'frame_b', 'a_client', 'a_server',
                                'b_client', 'b_server', 'class', 'by', 'notes')))
        for c in self.conns:
            b = (endpoint(*c.b[0]), endpoint(*c.b[1])) if c.b else ('-', '-')
            kind = 'matched' if c.b else 'onlyInA'
            lines.append('\t'.join(('conn', kind, '-', '-', endpoint(*c.a[0]), endpoint(*c.a[1]),
                                    *b, c.cls, c.by, f'{c.plan}: {c.notes}')))
        for rec, kind, fa, fb, c, cls, by, note in self.rows:
            lines.append('\t'.join(str(x) for x in (rec, kind, fa, fb, endpoint(*c.a[0]),
                                                    endpoint(*c.a[1]), '-', '-', cls, by, note)))
        with open(path, 'w') as f:
            f.write('\n'.join(lines) + '\n')


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument('names', nargs='*', help='pairs to make (default: all)')
    ap.add_argument('--out', default=os.path.join(HERE, '..', 'pairs'))
    ap.add_argument('--list', action='store_true')
    ap.add_argument('--tries', type=int, default=3)
    a = ap.parse_args()
    if a.list:
        print('\n'.join(PAIRS))
        return 0
    names = a.names or list(PAIRS)
    unknown = [n for n in names if n not in PAIRS]
    if unknown:
        print(f'unknown pair(s): {" ".join(unknown)}', file=sys.stderr)
        return 2
    if os.geteuid() != 0:
        print('pairs.py: needs root (network namespaces, tcpdump)', file=sys.stderr)
        return 2
    out = os.path.abspath(a.out)
    failed = []
    for name in names:
        for attempt in range(1, a.tries + 1):
            stage = os.path.join(out, '.staging', name)
            shutil.rmtree(stage, ignore_errors=True)
            os.makedirs(stage)
            t0 = time.time()
            try:
                PAIRS[name](stage)
            except Exception as e:
                detail = str(e) if isinstance(e, Fail) else traceback.format_exc()
                print(f'{name}: attempt {attempt} failed: {detail}', file=sys.stderr)
                continue
            for f in sorted(os.listdir(stage)):
                shutil.move(os.path.join(stage, f), os.path.join(out, f))
                print(f'{name}: wrote {f}')
            print(f'{name}: ok in {time.time() - t0:.1f} s')
            break
        else:
            failed.append(name)
    if not failed:
        shutil.rmtree(os.path.join(out, '.staging'), ignore_errors=True)
    if failed:
        print(f'FAILED: {" ".join(failed)}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
