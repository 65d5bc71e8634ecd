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
from netlab import (C4, C6, NS_C, NS_R, NS_S, S4, S6, Capture, Lab, Truth, in_thread, ipt,  # noqa: E402
                    linger0, local, outcome, recv_exact, run, sysctl, tcp_state, unread)

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

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument('names', nargs='*', help='scenarios to run (default: all)')
    ap.add_argument('--out', default=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
    ap.add_argument('--list', action='store_true')
    ap.add_argument('--tries', type=int, default=3)
    a = ap.parse_args()
    if a.list:
        print('\n'.join(SCENARIOS))
        return 0
    names = a.names or list(SCENARIOS)
    unknown = [n for n in names if n not in SCENARIOS]
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
                SCENARIOS[name](Ctx(stage))
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
    shutil.rmtree(os.path.join(out, '.staging'), ignore_errors=True)
    if failed:
        print(f'FAILED: {" ".join(failed)}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
