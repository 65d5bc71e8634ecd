"""TLS 1.2 endings: close_notify from either side with nginx and openssl s_server, nginx refusing
an old protocol version with a fatal alert, and openssl s_server refusing an unknown SNI name
(-servername_fatal)."""
import ssl
import time

from appcommon import expect, scenario
from applab import NS_C, NS_S, S4, AppLab
from apptruth import AppTruth
from clients import TlsConn
from netlab import Capture, Truth
from servers import make_cert, start_nginx, start_s_server, workdir

ALPN = ['h2', 'http/1.1']


def tls_conn(lab, port, sni):
    """A client offering TLS up to 1.2, SNI `sni` and ALPN h2, http/1.1; no verification."""
    s, r = lab.connect(S4, port)
    expect(r == 'ok', f'connect {port} -> {r}')
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    ctx.set_alpn_protocols(ALPN)
    return TlsConn(s, ctx, sni)


def tls_session(lab, port, first, http=True):
    """A TLS 1.2 session with one request; `first` sends close_notify first (the server when
    the request says Connection: close). Returns (conn, facts)."""
    c = tls_conn(lab, port, 'app.example')
    _, r = c.do(c.obj.do_handshake, 'ClientHello')
    expect(r == 'ok', f'handshake -> {r}')
    f = dict(alpn=c.obj.selected_alpn_protocol())
    close = 'Connection: close\r\n' if first == 'server' else ''
    data = (f'GET /hello HTTP/1.1\r\nHost: app.example\r\n{close}\r\n'.encode() if http
            else b'hello s_server\n')
    c.do(lambda: c.obj.write(data), 'Application Data (' + (
        'GET /hello HTTP/1.1 (Host: app.example)' if http else 'hello s_server') + ')')
    f['req'] = last(c, 'client')
    n = len(c.msgs)
    f['resp'] = None
    if http:
        f['status'] = c.read_http()
        f['resp'] = next(m for m in c.msgs[n:] if m.frm == 'server')
        f['resp'].text = f"Application Data ({f['status']})"
    if first == 'server':
        _, f['read'] = c.do(lambda: c.obj.read(100))   # the server's close_notify
    _, f['unwrap'] = c.do(c.obj.unwrap, 'close_notify (encrypted alert)', timeout=3)
    f['end'], _ = c.until_end(3)
    c.s.close()
    return c, f


def last(c, frm):
    return [m for m in c.msgs if m.frm == frm][-1]


@scenario
def tls_goodbyes(ctx):
    stem = 'tls-goodbyes'
    with AppLab() as lab:
        d = workdir(lab)
        cert, key = make_cert(d, 'app.example')
        start_nginx(lab, NS_S, [
            f'    listen {S4}:443 ssl;\n    ssl_certificate {cert};\n'
            f'    ssl_certificate_key {key};\n    ssl_protocols TLSv1.2 TLSv1.3;\n'
            f'    keepalive_timeout 10s;\n    location / {{ return 200 "hello\\n"; }}',
            f'    listen {S4}:8443 ssl;\n    ssl_certificate {cert};\n'
            f'    ssl_certificate_key {key};\n    ssl_protocols TLSv1.3;\n'
            f'    location / {{ return 200 "hello\\n"; }}'], d=d)
        start_s_server(lab, NS_S, S4, 4433, ['-cert', cert, '-key', key, '-servername',
                                             'app.example', '-cert2', cert, '-key2', key,
                                             '-servername_fatal', '-www',
                                             '-naccept', '3'], d=d)
        start_s_server(lab, NS_S, S4, 4434, ['-cert', cert, '-key', key, '-naccept', '2',
                                             '-quiet'], d=d)
        cap = Capture(NS_C, 'c0', ctx.path(stem))
        sessions = [tls_session(lab, 443, 'client'), tls_session(lab, 443, 'server'),
                    tls_session(lab, 4434, 'client', http=False)]
        # 2: the client offers at most TLS 1.2 to a TLS 1.3-only nginx
        old = tls_conn(lab, 8443, 'app.example')
        _, r_old = old.do(old.obj.do_handshake, 'ClientHello')
        r_old2, _ = old.until_end(3)
        old.s.close()
        # 3: a name the strict s_server does not serve
        sni = tls_conn(lab, 4433, 'other.example')
        _, r_sni = sni.do(sni.obj.do_handshake, 'ClientHello')
        r_sni2, _ = sni.until_end(3)
        sni.s.close()
        time.sleep(0.3)
        cap.stop()
    alert_old = last(old, 'server')
    alert_sni = last(sni, 'server')
    (keep, kf), (conn_close, cf), (plain, pf) = sessions
    expect(kf['unwrap'].startswith('SSLEOFError') and cf['unwrap'] == 'ok' and
           pf['unwrap'] == 'ok', f"unwrap -> {kf['unwrap']} / {cf['unwrap']} / {pf['unwrap']}")
    expect(alert_old.text == 'Alert fatal protocol_version' and
           alert_sni.text == 'Alert fatal unrecognized_name',
           f'{alert_old.text} / {alert_sni.text}')
    t = Truth('TLS 1.2 endings: nginx answers the client\'s close_notify on a keep-alive '
              'connection with a bare FIN; nginx closes a Connection: close exchange with '
              'close_notify and FIN, and the client\'s close_notify then meets a closed socket '
              '(RST); openssl s_server answers the client\'s close_notify in kind; a TLS '
              '1.3-only nginx refuses a client that offers at most TLS 1.2 (fatal '
              'protocol_version alert); openssl s_server -servername_fatal refuses an unknown '
              'SNI name (fatal unrecognized_name alert)', 'client')
    t.comment('client: Python ssl on memory BIOs (every record it sent or received is known); '
              'SNI and ALPN (h2, http/1.1) are offered on every flow; the certificate is '
              'self-signed (openssl req), the client does not verify it. TLS 1.2 so that the '
              'closing alerts show as alert records (TLS 1.3 hides them in application data)')
    t.add(keep.local(), keep.remote(), 'FIN_ORDERLY', 'server',
          f"nginx; GET /hello -> {kf['status']} (ALPN {kf['alpn']}); client unwrap() sends "
          f"close_notify -> {kf['unwrap']}: nginx sent FIN without a close_notify; then recv "
          f"-> {kf['end']}; close()")
    t.add(conn_close.local(), conn_close.remote(), 'RST_AFTER_CLOSE', 'server',
          f"nginx; GET /hello with Connection: close -> {cf['status']}; then read -> "
          f"{cf['read']} (nginx's close_notify, then its FIN); client unwrap() sends close_notify "
          f"-> {cf['unwrap']}: nginx's closed socket answers it with RST; recv -> {cf['end']}")
    t.add(plain.local(), plain.remote(), 'FIN_ORDERLY', 'server',
          f"openssl s_server; 15 bytes of application data, no answer; client unwrap() sends "
          f"close_notify -> {pf['unwrap']} (s_server's close_notify, then its FIN); recv -> "
          f"{pf['end']}; close()")
    t.add(old.local(), old.remote(), 'FIN_ORDERLY', 'server',
          f'nginx ssl_protocols TLSv1.3, client at most TLS 1.2: handshake -> {r_old}; then '
          f'recv -> {r_old2}; close()')
    t.add(sni.local(), sni.remote(), 'FIN_ORDERLY', 'server',
          f'openssl s_server -servername app.example -servername_fatal, client SNI '
          f'other.example: handshake -> {r_sni}; then recv -> {r_sni2}; close()')
    a = AppTruth('client')
    alpn = ','.join(ALPN)

    def alerts(c):
        return [m for m in c.msgs if 'lert' in m.text or 'close_notify' in m.text]
    for c, f, goodbye in ((keep, kf, None), (conn_close, cf, 'server'), (plain, pf, 'server')):
        if goodbye:  # the server's closing alert: its close_notify, decrypted by the client
            last(c, 'server').text = 'close_notify (encrypted alert)'
        bye = last(c, goodbye) if goodbye else last(c, 'client')
        a.add(c.local(), c.remote(), 'tls', f['req'], f['resp'], False, bye, 'app.example',
              alpn, alerts(c)[0])
    for c, name, alert in ((old, 'app.example', alert_old), (sni, 'other.example', alert_sni)):
        a.add(c.local(), c.remote(), 'tls', c.msgs[0], alert, False, alert, name, alpn, alert)
    ctx.write(stem, t, a)
