"""Devices between client and nginx, across many connections: a stateful firewall whose
conntrack entries expire (a black hole for one path), and an IPS one router hop further that
injects RSTs (its TTL tells it apart from both ends)."""
import json
import os
import time

from appcommon import connect, expect, flow, scenario
from applab import NS_C, NS_R, NS_S, NS_X, S4, AppLab
from apptruth import AppTruth
from clients import http_read, http_send
from netlab import HERE, Capture, Truth, in_thread, ipt, outcome, sysctl
from servers import start_nginx


def two_nginx(lab, ports):
    return start_nginx(lab, NS_S, [
        f'    listen {S4}:{p};\n    keepalive_timeout 60s;\n'
        f'    location / {{ return 200 "port {p}\\n"; }}' for p in ports])


def keepalive_client(lab, port, path, idle, second_path, start):
    """A request, `idle` seconds of silence, a second request on the same connection."""
    time.sleep(start)
    c = connect(lab, S4, port)
    req1 = http_send(c, 'GET', f'{path}')
    resp1, _ = http_read(c)
    time.sleep(idle)
    req2 = http_send(c, 'GET', second_path)
    t0 = time.time()
    try:
        resp2, _ = http_read(c, 20)
        r = 'answered'
    except EOFError as e:
        resp2, r = None, str(e)
    took = time.time() - t0
    end = outcome(lambda: c.s.close())
    return c, req1, resp1, req2, resp2, r, took, end


@scenario
def conntrack_blackhole_many(ctx):
    import random
    stem = 'conntrack-blackhole-many'
    rnd = random.Random(int(time.time()))
    with AppLab() as lab:
        two_nginx(lab, (80, 81))
        # a stateful firewall that forgets established flows after 3 idle seconds; what it no
        # longer knows is INVALID (tcp_loose 0) and dropped on the path to port 80 only
        sysctl(NS_R, net__netfilter__nf_conntrack_tcp_loose=0,
               net__netfilter__nf_conntrack_tcp_timeout_established=3)
        for d in ('--dport', '--sport'):
            ipt(NS_R, '-A', 'FORWARD', '-p', 'tcp', d, '80', '-m', 'conntrack', '--ctstate',
                'INVALID', '-j', 'DROP')
        cap = Capture(NS_C, 'c0', ctx.path(stem), snaplen=200)
        plan = [(80, rnd.uniform(4, 6)) for _ in range(10)] + \
               [(80, rnd.uniform(0.5, 1.5)) for _ in range(3)] + \
               [(81, rnd.uniform(4, 6)) for _ in range(5)]
        rnd.shuffle(plan)
        jobs = [in_thread(keepalive_client, lab, port, f'/first/{i}', idle, f'/second/{i}',
                          rnd.uniform(0, 2)) for i, (port, idle) in enumerate(plan)]
        for j in jobs:
            j.join(40)
        time.sleep(0.5)
        cap.stop()
    results = []
    for j, (port, idle) in zip(jobs, plan):
        if isinstance(getattr(j, 'result', None), BaseException):
            raise j.result
        results.append((port, idle) + j.result)
    t = Truth('nginx behind a stateful firewall (conntrack established timeout 3 s, tcp_loose '
              '0, INVALID dropped on the path to port 80 only): 18 keep-alive connections, a '
              'request, an idle pause, a second request; after more than 3 s idle the second '
              'request to port 80 is dropped with every retransmission until the client gives '
              'up (ETIMEDOUT); port 81 and short pauses pass', 'client', idle_threshold='2s')
    t.comment('snaplen 200; nginx keepalive_timeout 60s, so the server never closes first')
    a = AppTruth('client')
    a.timer((S4, 80), 'middlebox', 3, 'nf_conntrack_tcp_timeout_established on the router '
                                      '(tl-r), INVALID dropped for port 80')
    for port, idle, c, req1, resp1, req2, resp2, r, took, end in results:
        ci, si = flow(c)
        if resp2 is None:
            expect(port == 80 and idle > 3.2 and r == 'ETIMEDOUT', f'{ci}: {port} {idle} {r}')
            t.add(ci, si, 'IDLE_TIMEOUT', 'middlebox',
                  f'{req1.text} -> {resp1.text}; {idle:.1f} s idle; {req2.text} -> recv {r} '
                  f'after {took:.1f} s (retransmitted, never answered); close()',
                  ('RETRANSMISSION_BACKOFF',))
            a.add(ci, si, 'http', req2, resp1, True,
                  timer=f'{S4}:80 middlebox 3s')
        else:
            expect(port == 81 or idle < 2.8, f'{ci}: {port} {idle} answered')
            t.add(ci, si, 'FIN_ORDERLY', 'client',
                  f'{req1.text}; {idle:.1f} s idle; {req2.text} -> {resp2.text}; client close()')
            a.add(ci, si, 'http', req2, resp2, False)
    ctx.write(stem, t, a)


@scenario
def injected_rst_many(ctx):
    stem = 'injected-rst-many'
    with AppLab(hop=True) as lab:
        two_nginx(lab, (80,))
        ipt(NS_X, '-A', 'FORWARD', '-p', 'tcp', '-m', 'string', '--string', 'BLOCKED', '--algo',
            'bm', '-j', 'DROP')
        blocked = {2, 5, 7, 10, 12, 15}
        inj = lab.spawn(NS_X, ['python3', os.path.join(HERE, 'injector.py'), '--client-if',
                               'x0', '--server-if', 'x1', '--port', '80', '--word', 'BLOCKED',
                               '--ttl', '64', '--count', str(len(blocked)), '--seconds', '60'])
        expect(inj.stdout.readline().strip() == 'ready', 'injector did not start')
        cap = Capture(NS_C, 'c0', ctx.path(stem))
        jobs = [in_thread(keepalive_client, lab, 80, f'/page/{i}', 0.3 + 0.1 * i,
                          f'/BLOCKED/{i}' if i in blocked else f'/page/{i}/next', 0.2 * i)
                for i in range(18)]
        for j in jobs:
            j.join(40)
        time.sleep(0.5)
        cap.stop()
        lab.stop(inj)
        forged = [json.loads(line) for line in inj.stdout.read().splitlines()
                  if line.startswith('{')]
    t = Truth('an inline IPS on a second router (tl-x, one hop nearer the server than the '
              'client\'s router) drops requests containing BLOCKED and forges RST+ACK to both '
              'ends; 6 of 18 keep-alive connections to nginx are hit. At the client, its own '
              'packets carry TTL 64, the server\'s 62, the forged RSTs 63', 'client')
    t.comment(f'{len(forged)} RSTs forged: ' +
              ', '.join(f"{f['towards']} {f['client']}" for f in forged))
    a = AppTruth('client')
    for i, j in enumerate(jobs):
        if isinstance(getattr(j, 'result', None), BaseException):
            raise j.result
        c, req1, resp1, req2, resp2, r, took, end = j.result
        ci, si = flow(c)
        if i in blocked:
            expect(resp2 is None and r == 'ECONNRESET', f'{ci}: {r}')
            t.add(ci, si, 'MIDDLEBOX_RST', 'middlebox',
                  f'{req1.text} -> {resp1.text}; {req2.text} -> recv {r} (forged, TTL 63 at the '
                  f'client); the request never reached nginx')
            a.add(ci, si, 'http', req2, resp1, True)
        else:
            expect(resp2 is not None, f'{ci}: {r}')
            t.add(ci, si, 'FIN_ORDERLY', 'client',
                  f'{req1.text} -> {resp1.text}; {req2.text} -> {resp2.text}; client close()')
            a.add(ci, si, 'http', req2, resp2, False)
    expect(len(forged) == 2 * len(blocked), f'{len(forged)} RSTs forged')
    ctx.write(stem, t, a)
