"""The 502 keep-alive race behind a real proxy: HAProxy reuses idle backend connections longer
than the backend nginx keeps them (keepalive_timeout), and a request sent on one just as nginx
closes it is lost. Captured on the proxy host (s0), which carries both legs; the backend link
has 100 ms of delay each way (delaybridge.py in tl-d), so the race window is 200 ms wide."""
import time

from appcommon import connect, expect, flow, scenario
from applab import B4, NS_B, NS_S, S4, AppLab
from apptruth import AppTruth
from clients import http_read, http_send, seen
from netlab import Capture, Truth
from servers import haproxy_log, nginx_access, start_haproxy, start_nginx

IDLE = 2.0  # the idle threshold of these captures

HAPROXY_TIMERS = """  timeout connect 2s
  timeout client 30s
  timeout server 20s
  timeout http-keep-alive 20s
"""


def backend_nginx(lab, ports):
    """One nginx on the backend host; ports: {port: keepalive_timeout seconds}."""
    return start_nginx(lab, NS_B, [
        f'    listen {B4}:{p};\n    keepalive_timeout {k}s;\n'
        f'    location / {{ return 200 "backend {p}\\n"; }}' for p, k in ports.items()])


def proxy(lab, backends, routes=''):
    """HAProxy on S4:80, reusing idle backend connections (http-reuse always) for 20 s."""
    body = HAPROXY_TIMERS + f'frontend fe\n  bind {S4}:80\n{routes}'
    first = True
    for name, port in backends.items():
        if first:
            body += f'  default_backend {name}\n'
            first = False
    for name, port in backends.items():
        body += (f'backend {name}\n  http-reuse always\n'
                 f'  server {name} {B4}:{port} pool-purge-delay 20s\n')
    return start_haproxy(lab, NS_S, body)


@scenario
def proxy_502_race(ctx):
    stem = 'proxy-502-race'
    with AppLab(backend=True, backend_delay=0.1) as lab:
        be = backend_nginx(lab, {8002: 2})
        hp = proxy(lab, {'be2': 8002})
        cap = Capture(NS_S, 's0', ctx.path(stem))
        # 1: a request that leaves an idle backend connection in HAProxy's pool
        a = connect(lab, S4, 80)
        req_a = http_send(a, 'GET', '/first')
        resp_a, _ = http_read(a)
        t_a = time.time()
        a.s.close()
        # 2: 1.9 s later a new client's request reuses it just as nginx's 2 s timer closes it
        time.sleep(max(0, t_a + 1.9 - time.time()))
        b = connect(lab, S4, 80)
        req_b = http_send(b, 'GET', '/second')
        resp_b, hb = http_read(b, 5)
        b.s.close()
        # 3: a client keeps its connection and sends its second request at the same moment
        time.sleep(0.5)
        c = connect(lab, S4, 80)
        req_c1 = http_send(c, 'GET', '/third')
        resp_c1, _ = http_read(c)
        t_c = time.time()
        time.sleep(max(0, t_c + 1.9 - time.time()))
        req_c2 = http_send(c, 'GET', '/fourth')
        r_c, _ = c.until_end(5)
        c.s.close()
        time.sleep(0.6)
        cap.stop()
        hlog, blog = haproxy_log(hp), nginx_access(be)
    by_req = {r['request']: r for r in hlog}
    expect(resp_b.text == 'HTTP/1.1 502 Bad Gateway', f'/second -> {resp_b.text}')
    expect(r_c == 'EOF' and not c.buf, f'/fourth -> {r_c} {c.buf[:40]!r}')
    served = {r['request'].split()[1] for r in blog}
    expect(served == {'/first', '/third'}, f'backend served {served}')
    x = by_req['GET /first HTTP/1.1']['backend_src']
    y = by_req['GET /third HTTP/1.1']['backend_src']
    expect(by_req['GET /second HTTP/1.1']['backend_src'] == x and
           by_req['GET /second HTTP/1.1']['state'].startswith('SH'),
           f"/second went {by_req['GET /second HTTP/1.1']}")
    expect('GET /fourth HTTP/1.1' not in by_req, 'HAProxy logged /fourth')
    backend = (B4, 8002)
    t = Truth('HAProxy 2.6 (http-reuse always, idle backend connections kept 20 s) in front of '
              'nginx (keepalive_timeout 2s, 100 ms away): twice a request is sent on an idle '
              'backend connection just as nginx closes it; the request crosses the FIN and is '
              'answered with RST. A new client connection gets 502 (SH--); a client\'s second '
              'request on its keep-alive connection gets no answer at all: HAProxy closes that '
              'client connection silently (so that the client may retry)', 'proxy',
              idle_threshold='2s')
    t.comment('capture on the proxy host (tl-s, s0): both legs, client <-> HAProxy '
              f'{S4}:80 and HAProxy <-> backend {B4}:8002; HAProxy\'s own packets carry TTL 64, '
              'the client\'s and the backend\'s 63')
    ca, sa = flow(a)
    cb, sb = flow(b)
    cc, sc = flow(c)
    t.add(ca, sa, 'FIN_ORDERLY', 'client', f'GET /first -> {resp_a.text}; client close()')
    t.add(x, backend, 'RST_AFTER_CLOSE', 'server',
          'HAProxy\'s connection to nginx: GET /first served (nginx access log), idle for 1.9 s '
          'in HAProxy\'s pool, reused for GET /second, which crossed nginx\'s keep-alive FIN '
          'and was answered with RST; HAProxy log: 502 SH--', ('KEEPALIVE_RACE',))
    t.add(cb, sb, 'FIN_ORDERLY', 'client',
          f'new connection, GET /second -> {resp_b.text} (Connection header: '
          f'{hb.get("connection", "none")}: HAProxy keeps the client connection); client close()')
    t.add(y, backend, 'RST_AFTER_CLOSE', 'server',
          'HAProxy\'s connection to nginx: GET /third served, idle for 1.9 s, reused for GET '
          '/fourth, which crossed nginx\'s FIN and was answered with RST; HAProxy logged '
          'nothing for /fourth', ('KEEPALIVE_RACE',))
    t.add(cc, sc, 'FIN_ORDERLY', 'server',
          f'GET /third -> {resp_c1.text}; GET /fourth on the same connection 1.9 s later -> '
          f'no response, recv -> {r_c}: HAProxy closed the client connection silently; '
          f'client close()')
    ap = AppTruth('proxy')
    ap.timer(backend, 'server', 2, 'nginx keepalive_timeout (backend)')
    ap.timer((S4, '*'), 'client', 20, 'HAProxy reuse of idle backend connections '
                                     '(pool-purge-delay 20s, timeout server 20s)')
    ap.add(ca, sa, 'http', req_a, resp_a)
    ap.add(x, backend, 'http', seen('client', b'GET /second ', 'GET /second HTTP/1.1 (Host: '
                                    'app.example)'),
           seen('server', b'HTTP/1.1 200 OK', 'HTTP/1.1 200 OK'), True,
           timer=f'{B4}:8002 server 2s')
    ap.add(cb, sb, 'http', req_b, resp_b)
    ap.add(y, backend, 'http', seen('client', b'GET /fourth ', 'GET /fourth HTTP/1.1 (Host: '
                                    'app.example)'),
           seen('server', b'HTTP/1.1 200 OK', 'HTTP/1.1 200 OK'), True,
           timer=f'{B4}:8002 server 2s')
    ap.add(cc, sc, 'http', req_c2, resp_c1, True)
    ctx.write(stem, t, ap)


def worker(lab, prefix, thinks, results, until):
    """Sequential requests to one backend route, a new client connection each, with the given
    think times between them; appends (conn, request msg, response msg, status)."""
    n = 0
    for think in thinks:
        if time.time() > until:
            break
        c = connect(lab, S4, 80)
        req = http_send(c, 'GET', f'{prefix}/{n}')
        resp, _ = http_read(c, 5)
        c.s.close()
        results.append((c, req, resp))
        n += 1
        time.sleep(think)


@scenario
def proxy_keepalive_many(ctx):
    """Two backend timers behind one proxy, with think times around them."""
    import random
    from netlab import in_thread
    stem = 'proxy-keepalive-many'
    rnd = random.Random(int(time.time()))
    # think times: short ones, ones close to the backend's timer (the race), long ones
    thinks3 = [rnd.choice((0.5, 1.5, rnd.uniform(2.75, 3.2), rnd.uniform(2.75, 3.2), 4.5))
               for _ in range(14)]
    thinks7 = [rnd.choice((1.0, 2.5, rnd.uniform(6.75, 7.2), rnd.uniform(6.75, 7.2), 9.0))
               for _ in range(8)]
    with AppLab(backend=True, backend_delay=0.1, seconds=120) as lab:
        be = backend_nginx(lab, {8003: 3, 8007: 7})
        hp = proxy(lab, {'be3': 8003, 'be7': 8007}, '  use_backend be7 if { path_beg /b/ }\n')
        cap = Capture(NS_S, 's0', ctx.path(stem), snaplen=200)
        res3, res7 = [], []
        until = time.time() + 22
        w3 = in_thread(worker, lab, '/a', thinks3, res3, until)
        w7 = in_thread(worker, lab, '/b', thinks7, res7, until)
        w3.join(60)
        w7.join(60)
        for w in (w3, w7):
            if isinstance(w.result, BaseException):
                raise w.result
        time.sleep(8)  # every idle backend connection reaches nginx's timer
        cap.stop()
        hlog, blog = haproxy_log(hp), nginx_access(be)
    results = res3 + res7
    races = [r for r in hlog if r['status'] == 502]
    expect(races, 'no request crossed a backend close this time')
    expect(all(r['state'].startswith('SH') for r in races), f'502s {races}')
    t = Truth('HAProxy 2.6 (http-reuse always) in front of two nginx servers, keepalive_timeout '
              '3s (port 8003, path /a/) and 7s (port 8007, path /b/), 100 ms away; one client '
              'per route sends requests on new connections with think times drawn around the '
              'backend\'s timer: idle backend connections are closed by nginx, and requests '
              'that HAProxy sends on one as nginx closes it get 502', 'proxy',
              idle_threshold=f'{IDLE:g}s')
    t.comment(f'capture on the proxy host (s0): both legs; {len(results)} client requests, '
              f'{len(races)} of them lost to the race (502 SH--); think times /a/: '
              f'{[round(x, 2) for x in thinks3]}, /b/: {[round(x, 2) for x in thinks7]}')
    ap = AppTruth('proxy')
    ap.timer((B4, 8003), 'server', 3, 'nginx keepalive_timeout (backend be3)')
    ap.timer((B4, 8007), 'server', 7, 'nginx keepalive_timeout (backend be7)')
    ap.timer((S4, '*'), 'client', 20, 'HAProxy reuse of idle backend connections (timeout '
                                      'server 20s; pool-purge-delay 20s)')
    for c, req, resp in results:
        ci, si = flow(c)
        t.add(ci, si, 'FIN_ORDERLY', 'client', f'{req.text} -> {resp.text}; client close()')
        ap.add(ci, si, 'http', req, resp)
    conns = {}
    for r in hlog:
        if r['backend_src'][1]:
            conns.setdefault(r['backend_src'], []).append(r)
    for src, reqs in conns.items():
        port = 8003 if reqs[0]['server'].startswith('be3') else 8007
        k = 3 if port == 8003 else 7
        served = [b for b in blog if b['client'] == src]
        last = reqs[-1]
        path = last['request'].split()[1]
        if last['status'] == 502:
            expect(len(served) == len(reqs) - 1, f'{src}: served {served}, sent {reqs}')
            # idle from nginx's last response to HAProxy's accepting the lost request: at or
            # above the threshold, the contract's IDLE_TIMEOUT comes first (the data after the
            # gap was answered only by RST), below it RST_AFTER_CLOSE
            idle = last['t'] - served[-1]['t']
            t.add(src, (B4, port), 'IDLE_TIMEOUT' if idle >= IDLE else 'RST_AFTER_CLOSE',
                  'server',
                  f'{len(reqs) - 1} request(s) served, then idle {idle:.2f} s (logs), then '
                  f'{path} sent on it as nginx\'s {k} s keep-alive timer closed it: FIN crossed '
                  f'by the request, RST; HAProxy answered 502 {last["state"]}',
                  ('KEEPALIVE_RACE',))
            unanswered, timer = True, f'{B4}:{port} server {k}s'
        else:
            expect(len(served) == len(reqs), f'{src}: served {served}, sent {reqs}')
            t.add(src, (B4, port), 'IDLE_TIMEOUT', 'server',
                  f'{len(reqs)} request(s) served, the last {path}; then idle until nginx\'s '
                  f'{k} s keep-alive timer closed it (FIN)')
            unanswered, timer = False, f'{B4}:{port} server {k}s'
        ap.add(src, (B4, port), 'http',
               seen('client', f'GET {path} '.encode(), f'GET {path} HTTP/1.1 (Host: app.example)'),
               seen('server', b'HTTP/1.1 200 OK', 'HTTP/1.1 200 OK'), unanswered, timer=timer)
    ctx.write(stem, t, ap)
