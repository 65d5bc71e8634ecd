#!/usr/bin/env python3
"""Every lab scenario: real sockets on the real Linux stack, captured, with their ground truth.

    sudo python3 samples/lab/scenarios.py            # all scenarios into samples/
    sudo python3 samples/lab/scenarios.py --list
    sudo python3 samples/lab/scenarios.py rst-abort-client refused-no-listener

A scenario drives both ends itself, checks that each syscall did what the scenario is about
(otherwise it fails and is retried, and nothing in samples/ is replaced), and labels every flow
of its capture with the class and `by` of ../../shared/spec/terminations.md, the real ports
(getsockname) and what each side's syscalls returned.
"""
import argparse
import os
import shutil
import socket
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from netlab import (HERE, C4, C6, NS_C, NS_R, NS_S, S4, S6, Capture, Lab, Truth, in_thread, ipt,  # noqa: E402
                    linger0, local, outcome, recv_exact, run, sysctl, tcp_state, unread)
from check import check  # noqa: E402

SCENARIOS = {}


def scenario(fn):
    SCENARIOS[fn.__name__.replace('_', '-')] = fn
    return fn


class Fail(Exception):
    pass


def expect(cond, what):
    if not cond:
        raise Fail(what)


def request(path='/', extra=b''):
    return b'GET ' + path.encode() + b' HTTP/1.1\r\nHost: lab.example\r\n\r\n' + extra


def response(n, close=False):
    head = b'HTTP/1.1 200 OK\r\nContent-Length: %d\r\n%s\r\n' % (
        n, b'Connection: close\r\n' if close else b'')
    return head + b'x' * n


class Ctx:
    """Where one scenario writes: a staging directory, moved into samples/ on success."""

    def __init__(self, stage):
        self.stage = stage

    def path(self, stem, ext='pcap'):
        return os.path.join(self.stage, f'{stem}.{ext}')

    def truth(self, stem, truth):
        truth.write(self.path(stem, 'truth.tsv'))


def exchange(cli, conn, path='/', size=600, close=False):
    """One request and its response over an established pair; returns the response length."""
    req = request(path)
    cli.sendall(req)
    expect(recv_exact(conn, len(req)) == req, 'server did not get the request')
    resp = response(size, close)
    conn.sendall(resp)
    expect(len(recv_exact(cli, len(resp))) == len(resp), 'client did not get the response')
    return len(resp)


def pair(lab, srv, addr, port, rcvbuf=None):
    """Connects from the client and accepts on the server; returns (cli, conn)."""
    cli, r = lab.connect(addr, port, rcvbuf=rcvbuf)
    expect(r == 'ok', f'connect -> {r}')
    conn, _ = srv.accept()
    conn.settimeout(20)
    return cli, conn


def orderly_close(cli, conn, first):
    """first closes; the other reads EOF and closes too. Returns the notes."""
    a, b = (cli, conn) if first == 'client' else (conn, cli)
    other = 'server' if first == 'client' else 'client'
    a.close()
    r = outcome(lambda: b.recv(100))
    expect(r == 'EOF', f'{other} recv -> {r}, expected EOF')
    b.close()
    return f'{first} close(); {other} recv -> EOF, then close()'


# ---------------------------------------------------------------------------------------------
# FIN_ORDERLY
# ---------------------------------------------------------------------------------------------

def _fin_orderly(ctx, stem, first, addr):
    with Lab() as lab:
        srv = lab.listen(NS_S, addr, 8080)
        cap = Capture(NS_C, 'c0', ctx.path(stem))
        cli, conn = pair(lab, srv, addr, 8080)
        c, s = local(cli), local(conn)
        n = exchange(cli, conn)
        time.sleep(0.2)
        notes = orderly_close(cli, conn, first)
        time.sleep(0.3)
        cap.stop()
    t = Truth(f'request/response of {n} bytes, then the {first} closes first; both read EOF',
              'client')
    t.add(c, s, 'FIN_ORDERLY', first, notes)
    ctx.truth(stem, t)


@scenario
def fin_orderly_client_first(ctx):
    _fin_orderly(ctx, 'fin-orderly-client-first', 'client', S4)


@scenario
def fin_orderly_server_first(ctx):
    _fin_orderly(ctx, 'fin-orderly-server-first', 'server', S4)


@scenario
def fin_orderly_v6(ctx):
    """Two IPv6 flows, one closed by each side; converted to pcapng afterwards."""
    stem = 'fin-orderly-v6'
    t = Truth('IPv6: two request/response flows, the first closed by the client, the second by '
              'the server; both sides read EOF (written as pcapng by editcap)', 'client')
    with Lab() as lab:
        srv = lab.listen(NS_S, S6, 443)
        raw = ctx.path(stem + '.raw')
        cap = Capture(NS_C, 'c0', raw)
        for first in ('client', 'server'):
            cli, conn = pair(lab, srv, S6, 443)
            c, s = local(cli), local(conn)
            exchange(cli, conn, size=1200)
            time.sleep(0.1)
            t.add(c, s, 'FIN_ORDERLY', first, orderly_close(cli, conn, first))
            time.sleep(0.3)
        cap.stop()
    run(['editcap', '-F', 'pcapng', raw, ctx.path(stem, 'pcapng')])
    os.unlink(raw)
    ctx.truth(stem, t)


# ---------------------------------------------------------------------------------------------
# RST_UNREAD_DATA
# ---------------------------------------------------------------------------------------------

def _rst_unread_server(ctx, stem, addr):
    with Lab() as lab:
        srv = lab.listen(NS_S, addr, 8080)
        cap = Capture(NS_C, 'c0', ctx.path(stem))
        cli, conn = pair(lab, srv, addr, 8080)
        c, s = local(cli), local(conn)
        exchange(cli, conn, size=400)
        extra = request('/second', b'x' * 273)  # a pipelined request the server never reads
        cli.sendall(extra)
        time.sleep(0.2)
        n = unread(conn)
        expect(n == len(extra), f'server has {n} unread bytes')
        conn.close()
        r = outcome(lambda: cli.recv(100))
        expect(r == 'ECONNRESET', f'client recv -> {r}')
        time.sleep(0.2)
        cap.stop()
        cli.close()
    t = Truth('the client sends a second request the server never reads; the server close()s '
              'with it unread, so its kernel sends RST instead of FIN', 'client')
    t.add(c, s, 'RST_UNREAD_DATA', 'server',
          f'server close() with {n} unread bytes; client recv -> {r}')
    ctx.truth(stem, t)


@scenario
def rst_unread_data_server(ctx):
    _rst_unread_server(ctx, 'rst-unread-data-server', S4)


@scenario
def rst_unread_data_server_v6(ctx):
    _rst_unread_server(ctx, 'rst-unread-data-server-v6', S6)


@scenario
def rst_unread_data_client(ctx):
    stem = 'rst-unread-data-client'
    with Lab() as lab:
        srv = lab.listen(NS_S, S4, 8080)
        cap = Capture(NS_C, 'c0', ctx.path(stem))
        cli, conn = pair(lab, srv, S4, 8080)
        c, s = local(cli), local(conn)
        req = request('/report')
        cli.sendall(req)
        expect(recv_exact(conn, len(req)) == req, 'request lost')
        conn.sendall(response(2000))
        time.sleep(0.2)
        n = unread(cli)
        expect(n == len(response(2000)), f'client has {n} unread bytes')
        cli.close()  # the client gives up without reading the response
        r = outcome(lambda: conn.recv(100))
        expect(r == 'ECONNRESET', f'server recv -> {r}')
        time.sleep(0.2)
        cap.stop()
        conn.close()
    t = Truth('the server answers with 2000+ bytes; the client close()s without reading them, so '
              'its kernel sends RST instead of FIN', 'client')
    t.add(c, s, 'RST_UNREAD_DATA', 'client',
          f'client close() with {n} unread bytes; server recv -> {r}')
    ctx.truth(stem, t)


# ---------------------------------------------------------------------------------------------
# RST_ABORT
# ---------------------------------------------------------------------------------------------

def _rst_abort(ctx, stem, who, addr):
    with Lab() as lab:
        srv = lab.listen(NS_S, addr, 8080)
        cap = Capture(NS_C, 'c0', ctx.path(stem))
        cli, conn = pair(lab, srv, addr, 8080)
        c, s = local(cli), local(conn)
        exchange(cli, conn, size=300)
        if who == 'client':
            # The aborting side must be the last to send data: were the response its last
            # inbound data, the wire could not tell this abort from a close with unread bytes.
            cli.sendall(b'BYE\r\n')
            expect(recv_exact(conn, 5) == b'BYE\r\n', 'server did not read BYE')
        time.sleep(0.2)
        a, b = (cli, conn) if who == 'client' else (conn, cli)
        other = 'server' if who == 'client' else 'client'
        n = unread(a)
        expect(n == 0, f'{who} has {n} unread bytes')
        linger0(a)
        a.close()
        r = outcome(lambda: b.recv(100))
        expect(r == 'ECONNRESET', f'{other} recv -> {r}')
        time.sleep(0.2)
        cap.stop()
        b.close()
    t = Truth(f'after a complete request/response' +
              (' and a last BYE from the client (read by the server)' if who == 'client' else '') +
              f' the {who} sets SO_LINGER {{1, 0}} and close()s: an abortive close, RST with '
              f'nothing unread', 'client')
    t.add(c, s, 'RST_ABORT', who,
          f'{who} SO_LINGER 0 then close(), 0 unread bytes; {other} recv -> {r}')
    ctx.truth(stem, t)


@scenario
def rst_abort_client(ctx):
    _rst_abort(ctx, 'rst-abort-client', 'client', S4)


@scenario
def rst_abort_server(ctx):
    _rst_abort(ctx, 'rst-abort-server', 'server', S4)


@scenario
def rst_abort_server_v6(ctx):
    _rst_abort(ctx, 'rst-abort-server-v6', 'server', S6)


# ---------------------------------------------------------------------------------------------
# REFUSED
# ---------------------------------------------------------------------------------------------

def _refused(ctx, stem, addr, middlebox):
    v6 = ':' in addr
    with Lab() as lab:
        srv = lab.listen(NS_S, addr, 8080)
        if middlebox:
            srv2 = lab.listen(NS_S, addr, 8081)  # it exists, but the router answers for it
            ipt(NS_R, '-A', 'FORWARD', '-p', 'tcp', '--dport', '8081', '-j', 'REJECT',
                '--reject-with', 'tcp-reset', v6=v6)
        cap = Capture(NS_C, 'c0', ctx.path(stem))
        cli, conn = pair(lab, srv, addr, 8080)
        c1, s1 = local(cli), local(conn)
        exchange(cli, conn, size=200)
        notes1 = orderly_close(cli, conn, 'client')
        time.sleep(0.3)
        cli2, r = lab.connect(addr, 8081)
        expect(r == 'ECONNREFUSED', f'connect -> {r}')
        c2 = local(cli2)
        time.sleep(0.3)
        cap.stop()
        cli2.close()
        if middlebox:
            srv2.settimeout(0.1)
            r2 = outcome(lambda: srv2.accept())
            expect(r2 == 'no answer (app timeout)', f'listener on 8081 accept -> {r2}')
    t = Truth(('the router answers SYNs to port 8081 itself (REJECT --reject-with tcp-reset) '
               'although the server listens there; its RST carries the router\'s own TTL'
               if middlebox else 'nothing listens on port 8081: the server kernel answers the '
                                 'SYN with RST') +
              '; a normal flow to 8080 first shows the server\'s TTL', 'client')
    t.add(c1, s1, 'FIN_ORDERLY', 'client', notes1)
    hop = 'hop limit' if v6 else 'TTL'
    t.add(c2, (addr, 8081), 'REFUSED', 'middlebox' if middlebox else 'server',
          f'client connect() -> {r}' + (f'; RST from the router ({hop} 64, server packets '
                                         f'arrive with 63); server listener never saw the SYN'
                                         if middlebox else '; no listener on 8081'))
    ctx.truth(stem, t)


@scenario
def refused_no_listener(ctx):
    _refused(ctx, 'refused-no-listener', S4, False)


@scenario
def refused_middlebox_reject(ctx):
    _refused(ctx, 'refused-middlebox-reject', S4, True)


@scenario
def refused_middlebox_reject_v6(ctx):
    _refused(ctx, 'refused-middlebox-reject-v6', S6, True)


# ---------------------------------------------------------------------------------------------
# HANDSHAKE_TIMEOUT
# ---------------------------------------------------------------------------------------------

def _hs_syn_dropped(ctx, stem, addr):
    v6 = ':' in addr
    with Lab() as lab:
        srv = lab.listen(NS_S, addr, 8082)  # it listens; the router drops the SYNs
        ipt(NS_R, '-A', 'FORWARD', '-p', 'tcp', '--dport', '8082', '--syn', '-j', 'DROP', v6=v6)
        cap = Capture(NS_C, 'c0', ctx.path(stem))
        t0 = time.time()
        cli, r = lab.connect(addr, 8082)
        took = time.time() - t0
        expect(r == 'ETIMEDOUT', f'connect -> {r}')
        c = local(cli)
        expect(c[1] != 0, 'no local port after the failed connect')
        cap.stop()
        srv.settimeout(0.1)
        expect(outcome(srv.accept) == 'no answer (app timeout)', 'the listener got a connection')
    t = Truth('the router drops every SYN to port 8082 (iptables DROP); the client retransmits '
              'its SYN and connect() gives up (tcp_syn_retries=2)', 'client')
    t.add(c, (addr, 8082), 'HANDSHAKE_TIMEOUT', 'unknown',
          f'client connect() -> {r} after {took:.1f} s; the server listener never saw a SYN')
    ctx.truth(stem, t)


@scenario
def handshake_timeout_syn_dropped(ctx):
    _hs_syn_dropped(ctx, 'handshake-timeout-syn-dropped', S4)


@scenario
def handshake_timeout_syn_dropped_v6(ctx):
    _hs_syn_dropped(ctx, 'handshake-timeout-syn-dropped-v6', S6)


@scenario
def handshake_timeout_backlog_server(ctx):
    """Captured on the server host: the accept queue is full, the kernel drops the SYNs."""
    stem = 'handshake-timeout-backlog-server'
    with Lab() as lab:
        srv = lab.listen(NS_S, S4, 8082, backlog=1)  # never accept()ed: room for two
        cap = Capture(NS_S, 's0', ctx.path(stem))
        a, ra = lab.connect(S4, 8082)
        b, rb = lab.connect(S4, 8082)
        expect(ra == rb == 'ok', f'connects -> {ra}, {rb}')
        req = request('/queued')
        a.sendall(req)  # sits unread in the queued child socket
        time.sleep(0.2)
        t0 = time.time()
        c, rc = lab.connect(S4, 8082)
        took = time.time() - t0
        expect(rc == 'ETIMEDOUT', f'third connect -> {rc}')
        srv.close()  # the server gives up: its queued, never-accepted connections are reset
        ra2 = outcome(lambda: a.recv(100))
        rb2 = outcome(lambda: b.recv(100))
        expect(ra2 == rb2 == 'ECONNRESET', f'queued clients recv -> {ra2}, {rb2}')
        time.sleep(0.2)
        cap.stop()
    t = Truth('the server listens with backlog 1 and never calls accept(); two connections fill '
              'its accept queue, the kernel silently drops the third one\'s SYNs; then the '
              'listener is closed, which resets the two queued connections', 'server')
    t.comment('taken on the server host: the server\'s own packets carry TTL 64, the client\'s 63')
    t.add(local(a), (S4, 8082), 'RST_UNREAD_DATA', 'server',
          f'queued, never accepted, {len(req)} request bytes unread; listener close() resets it; '
          f'client recv -> {ra2}')
    t.add(local(b), (S4, 8082), 'RST_ABORT', 'server',
          f'queued, never accepted, nothing sent; listener close() resets it; client recv -> {rb2}')
    t.add(local(c), (S4, 8082), 'HANDSHAKE_TIMEOUT', 'server',
          f'accept queue full (ListenOverflows): SYNs reach the server host, no SYN-ACK; client '
          f'connect() -> {rc} after {took:.1f} s')
    ctx.truth(stem, t)


@scenario
def handshake_timeout_ack_lost(ctx):
    """The ACK of the SYN-ACK never arrives: captured at the client and at the server."""
    stem = 'handshake-timeout-ack-lost'
    with Lab() as lab:
        srv = lab.listen(NS_S, S4, 8083)
        ipt(NS_R, '-A', 'FORWARD', '-p', 'tcp', '--dport', '8083', '!', '--syn', '-j', 'DROP')
        capc = Capture(NS_C, 'c0', ctx.path(stem))
        caps = Capture(NS_S, 's0', ctx.path(stem + '-server'))
        cli, r = lab.connect(S4, 8083)
        expect(r == 'ok', f'connect -> {r}')
        c = local(cli)
        srv.settimeout(9)
        ra = outcome(srv.accept)
        expect(ra == 'no answer (app timeout)', f'accept -> {ra}')
        st = tcp_state(cli)
        capc.stop(0)
        caps.stop(0)
        cli.close()
    for point, name in (('client', stem), ('server', stem + '-server')):
        t = Truth('the router drops everything the client sends to port 8083 except its SYN: '
                  'the client\'s connect() succeeds, the server retransmits its SYN-ACK '
                  '(tcp_synack_retries=2) and gives up', point)
        if point == 'client':
            t.comment('the client\'s ACKs are in this capture, but they never reached the server: '
                      'its repeated SYN-ACKs say so')
        t.add(c, (S4, 8083), 'HANDSHAKE_TIMEOUT', 'unknown',
              f'client connect() -> ok (the client believes it is {st}); server accept() never '
              f'returned (app gave up after 9 s); the ACKs were dropped by the router')
        ctx.truth(name, t)


# ---------------------------------------------------------------------------------------------
# IDLE_TIMEOUT
# ---------------------------------------------------------------------------------------------

def _idle_app(ctx, stem, who, addr, idle):
    with Lab() as lab:
        srv = lab.listen(NS_S, addr, 8080)
        cap = Capture(NS_C, 'c0', ctx.path(stem))
        cli, conn = pair(lab, srv, addr, 8080)
        c, s = local(cli), local(conn)
        exchange(cli, conn)
        if who == 'server':
            conn.settimeout(idle)
            r = outcome(lambda: conn.recv(100))
            expect(r == 'no answer (app timeout)', f'server recv -> {r}')
            how = f'server app idle timeout ({idle:g} s without a request): recv timed out, close()'
        else:
            time.sleep(idle)
            how = f'client pool idle timeout ({idle:g} s unused): close()'
        notes = how + '; ' + orderly_close(cli, conn, who).split('; ', 1)[1]
        time.sleep(0.3)
        cap.stop()
    t = Truth(f'one request/response, then nothing for {idle:g} s until the {who}\'s idle '
              f'timeout closes the connection with FIN', 'client', idle_threshold='2s')
    t.add(c, s, 'IDLE_TIMEOUT', who, notes)
    ctx.truth(stem, t)


@scenario
def idle_timeout_app_server(ctx):
    _idle_app(ctx, 'idle-timeout-app-server', 'server', S4, 4)


@scenario
def idle_timeout_app_client_v6(ctx):
    _idle_app(ctx, 'idle-timeout-app-client-v6', 'client', S6, 3)


def _idle_nat(ctx, stem, reset, keepalive=False):
    with Lab() as lab:
        srv = lab.listen(NS_S, S4, 8080)
        # a stateful firewall that forgets established flows after 3 idle seconds
        ipt(NS_R, '-A', 'FORWARD', '-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED',
            '-j', 'ACCEPT')
        ipt(NS_R, '-A', 'FORWARD', '-p', 'tcp', '--syn', '-m', 'conntrack', '--ctstate', 'NEW',
            '-j', 'ACCEPT')
        ipt(NS_R, '-A', 'FORWARD', '-p', 'tcp', '-j',
            *(['REJECT', '--reject-with', 'tcp-reset'] if reset else ['DROP']))
        sysctl(NS_R, net__netfilter__nf_conntrack_tcp_loose=0,
               net__netfilter__nf_conntrack_tcp_timeout_established=3)
        cap = Capture(NS_C, 'c0', ctx.path(stem))
        cli, conn = pair(lab, srv, S4, 8080)
        c, s = local(cli), local(conn)
        if keepalive:  # probes after 5 idle seconds: the firewall forgot the flow after 3
            cli.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
            cli.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 5)
            cli.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
            cli.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 3)
        exchange(cli, conn)
        t0 = time.time()
        if not keepalive:
            time.sleep(5)
            cli.sendall(request('/after-idle'))
            t0 = time.time()
        cli.settimeout(30)
        r = outcome(lambda: cli.recv(100))
        took = time.time() - t0
        expect(r == ('ECONNRESET' if reset else 'ETIMEDOUT'), f'client recv -> {r}')
        conn.settimeout(0.1)
        rs = outcome(lambda: conn.recv(100))
        expect(rs == 'no answer (app timeout)', f'server recv -> {rs}')
        time.sleep(0.3)
        cap.stop()
    what = 'answers it with a RST in the server\'s name (REJECT tcp-reset, TTL 64)' if reset \
        else 'drops it and every retransmission'
    sends = 'a request' if not keepalive else 'its first keep-alive probe (TCP_KEEPIDLE 5)'
    t = Truth(f'a stateful firewall on the router forgets the flow after 3 idle seconds '
              f'(conntrack established timeout 3 s, tcp_loose 0); after 5 s the client sends '
              f'{sends} and the firewall {what}', 'client', idle_threshold='2s')
    if keepalive:
        notes = (f'client recv -> {r} {took:.1f} s after the exchange: 3 unanswered keep-alive '
                 f'probes, then the client kernel sends RST (dropped by the router too); the '
                 f'server saw nothing')
        tags = ('KEEPALIVE_UNANSWERED',)
    else:
        notes = (f'client send() -> ok, recv -> {r} after {took:.1f} s; the server saw nothing '
                 f'(still ESTABLISHED, recv pending)')
        tags = () if reset else ('RETRANSMISSION_BACKOFF',)
    t.add(c, s, 'IDLE_TIMEOUT', 'middlebox', notes, tags)
    ctx.truth(stem, t)


@scenario
def idle_timeout_firewall_drop(ctx):
    _idle_nat(ctx, 'idle-timeout-firewall-drop', False)


@scenario
def idle_timeout_firewall_keepalive(ctx):
    _idle_nat(ctx, 'idle-timeout-firewall-keepalive', False, keepalive=True)


@scenario
def idle_timeout_firewall_reset(ctx):
    _idle_nat(ctx, 'idle-timeout-firewall-reset', True)


# ---------------------------------------------------------------------------------------------
# MIDDLEBOX_RST
# ---------------------------------------------------------------------------------------------

def _ips(ctx, stem, addr, router_capture):
    v6 = ':' in addr
    with Lab() as lab:
        srv = lab.listen(NS_S, addr, 8084)
        ipt(NS_R, '-A', 'FORWARD', '-p', 'tcp', '-m', 'string', '--string', 'BADWORD',
            '--algo', 'bm', '-j', 'DROP', v6=v6)
        inj = lab.spawn(NS_R, ['python3', os.path.join(HERE, 'injector.py'), '--client-if', 'r0',
                               '--server-if', 'r1', '--port', '8084', '--word', 'BADWORD',
                               '--ttl', '64', '--seconds', '20'])
        expect(inj.stdout.readline().strip() == 'ready', 'injector did not start')
        cap = Capture(NS_C, 'c0', ctx.path(stem))
        capr = Capture(NS_R, 'any', ctx.path(stem + '-router'), linktype='LINUX_SLL2',
                       direction='out') if router_capture else None
        cli, conn = pair(lab, srv, addr, 8084)
        c, s = local(cli), local(conn)
        exchange(cli, conn, path='/index.html')
        time.sleep(0.3)
        cli.sendall(request('/search?q=BADWORD'))
        rc = outcome(lambda: cli.recv(100))
        rs = outcome(lambda: conn.recv(100))
        expect(rc == 'ECONNRESET' and rs == 'ECONNRESET', f'client recv -> {rc}, server -> {rs}')
        forged = [inj.stdout.readline().strip() for _ in range(2)]
        time.sleep(0.3)
        cap.stop()
        if capr:
            capr.stop(0)
    hop = 'hop limit' if v6 else 'TTL'
    notes = (f'client recv -> {rc}, server recv -> {rs}; neither sent a RST: the router forged '
             f'both ({hop} 64; the ends see each other\'s packets with 63)')
    scen = ('an inline IPS on the router drops the client\'s request containing BADWORD and '
            'forges RST+ACK to both ends on their exact sequence numbers')
    t = Truth(scen, 'client')
    t.comment('injected: ' + ' / '.join(forged))
    t.add(c, s, 'MIDDLEBOX_RST', 'middlebox', notes)
    ctx.truth(stem, t)
    if router_capture:
        t = Truth(scen, 'router')
        t.comment('tcpdump -i any -Q out -y LINUX_SLL2 on the router: every packet once, as it '
                  'leaves the router (so the dropped request is absent), both RSTs within 1 ms')
        t.comment('injected: ' + ' / '.join(forged))
        t.add(c, s, 'MIDDLEBOX_RST', 'middlebox', notes)
        ctx.truth(stem + '-router', t)


@scenario
def middlebox_rst_ips(ctx):
    _ips(ctx, 'middlebox-rst-ips', S4, True)


@scenario
def middlebox_rst_ips_v6(ctx):
    _ips(ctx, 'middlebox-rst-ips-v6', S6, False)


# ---------------------------------------------------------------------------------------------
# MIDDLEBOX_DROP
# ---------------------------------------------------------------------------------------------

def _drop(ctx, stem, addr, keepalive):
    v6 = ':' in addr
    with Lab() as lab:
        srv = lab.listen(NS_S, addr, 8086)
        cap = Capture(NS_C, 'c0', ctx.path(stem))
        cli, conn = pair(lab, srv, addr, 8086)
        c, s = local(cli), local(conn)
        if keepalive:
            cli.setsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1)
            cli.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPIDLE, 2)
            cli.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPINTVL, 1)
            cli.setsockopt(socket.IPPROTO_TCP, socket.TCP_KEEPCNT, 3)
        exchange(cli, conn)
        time.sleep(0.2)
        for d in ('--dport', '--sport'):  # the path turns into a black hole
            ipt(NS_R, '-I', 'FORWARD', '-p', 'tcp', d, '8086', '-j', 'DROP', v6=v6)
        if not keepalive:
            time.sleep(0.2)
            cli.sendall(request('/next'))
        t0 = time.time()
        cli.settimeout(30)
        r = outcome(lambda: cli.recv(100))
        took = time.time() - t0
        expect(r == 'ETIMEDOUT', f'client recv -> {r}')
        conn.settimeout(0.1)
        rs = outcome(lambda: conn.recv(100))
        expect(rs == 'no answer (app timeout)', f'server recv -> {rs}')
        time.sleep(0.5)
        cap.stop()
    if keepalive:
        scen = ('after one exchange the router starts dropping the flow; the idle client\'s '
                'keep-alive probes (TCP_KEEPIDLE 2, INTVL 1, CNT 3) go unanswered and the client '
                'kernel gives up with a RST')
        notes = f'client recv -> {r} after {took:.1f} s (keep-alive exhausted); server saw nothing'
        tags = ('KEEPALIVE_UNANSWERED',)
    else:
        scen = ('after one exchange the router starts dropping the flow; the client\'s next '
                'request is retransmitted with exponential backoff until tcp_retries2=4 runs '
                'out, and the client kernel falls silent (no RST)')
        notes = f'client send() -> ok, recv -> {r} after {took:.1f} s; server saw nothing'
        tags = ('RETRANSMISSION_BACKOFF',)
    t = Truth(scen, 'client')
    t.add(c, s, 'MIDDLEBOX_DROP', 'middlebox', notes, tags)
    ctx.truth(stem, t)


@scenario
def middlebox_drop_retransmit(ctx):
    _drop(ctx, 'middlebox-drop-retransmit', S4, False)


@scenario
def middlebox_drop_retransmit_v6(ctx):
    _drop(ctx, 'middlebox-drop-retransmit-v6', S6, False)


@scenario
def middlebox_drop_keepalive(ctx):
    _drop(ctx, 'middlebox-drop-keepalive', S4, True)


# ---------------------------------------------------------------------------------------------
# ZERO_WINDOW_STALL
# ---------------------------------------------------------------------------------------------

def _zero_window(ctx, stem, addr, ending, nano=False):
    with Lab() as lab:
        srv = lab.listen(NS_S, addr, 8087, rcvbuf=4096)
        cap = Capture(NS_C, 'c0', ctx.path(stem), snaplen=128, nano=nano)
        cli, conn = pair(lab, srv, addr, 8087)
        c, s = local(cli), local(conn)
        if ending == 'user-timeout':
            cli.setsockopt(socket.IPPROTO_TCP, 18, 3000)  # TCP_USER_TIMEOUT, ms
        cli.settimeout(0.2)
        sent, t0, last = 0, time.time(), 'ok'
        limit = 12 if ending == 'user-timeout' else 4
        while time.time() - t0 < limit:  # the server application never reads
            last = outcome(lambda: cli.send(b'u' * 4096))
            if last.endswith('bytes'):
                sent += int(last.split()[0])
            elif last != 'no answer (app timeout)':
                break
        queued = unread(conn)
        if ending == 'client-abort':
            expect(last == 'no answer (app timeout)', f'client send -> {last}')
            linger0(cli)
            cli.close()
            time.sleep(0.1)
            got, rs = 0, ''
            for _ in range(100):  # the queued bytes are still readable after the RST
                rs = outcome(lambda: conn.recv(65536))
                if not rs.endswith('bytes'):
                    break
                got += int(rs.split()[0])
            notes = (f'server app never reads ({queued} bytes queued, SO_RCVBUF 4096); client '
                     f'send() blocked after {sent} bytes, after {limit} s the client gives up: '
                     f'SO_LINGER 0 + close() -> RST; afterwards server recv still returns the '
                     f'{got} queued bytes, then {rs}')
        elif ending == 'server-close':
            expect(last == 'no answer (app timeout)', f'client send -> {last}')
            conn.close()
            time.sleep(0.2)
            rc = outcome(lambda: cli.send(b'u'))
            notes = (f'server app never reads, {queued} bytes queued (SO_RCVBUF 4096); client '
                     f'send() blocked after {sent} bytes; after {limit} s the server close()s '
                     f'with the bytes unread -> RST; client send -> {rc}')
        else:
            expect(last == 'ETIMEDOUT', f'client send -> {last}')
            notes = (f'server app never reads, {queued} bytes queued (SO_RCVBUF 4096); client '
                     f'TCP_USER_TIMEOUT 3000 ms: send() -> {last} after {time.time() - t0:.1f} s, '
                     f'{sent} bytes accepted; the client kernel sends no RST')
        time.sleep(0.3)
        cap.stop()
    how = {'client-abort': 'the client gives up with an abortive close (RST)',
           'server-close': 'the server close()s with the data unread (RST)',
           'user-timeout': 'the client\'s TCP_USER_TIMEOUT fires (silence)'}[ending]
    t = Truth(f'the server application stops reading; its window closes to zero and the client '
              f'sends zero-window probes with backoff until {how}', 'client')
    if nano:
        t.comment('nanosecond timestamps (tcpdump --time-stamp-precision=nano); snaplen 128')
    else:
        t.comment('snaplen 128')
    t.add(c, s, 'ZERO_WINDOW_STALL', 'server', notes)
    ctx.truth(stem, t)


@scenario
def zero_window_client_stall(ctx):
    """The other way round: the client stops reading a download; the server gives up."""
    stem = 'zero-window-client-stall'
    with Lab() as lab:
        srv = lab.listen(NS_S, S4, 8087)
        cap = Capture(NS_C, 'c0', ctx.path(stem), snaplen=128)
        cli, conn = pair(lab, srv, S4, 8087, rcvbuf=4096)
        c, s = local(cli), local(conn)
        req = request('/download')
        cli.sendall(req)
        expect(recv_exact(conn, len(req)) == req, 'request lost')
        conn.settimeout(0.2)
        sent, t0, last = 0, time.time(), 'ok'
        while time.time() - t0 < 4:  # the client application never reads the download
            last = outcome(lambda: conn.send(b'd' * 4096))
            if last.endswith('bytes'):
                sent += int(last.split()[0])
            elif last != 'no answer (app timeout)':
                break
        expect(last == 'no answer (app timeout)', f'server send -> {last}')
        queued = unread(cli)
        linger0(conn)
        conn.close()
        time.sleep(0.1)
        got, rc = 0, ''
        for _ in range(100):
            rc = outcome(lambda: cli.recv(65536))
            if not rc.endswith('bytes'):
                break
            got += int(rc.split()[0])
        time.sleep(0.3)
        cap.stop()
    t = Truth('the client application stops reading a download (SO_RCVBUF 4096); its window '
              'closes to zero, the server probes with backoff, and after 4 s the server gives up '
              'with an abortive close (RST)', 'client')
    t.comment('snaplen 128')
    t.add(c, s, 'ZERO_WINDOW_STALL', 'client',
          f'client app never reads ({queued} bytes queued); server send() blocked after {sent} '
          f'bytes, then SO_LINGER 0 + close() -> RST; client recv afterwards returns the '
          f'{got} queued bytes, then {rc}')
    ctx.truth(stem, t)


@scenario
def zero_window_client_abort(ctx):
    _zero_window(ctx, 'zero-window-client-abort', S4, 'client-abort', nano=True)


@scenario
def zero_window_server_close_v6(ctx):
    _zero_window(ctx, 'zero-window-server-close-v6', S6, 'server-close')


@scenario
def zero_window_user_timeout(ctx):
    _zero_window(ctx, 'zero-window-user-timeout', S4, 'user-timeout')


# ---------------------------------------------------------------------------------------------
# RST_AFTER_CLOSE
# ---------------------------------------------------------------------------------------------

@scenario
def rst_after_close_server(ctx):
    stem = 'rst-after-close-server'
    with Lab() as lab:
        srv = lab.listen(NS_S, S4, 8088)
        cap = Capture(NS_C, 'c0', ctx.path(stem))
        cli, conn = pair(lab, srv, S4, 8088)
        c, s = local(cli), local(conn)
        exchange(cli, conn, close=True)
        conn.close()  # "Connection: close" and a FIN
        r1 = outcome(lambda: cli.recv(100))
        expect(r1 == 'EOF', f'client recv -> {r1}')
        time.sleep(0.1)
        late = request('/late')
        r2 = outcome(lambda: cli.send(late))
        time.sleep(0.2)
        r3 = outcome(lambda: cli.send(b'more'))
        r4 = outcome(lambda: cli.recv(100))
        expect(r2 == f'{len(late)} bytes' and r3 == 'EPIPE', f'client sends -> {r2}, {r3}')
        time.sleep(0.2)
        cap.stop()
    t = Truth('the server answers "Connection: close" and close()s; the client, ignoring the EOF, '
              'writes another request: the server\'s orphaned socket answers it with a bare RST',
              'client')
    t.add(c, s, 'RST_AFTER_CLOSE', 'server',
          f'server close() after its response; client recv -> {r1}; client send({len(late)}) -> '
          f'ok, answered by RST; next send -> {r3}; recv -> {r4}')
    ctx.truth(stem, t)


@scenario
def rst_after_close_client_vlan(ctx):
    """Written with an 802.1Q tag on every frame (vlantag.py)."""
    stem = 'rst-after-close-client-vlan'
    with Lab() as lab:
        srv = lab.listen(NS_S, S4, 8088)
        raw = ctx.path(stem + '.untagged')
        cap = Capture(NS_C, 'c0', raw)
        cli, conn = pair(lab, srv, S4, 8088)
        c, s = local(cli), local(conn)
        req = request('/fire-and-forget')
        cli.sendall(req)
        cli.close()  # the client does not wait for the answer
        r1 = outcome(lambda: recv_exact(conn, len(req) + 1))
        time.sleep(0.1)
        resp = response(300)
        r2 = outcome(lambda: conn.send(resp))
        time.sleep(0.2)
        r3 = outcome(lambda: conn.send(b'trailer'))
        expect(r2 == f'{len(resp)} bytes' and r3 == 'EPIPE', f'server sends -> {r2}, {r3}')
        time.sleep(0.2)
        cap.stop()
    run(['python3', os.path.join(HERE, 'vlantag.py'), raw, ctx.path(stem), '--vid', '100'])
    os.unlink(raw)
    t = Truth('the client sends a request and close()s at once; the server reads request and EOF, '
              'then answers anyway: the client\'s closed socket answers with a bare RST', 'client')
    t.comment('802.1Q tag (VLAN 100) inserted into every frame after the capture by vlantag.py: '
              'this kernel has no VLAN devices')
    t.add(c, s, 'RST_AFTER_CLOSE', 'client',
          f'client close() right after send({len(req)}); server recv -> request then EOF; server '
          f'send({len(resp)}) -> ok, answered by RST; next send -> {r3}')
    ctx.truth(stem, t)


# ---------------------------------------------------------------------------------------------
# FIN_ORDERLY with crossing FINs, OPEN_AT_END, MIDSTREAM, PORT_REUSE
# ---------------------------------------------------------------------------------------------

@scenario
def fin_orderly_simultaneous(ctx):
    stem = 'fin-orderly-simultaneous'
    with Lab(delay=0.1) as lab:
        srv = lab.listen(NS_S, S4, 8080)
        cap = Capture(NS_C, 'c0', ctx.path(stem))
        cli, conn = pair(lab, srv, S4, 8080)
        c, s = local(cli), local(conn)
        exchange(cli, conn)
        time.sleep(0.3)
        cli.shutdown(socket.SHUT_WR)  # both within microseconds, 100 ms of path each way
        conn.shutdown(socket.SHUT_WR)
        rc, rs = outcome(lambda: cli.recv(100)), outcome(lambda: conn.recv(100))
        expect(rc == rs == 'EOF', f'recv -> {rc}, {rs}')
        cli.close()
        conn.close()
        time.sleep(0.5)
        cap.stop()
    t = Truth('with 100 ms of delay each way (delaybridge.py), both ends shutdown(SHUT_WR) at the '
              'same moment: the FINs cross, neither acknowledges the other\'s', 'client')
    t.add(c, s, 'FIN_ORDERLY', 'unknown',
          f'client and server shutdown(SHUT_WR) together; client recv -> {rc}, server recv -> '
          f'{rs}; both close()')
    ctx.truth(stem, t)


@scenario
def open_at_end(ctx):
    stem = 'open-at-end'
    with Lab() as lab:
        srv = lab.listen(NS_S, S4, 8080)
        ipt(NS_R, '-A', 'FORWARD', '-p', 'tcp', '--dport', '8089', '--syn', '-j', 'DROP')
        cap = Capture(NS_C, 'c0', ctx.path(stem))
        a, aconn = pair(lab, srv, S4, 8080)
        exchange(a, aconn)
        b, bconn = pair(lab, srv, S4, 8080)
        exchange(b, bconn, path='/upload-done')
        b.shutdown(socket.SHUT_WR)
        rb = outcome(lambda: bconn.recv(100))
        expect(rb == 'EOF', f'server recv -> {rb}')
        for _ in range(3):  # the server keeps streaming to the half-closed client
            bconn.sendall(b'z' * 500)
            expect(len(recv_exact(b, 500)) == 500, 'client did not read the stream')
            time.sleep(0.3)
        c = lab.socket(NS_C)
        c.setblocking(False)
        rc = c.connect_ex((S4, 8089))
        time.sleep(0.3)
        cap.stop(0)
        pa, pb, pc = local(a), local(b), local(c)
        for x in (a, b, c, aconn, bconn):
            linger0(x)
            x.close()
    t = Truth('the capture stops while three flows are still open: one idle after a request, one '
              'half-closed by the client while the server still streams, one SYN just sent',
              'client')
    t.add(pa, (S4, 8080), 'OPEN_AT_END', 'unknown', 'request/response done, both sides idle')
    t.add(pb, (S4, 8080), 'OPEN_AT_END', 'client',
          f'client shutdown(SHUT_WR); server recv -> {rb} but keeps sending 3 x 500 bytes, which '
          f'the client reads', ('HALF_CLOSED',))
    t.add(pc, (S4, 8089), 'OPEN_AT_END', 'unknown',
          f'non-blocking connect() -> {rc} (EINPROGRESS); the router drops SYNs to 8089; the '
          f'capture ends 0.3 s after the only SYN')
    ctx.truth(stem, t)


@scenario
def midstream(ctx):
    stem = 'midstream'
    with Lab() as lab:
        srv = lab.listen(NS_S, S4, 8080)
        a, aconn = pair(lab, srv, S4, 8080)
        b, bconn = pair(lab, srv, S4, 8080)
        pa, pb = local(a), local(b)
        exchange(a, aconn)
        exchange(b, bconn)
        time.sleep(0.3)
        cap = Capture(NS_C, 'c0', ctx.path(stem))  # both handshakes are already over
        exchange(a, aconn, path='/again', size=900)
        exchange(b, bconn, path='/again', size=900)
        time.sleep(0.2)
        na = orderly_close(a, aconn, 'client')
        linger0(bconn)
        bconn.close()
        rb = outcome(lambda: b.recv(100))
        expect(rb == 'ECONNRESET', f'client recv -> {rb}')
        time.sleep(0.3)
        cap.stop()
    t = Truth('the capture starts after both handshakes: each flow carries one more '
              'request/response, then one ends with FINs (client first) and one with the '
              'server\'s abortive close', 'client')
    t.add(pa, (S4, 8080), 'FIN_ORDERLY', 'client', na, ('MIDSTREAM',))
    t.add(pb, (S4, 8080), 'RST_ABORT', 'server',
          f'server SO_LINGER 0 + close() after its response; client recv -> {rb}', ('MIDSTREAM',))
    ctx.truth(stem, t)


@scenario
def port_reuse(ctx):
    stem = 'port-reuse'
    with Lab() as lab:
        srv = lab.listen(NS_S, S4, 8091)
        cap = Capture(NS_C, 'c0', ctx.path(stem))
        socks = []
        for first in ('server', 'client'):
            cli = lab.socket(NS_C)
            cli.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            cli.bind((C4, socks[0][0][1] if socks else 0))
            cli.settimeout(10)
            r = outcome(lambda: cli.connect((S4, 8091)))
            expect(r == 'ok', f'connect -> {r}')
            conn, _ = srv.accept()
            conn.settimeout(10)
            c = local(cli)
            exchange(cli, conn)
            socks.append((c, orderly_close(cli, conn, first), first))
            time.sleep(0.5)
        cap.stop()
    expect(socks[0][0] == socks[1][0], 'the port was not reused')
    t = Truth('two connections on the same 4-tuple: the first closed by the server (its side '
              'goes to TIME_WAIT), then the client binds the same port again and the server\'s '
              'TIME_WAIT accepts the new SYN', 'client')
    t.comment('both rows have the same 4-tuple: they are in capture order')
    (c1, n1, f1), (c2, n2, f2) = socks
    t.add(c1, (S4, 8091), 'FIN_ORDERLY', f1, n1, ('PORT_REUSE',))
    t.add(c2, (S4, 8091), 'FIN_ORDERLY', f2, n2 + '; same client port, SO_REUSEADDR + bind()')
    ctx.truth(stem, t)


# ---------------------------------------------------------------------------------------------
# the HTTP keep-alive race
# ---------------------------------------------------------------------------------------------

@scenario
def keepalive_race(ctx):
    stem = 'keepalive-race'
    with Lab(delay=0.1) as lab:
        srv = lab.listen(NS_S, S4, 8090)
        cap = Capture(NS_C, 'c0', ctx.path(stem))
        cli, conn = pair(lab, srv, S4, 8090)
        c, s = local(cli), local(conn)
        req = request('/first')
        cli.sendall(req)
        expect(recv_exact(conn, len(req)) == req, 'request lost')
        resp = response(600)

        def server():
            conn.sendall(resp)
            conn.settimeout(1.0)  # the server's keep-alive idle timeout
            r = outcome(lambda: conn.recv(100))
            conn.close()
            return r
        th = in_thread(server)
        expect(len(recv_exact(cli, len(resp))) == len(resp), 'response lost')
        time.sleep(0.9)  # reuse the pooled connection just as the server gives up on it
        second = request('/second')
        r1 = outcome(lambda: cli.send(second))
        r2 = outcome(lambda: cli.recv(100))
        time.sleep(0.4)
        r3 = outcome(lambda: cli.send(b'x'))
        th.join(5)
        expect(th.result == 'no answer (app timeout)', f'server recv -> {th.result}')
        expect(r1 == f'{len(second)} bytes' and r3 == 'EPIPE', f'client send -> {r1}, {r3}')
        time.sleep(0.3)
        cap.stop()
    t = Truth('HTTP keep-alive race: 100 ms each way (delaybridge.py); the server closes the idle '
              'keep-alive connection after 1 s just as the client reuses it for a second request, '
              'which crosses the server\'s FIN and is answered with RST', 'client')
    t.add(c, s, 'RST_AFTER_CLOSE', 'server',
          f'server keep-alive timeout 1 s: recv timed out, close(); client send({len(second)}) '
          f'-> ok before the FIN arrived, recv -> {r2}, next send -> {r3} (a proxy reports 502)',
          ('KEEPALIVE_RACE',))
    ctx.truth(stem, t)


# ---------------------------------------------------------------------------------------------
# MIDDLEBOX_RST by tcpkill
# ---------------------------------------------------------------------------------------------

@scenario
def middlebox_rst_tcpkill(ctx):
    stem = 'middlebox-rst-tcpkill'
    with Lab() as lab:
        srv = lab.listen(NS_S, S4, 8085)
        cap = Capture(NS_C, 'c0', ctx.path(stem))
        cli, conn = pair(lab, srv, S4, 8085)
        c, s = local(cli), local(conn)
        exchange(cli, conn, path='/stream')

        def stream():
            for i in range(60):  # 200 bytes every 100 ms
                r = outcome(lambda: conn.send(b'y' * 200))
                if not r.endswith('bytes'):
                    return r, i
                time.sleep(0.1)
            return 'ok', 60

        def reader():
            total = 0
            cli.settimeout(10)
            while True:
                r = outcome(lambda: cli.recv(4096))
                if not r.endswith('bytes'):
                    return r, total
                total += int(r.split()[0])
        ts, tr = in_thread(stream), in_thread(reader)
        time.sleep(1.0)
        kill = lab.spawn(NS_R, ['tcpkill', '-i', 'r0', 'tcp', 'port', '8085'])
        ts.join(10)
        tr.join(10)
        time.sleep(0.5)
        kill.terminate()
        kill.wait(5)
        cap.stop()
        expect(ts.result[0] in ('ECONNRESET', 'EPIPE') and tr.result[0] == 'ECONNRESET',
               f'server send -> {ts.result}, client recv -> {tr.result}')
    t = Truth('the server streams 200 bytes every 100 ms; tcpkill (dsniff) on the router answers '
              'every segment it sees with RSTs in the name of its receiver', 'client')
    t.add(c, s, 'MIDDLEBOX_RST', 'middlebox',
          f'client recv -> {tr.result[0]} after {tr.result[1]} bytes; server send -> '
          f'{ts.result[0]} after {ts.result[1]} chunks; neither application closed')
    ctx.truth(stem, t)


# ---------------------------------------------------------------------------------------------
# many flows at once: mixed endings, and random loss
# ---------------------------------------------------------------------------------------------

def wait_unread(s, n, timeout=8):
    deadline = time.time() + timeout
    while time.time() < deadline and unread(s) < n:
        time.sleep(0.05)
    return unread(s)


def flow_worker(lab, kind, addr, port, srv, rnd, size, keep):
    """One flow of a many-flow capture; returns (client, server, class, by, tags, notes)."""
    time.sleep(rnd.uniform(0, 1.5))
    if kind == 'refused':
        cli, r = lab.connect(addr, port)
        expect(r == 'ECONNREFUSED', f'{kind}: connect -> {r}')
        return local(cli), (addr, port), 'REFUSED', 'server', (), f'connect() -> {r}'
    cli, conn = pair(lab, srv, addr, port)
    c, s = local(cli), local(conn)
    pause = lambda: time.sleep(rnd.uniform(0.1, 0.8))  # noqa: E731
    if kind == 'unread-client':
        req = request('/big')
        cli.sendall(req)
        expect(recv_exact(conn, len(req)) == req, 'request lost')
        resp = response(size)
        conn.sendall(resp)
        n = wait_unread(cli, len(resp))
        expect(n == len(resp), f'{kind}: client has {n} of {len(resp)} bytes')
        pause()
        cli.close()
        r = outcome(lambda: conn.recv(100))
        expect(r == 'ECONNRESET', f'{kind}: server recv -> {r}')
        return c, s, 'RST_UNREAD_DATA', 'client', (), (f'client close() with {n} unread bytes; '
                                                         f'server recv -> {r}')
    exchange(cli, conn, size=size, close=(kind == 'after-close-server'))
    pause()
    if kind in ('fin-client', 'fin-server'):
        first = kind.split('-')[1]
        return c, s, 'FIN_ORDERLY', first, (), orderly_close(cli, conn, first)
    if kind == 'unread-server':
        extra = request('/pipelined')
        cli.sendall(extra)
        n = wait_unread(conn, len(extra))
        expect(n == len(extra), f'{kind}: server has {n} unread bytes')
        conn.close()
        r = outcome(lambda: cli.recv(100))
        expect(r == 'ECONNRESET', f'{kind}: client recv -> {r}')
        return c, s, 'RST_UNREAD_DATA', 'server', (), (f'server close() with {n} unread bytes; '
                                                         f'client recv -> {r}')
    if kind == 'abort-server':
        linger0(conn)
        conn.close()
        r = outcome(lambda: cli.recv(100))
        expect(r == 'ECONNRESET', f'{kind}: client recv -> {r}')
        return c, s, 'RST_ABORT', 'server', (), f'server SO_LINGER 0 + close(); client recv -> {r}'
    if kind == 'abort-client':
        cli.sendall(b'BYE\r\n')
        expect(recv_exact(conn, 5) == b'BYE\r\n', 'BYE lost')
        pause()
        linger0(cli)
        cli.close()
        r = outcome(lambda: conn.recv(100))
        expect(r == 'ECONNRESET', f'{kind}: server recv -> {r}')
        return c, s, 'RST_ABORT', 'client', (), (f'client sends BYE (read), SO_LINGER 0 + '
                                                   f'close(); server recv -> {r}')
    if kind == 'after-close-server':
        conn.close()
        r1 = outcome(lambda: cli.recv(100))
        expect(r1 == 'EOF', f'{kind}: client recv -> {r1}')
        r2 = outcome(lambda: cli.send(request('/late')))
        time.sleep(0.3)
        r3 = outcome(lambda: cli.send(b'more'))
        expect(r3 == 'EPIPE', f'{kind}: second send -> {r3}')
        return c, s, 'RST_AFTER_CLOSE', 'server', (), (f'server close(); client recv -> {r1}, '
                                                         f'send -> ok, next send -> {r3}')
    if kind == 'open':
        keep += [cli, conn]
        return c, s, 'OPEN_AT_END', 'unknown', (), 'request/response done; still open when the capture stops'
    raise ValueError(kind)


def many_flows(lab, kinds, seed, size_range):
    import random
    rnd = random.Random(seed)
    listeners, jobs, keep = {}, [], []
    for i, kind in enumerate(kinds):
        addr = S6 if i % 3 == 2 else S4
        port = 9000 + i
        srv = None if kind == 'refused' else lab.listen(NS_S, addr, port)
        listeners[port] = srv
        wr = random.Random(rnd.random())
        jobs.append(in_thread(flow_worker, lab, kind, addr, port, srv, wr,
                              wr.randint(*size_range), keep))
    for j in jobs:
        j.join(60)
    results = []
    for j in jobs:
        if isinstance(getattr(j, 'result', None), BaseException):
            raise j.result
        expect(hasattr(j, 'result'), 'a flow did not finish')
        results.append(j.result)
    return results, keep


@scenario
def mixed_concurrent(ctx):
    """36 overlapping flows, IPv4 and IPv6, eight kinds of ending; gzip-compressed."""
    stem = 'mixed-concurrent'
    kinds = (['fin-client'] * 6 + ['fin-server'] * 5 + ['unread-server'] * 4 +
             ['unread-client'] * 3 + ['abort-server'] * 4 + ['abort-client'] * 3 +
             ['refused'] * 3 + ['after-close-server'] * 4 + ['open'] * 4)
    import random
    random.Random(7).shuffle(kinds)
    with Lab() as lab:
        raw = ctx.path(stem)
        cap = Capture(NS_C, 'c0', raw)
        results, keep = many_flows(lab, kinds, 42, (200, 6000))
        time.sleep(0.5)
        cap.stop()
        for x in keep:
            linger0(x)
            x.close()
    run(['gzip', '-9', '-n', raw])
    t = Truth(f'{len(kinds)} overlapping flows (every third over IPv6) to one server, each ending '
              f'its own way: orderly closes, unread data, aborts, refusals, writes after close, '
              f'still open at the end (gzip-compressed pcap)', 'client')
    for c, s, cls, by, tags, notes in results:
        t.add(c, s, cls, by, notes, tags)
    ctx.truth(stem, t)


@scenario
def random_loss(ctx):
    """16 flows with 30-60 KB responses while the router drops 4 % of TCP segments."""
    stem = 'random-loss'
    kinds = ['fin-client'] * 5 + ['fin-server'] * 5 + ['unread-server'] * 3 + ['abort-server'] * 3
    import random
    random.Random(11).shuffle(kinds)
    with Lab() as lab:
        for v6 in (False, True):
            ipt(NS_R, '-A', 'FORWARD', '-p', 'tcp', '!', '--tcp-flags', 'RST', 'RST', '-m',
                'statistic', '--mode', 'random', '--probability', '0.04', '-j', 'DROP', v6=v6)
        cap = Capture(NS_C, 'c0', ctx.path(stem), snaplen=128)
        results, _ = many_flows(lab, kinds, 5, (30000, 60000))
        time.sleep(1.5)  # late retransmissions of FINs and their ACKs
        cap.stop()
        drops = ''.join(run([t, '-w', '-L', 'FORWARD', '-v', '-x', '-n'], ns=NS_R)
                        for t in ('iptables', 'ip6tables'))
    dropped = sum(int(line.split()[0]) for line in drops.splitlines()
                  if 'statistic' in line and line.split()[0].isdigit())
    t = Truth(f'{len(kinds)} flows with 30-60 KB responses (every third over IPv6) while the '
              f'router drops TCP segments at random (iptables statistic, p=0.04; RSTs exempt): '
              f'most still end with FINs, the others with RSTs', 'client')
    t.comment(f'the router dropped {dropped} segments in all; snaplen 128')
    for c, s, cls, by, tags, notes in results:
        t.add(c, s, cls, by, notes, tags)
    ctx.truth(stem, t)


# ---------------------------------------------------------------------------------------------

def main(registry=None, doc=__doc__, default_out=None, checks=(('.truth.tsv', check),),
         ctx=None):
    """Runs the scenarios of registry (default: this file's) into default_out, each staged and
    checked by every (suffix, check) of checks before it replaces anything."""
    reg = registry or SCENARIOS
    ctx = ctx or Ctx
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument('names', nargs='*', help='scenarios to run (default: all)')
    ap.add_argument('--out', default=default_out or
                    os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
    ap.add_argument('--list', action='store_true')
    ap.add_argument('--tries', type=int, default=3)
    a = ap.parse_args()
    if a.list:
        print('\n'.join(reg))
        return 0
    names = a.names or list(reg)
    unknown = [n for n in names if n not in reg]
    if unknown:
        print(f'unknown scenario(s): {" ".join(unknown)}', file=sys.stderr)
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
                reg[name](ctx(stage))
            except Exception as e:
                detail = str(e) if isinstance(e, Fail) else traceback.format_exc()
                print(f'{name}: attempt {attempt} failed: {detail}', file=sys.stderr)
                continue
            problems = [p for f in sorted(os.listdir(stage)) for suffix, fn in checks
                        if f.endswith(suffix) for p in fn(os.path.join(stage, f))]
            if problems:
                print(f'{name}: attempt {attempt}: the wire disagrees:\n  ' +
                      '\n  '.join(problems), file=sys.stderr)
                continue
            for f in sorted(os.listdir(stage)):
                shutil.move(os.path.join(stage, f), os.path.join(out, f))
                print(f'{name}: wrote {f}')
            print(f'{name}: ok in {time.time() - t0:.1f} s')
            break
        else:
            failed.append(name)
    shutil.rmtree(os.path.join(out, '.staging'), ignore_errors=True)
    if failed:
        print(f'FAILED: {" ".join(failed)}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
