"""nginx alone: its keep-alive timeout, a 413 for a body too large, and a reset of a timed-out
connection (reset_timedout_connection)."""
import time

from appcommon import connect, expect, flow, scenario
from applab import NS_C, NS_S, S4, AppLab
from apptruth import AppTruth
from clients import http_head, http_read, http_send
from netlab import Capture, Truth
from servers import nginx_access, start_nginx, workdir


def hello(listen, *extra):
    return '\n'.join([f'    listen {listen};'] + [f'    {x}' for x in extra] +
                     ['    location / { return 200 "hello\\n"; }'])


@scenario
def nginx_keepalive_timeout(ctx):
    stem = 'nginx-keepalive-timeout'
    with AppLab() as lab:
        srv = start_nginx(lab, NS_S, [hello(f'{S4}:80', 'keepalive_timeout 3s;')])
        cap = Capture(NS_C, 'c0', ctx.path(stem))
        c = connect(lab, S4, 80)
        req = http_send(c, 'GET', '/hello')
        resp, _ = http_read(c)
        r, waited = c.until_end(10)
        expect(r == 'EOF' and 2.8 < waited < 4.5, f'client recv -> {r} after {waited:.1f} s')
        c.s.close()
        time.sleep(0.3)
        cap.stop()
        log = nginx_access(srv)
    expect(len(log) == 1 and log[0]['status'] == 200, f'access log {log}')
    t = Truth('nginx (keepalive_timeout 3s) answers one HTTP/1.1 request, then closes the idle '
              'keep-alive connection with FIN after 3 s; the client reads EOF and closes',
              'client', idle_threshold='2s')
    cli, srv_addr = flow(c)
    t.add(cli, srv_addr, 'IDLE_TIMEOUT', 'server',
          f'client recv -> {r} {waited:.1f} s after the response, then close(); nginx access '
          f'log: "{log[0]["request"]}" {log[0]["status"]}')
    a = AppTruth('client')
    a.timer(srv_addr, 'server', 3, 'nginx keepalive_timeout')
    a.add(cli, srv_addr, 'http', req, resp, False, None,
          timer=f'{srv_addr[0]}:{srv_addr[1]} server 3s')
    ctx.write(stem, t, a)


@scenario
def nginx_413(ctx):
    """A body over client_max_body_size: nginx answers 413 at once, discards what follows for
    lingering_time, then closes with the upload still coming."""
    stem = 'nginx-413'
    with AppLab() as lab:
        srv = start_nginx(lab, NS_S, [hello(f'{S4}:80', 'client_max_body_size 1k;',
                                            'lingering_time 2s;')])
        cap = Capture(NS_C, 'c0', ctx.path(stem), snaplen=200)
        c = connect(lab, S4, 80)
        body = b'b' * 2000000
        req = http_send_head(c, 'POST', '/upload', len(body), body[:16384])
        sent, res = 16384, 'ok'
        t0 = time.time()
        while time.time() - t0 < 8:  # 8 KB every 50 ms, like a slow uplink
            m, res = c.try_send(body[sent:sent + 8192], 'body')
            if m is None:
                break
            sent += int(res.split()[0])
            time.sleep(0.05)
        took = time.time() - t0
        expect(res in ('ECONNRESET', 'EPIPE'), f'client send -> {res}')
        resp, hdrs = http_read(c)
        r2, _ = c.until_end(2)
        c.s.close()
        time.sleep(0.3)
        cap.stop()
        log = nginx_access(srv)
    expect(resp.text.startswith('HTTP/1.1 413') and hdrs.get('connection') == 'close',
           f'response {resp.text} {hdrs}')
    expect(len(log) == 1 and log[0]['status'] == 413, f'access log {log}')
    t = Truth('nginx (client_max_body_size 1k, lingering_time 2s) answers a 2 MB upload with 413 '
              'and Connection: close right after the headers, discards the body that keeps '
              'coming, and when lingering_time runs out closes with bytes unread (RST) while '
              'the client is still sending', 'client')
    t.comment('snaplen 200: the 2 MB body is cut, the headers and the 413 are whole')
    cli, sa = flow(c)
    t.add(cli, sa, 'RST_UNREAD_DATA', 'server',
          f'client send() -> {res} after {sent} body bytes and {took:.1f} s; then recv -> the '
          f'413 (still queued), then {r2}; nginx access log: "{log[0]["request"]}" '
          f'{log[0]["status"]}')
    a = AppTruth('client')
    a.timer(sa, 'server', 2, 'nginx lingering_time (whole seconds: it fired after 1-2 s)')
    a.add(cli, sa, 'http', req, resp, False, resp)
    ctx.write(stem, t, a)


def http_send_head(c, method, path, length, first):
    """Sends a request head declaring `length` body bytes, with the first of them."""
    head = (f'{method} {path} HTTP/1.1\r\nHost: app.example\r\nContent-Length: {length}\r\n'
            f'\r\n').encode()
    return c.send(head + first, f'{method} {path} HTTP/1.1 (Host: app.example)')


@scenario
def nginx_reset_timedout(ctx):
    """reset_timedout_connection on: a stalled upload (client_body_timeout) and a download the
    client stopped reading (send_timeout) both end with nginx's abortive close."""
    stem = 'nginx-reset-timedout'
    with AppLab() as lab:
        d = workdir(lab)
        with open(f'{d}/big.bin', 'wb') as f:
            f.write(b'z' * (4 << 20))
        srv = start_nginx(lab, NS_S, [
            f'    listen {S4}:80;\n    reset_timedout_connection on;\n'
            f'    client_body_timeout 3s;\n    send_timeout 3s;\n'
            f'    location /upload {{ proxy_pass http://127.0.0.1:9; }}\n'
            f'    location /big {{ alias {d}/big.bin; }}'], d=d)
        cap = Capture(NS_C, 'c0', ctx.path(stem), snaplen=200)
        up = connect(lab, S4, 80)
        req1 = http_send_head(up, 'POST', '/upload', 1000, b'u' * 100)
        down = connect(lab, S4, 80, rcvbuf=4096)
        req2 = http_send(down, 'GET', '/big')
        r1, w1 = up.until_end(10)        # the upload never sends its other 900 bytes
        time.sleep(1.5)                  # nor is the download ever read, until nginx gave up
        resp2 = http_head(down)
        r2, _ = down.until_end(1)
        up.s.close()
        down.s.close()
        time.sleep(0.3)
        cap.stop()
        log = nginx_access(srv)
    expect(r1 == 'ECONNRESET', f'upload recv -> {r1}')
    expect(r2 == 'ECONNRESET', f'download recv -> {r2}')
    by_port = {row['client'][1]: row for row in log}
    t = Truth('nginx with reset_timedout_connection on: an upload that stalls after 100 of 1000 '
              'body bytes (client_body_timeout 3s) and a 4 MB download the client does not read '
              '(send_timeout 3s) are both closed with RST', 'client', idle_threshold='2s')
    t.comment('snaplen 200')
    c1, s1 = flow(up)
    c2, s2 = flow(down)
    t.add(c1, s1, 'IDLE_TIMEOUT', 'server',
          f'client sent the head and 100 of 1000 body bytes, then nothing; recv -> {r1} after '
          f'{w1:.1f} s; nginx sent no response (its access log says '
          f'{by_port.get(c1[1], {}).get("status")}, which it never sent)')
    t.add(c2, s2, 'ZERO_WINDOW_STALL', 'client',
          f'client SO_RCVBUF 4096, reads nothing until nginx reset; then recv -> the queued '
          f'{down.rcvd} bytes, then {r2}; access log status {by_port.get(c2[1], {}).get("status")}')
    a = AppTruth('client')
    a.timer(s1, 'server', 3, 'nginx client_body_timeout (reset_timedout_connection on)')
    a.timer(s2, 'server', 3, 'nginx send_timeout (reset_timedout_connection on)')
    a.add(c1, s1, 'http', req1, None, True, None, timer=f'{s1[0]}:{s1[1]} server 3s')
    a.add(c2, s2, 'http', req2, resp2, False, None, timer=f'{s2[0]}:{s2[1]} server 3s')
    ctx.write(stem, t, a)
