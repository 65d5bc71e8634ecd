"""Minimal clients that remember every message they sent and received, with its byte offset in
its direction of the TCP stream, so the truth can name the frame that carries its first byte.

Protocols (standard library only): HTTP/1.1, PostgreSQL v3 (startup, md5 password, simple
query, terminate), MySQL/MariaDB (handshake v10, mysql_native_password, COM_QUERY, COM_QUIT),
Redis RESP, and TLS through Python's ssl module (records bytes on the wire via a MemoryBIO).
"""
import hashlib
import socket
import ssl
import struct
import time

from netlab import outcome


class Msg:
    """One application message: who sent it, where its first byte sits in that direction of the
    stream (offset), its first bytes (to match against the capture), and its text."""

    def __init__(self, frm, offset, data, text, search=None):
        self.frm, self.offset, self.data, self.text = frm, offset, bytes(data[:32]), text
        self.search = search  # for messages of a leg no script drove: (bytes, occurrence)
        self.frame = None

    def __repr__(self):
        return f'Msg({self.frm} @{self.offset} {self.text!r} frame {self.frame})'


def seen(frm, needle, text, occurrence=-1):
    """A message of a leg the scripts did not drive (a proxy's backend connection), found by
    its bytes in that direction's stream (occurrence: index among the matches, -1 = last)."""
    return Msg(frm, None, needle, text, search=(needle, occurrence))


class Conn:
    """A client socket that records what it sends and what it receives (with offsets)."""

    def __init__(self, sock, who='client'):
        self.s = sock
        self.who = who
        self.peer = 'server' if who == 'client' else 'client'
        self.sent = 0
        self.rcvd = 0
        self.buf = b''       # received, not yet consumed by a parser
        self.buf_at = 0      # stream offset of buf[0]
        self.msgs = []
        self._local, self._remote = sock.getsockname()[:2], sock.getpeername()[:2]

    def local(self):
        return self._local

    def remote(self):
        return self._remote

    def send(self, data, text):
        m = Msg(self.who, self.sent, data, text)
        self.s.sendall(data)
        self.sent += len(data)
        self.msgs.append(m)
        return m

    def try_send(self, data, text):
        """Sends and returns (msg or None, outcome): for sends that may fail."""
        r = outcome(lambda: self.s.send(data))
        if r.endswith('bytes'):
            n = int(r.split()[0])
            m = Msg(self.who, self.sent, data, text)
            self.sent += n
            self.msgs.append(m)
            return m, r
        return None, r

    def fill(self, timeout=10):
        """Reads once more into buf; returns the outcome ('N bytes', 'EOF', 'ECONNRESET', ...)."""
        self.s.settimeout(timeout)
        got = []

        def rd():
            data = self.s.recv(65536)
            got.append(data)
            return data
        r = outcome(rd)
        if got and got[0]:
            self.buf += got[0]
            self.rcvd += len(got[0])
        return r

    def wait_for(self, marker, timeout=10):
        """Reads until marker is in buf; EOFError(outcome) when the stream ends first."""
        deadline = time.time() + timeout
        while marker not in self.buf:
            r = self.fill(max(0.05, deadline - time.time()))
            if not r.endswith('bytes'):
                raise EOFError(r)

    def need(self, n, timeout=10):
        deadline = time.time() + timeout
        while len(self.buf) < n:
            r = self.fill(max(0.05, deadline - time.time()))
            if not r.endswith('bytes'):
                raise EOFError(r)
        return self.buf[:n]

    def take(self, n, text):
        data = self.buf[:n]
        m = Msg(self.peer, self.buf_at, data, text)
        self.buf, self.buf_at = self.buf[n:], self.buf_at + n
        self.msgs.append(m)
        return m

    def until_end(self, timeout):
        """Waits for EOF / RST / timeout; returns (outcome, seconds waited, leftover bytes)."""
        t0 = time.time()
        while True:
            r = self.fill(max(0.05, timeout - (time.time() - t0)))
            if not r.endswith('bytes'):
                return r, time.time() - t0


# -- HTTP ------------------------------------------------------------------------------------

def http_request(method, path, host, headers=(), body=b''):
    lines = [f'{method} {path} HTTP/1.1', f'Host: {host}'] + list(headers)
    if body or method in ('POST', 'PUT'):
        lines.append(f'Content-Length: {len(body)}')
    data = ('\r\n'.join(lines) + '\r\n\r\n').encode() + body
    return data, f'{method} {path} HTTP/1.1 (Host: {host})'


def http_send(c, method, path, host='app.example', headers=(), body=b''):
    data, text = http_request(method, path, host, headers, body)
    return c.send(data, text)


def http_read(c, timeout=10):
    """Reads one response (headers + Content-Length body): returns (msg, headers dict)."""
    deadline = time.time() + timeout
    c.wait_for(b'\r\n\r\n', timeout)
    head = c.buf.split(b'\r\n\r\n', 1)[0].decode('latin-1')
    lines = head.split('\r\n')
    hdrs = {k.strip().lower(): v.strip() for k, _, v in (l.partition(':') for l in lines[1:])}
    n = len(head) + 4 + int(hdrs.get('content-length', 0))
    c.need(n, max(0.05, deadline - time.time()))
    return c.take(n, lines[0]), hdrs


def http_head(c, timeout=10):
    """Reads a response head only (a download nobody reads to its end): returns its msg."""
    c.wait_for(b'\r\n\r\n', timeout)
    head = c.buf.split(b'\r\n\r\n', 1)[0]
    return c.take(len(head) + 4, head.split(b'\r\n')[0].decode('latin-1'))


# -- PostgreSQL ------------------------------------------------------------------------------

PG_ERR_FIELDS = {'S': 'severity', 'V': 'severity', 'C': 'code', 'M': 'message'}
PG_NAMES = {b'R': 'Authentication', b'S': 'ParameterStatus', b'K': 'BackendKeyData',
            b'Z': 'ReadyForQuery', b'T': 'RowDescription', b'D': 'DataRow',
            b'C': 'CommandComplete', b'E': 'ErrorResponse', b'N': 'NoticeResponse'}


def pg_startup(c, user, database):
    body = struct.pack('!I', 196608)
    for k, v in (('user', user), ('database', database), ('application_name', 'lab')):
        body += k.encode() + b'\0' + v.encode() + b'\0'
    body += b'\0'
    return c.send(struct.pack('!I', len(body) + 4) + body,
                  f'StartupMessage user={user} database={database}')


def pg_read(c, timeout=10):
    """One backend message: returns (msg, type byte, payload)."""
    head = c.need(5, timeout)
    t, n = head[:1], struct.unpack('!I', head[1:5])[0]
    data = c.need(1 + n, timeout)
    payload = data[5:]
    text = PG_NAMES.get(t, t.decode())
    if t in (b'E', b'N'):
        f = {}
        for part in payload.split(b'\0'):
            if part:
                f.setdefault(chr(part[0]), part[1:].decode())
        text = f"{f.get('S', '')} {f.get('C', '')} {f.get('M', '')}"
    elif t == b'C':
        text = f'CommandComplete "{payload.rstrip(bytes(1)).decode()}"'
    elif t == b'R':
        text = f'Authentication {struct.unpack("!I", payload[:4])[0]}'
    elif t == b'Z':
        text = f'ReadyForQuery {payload.decode()}'
    m = c.take(1 + n, text)
    m.payload = payload
    return m, t, payload


def pg_login(c, user, password, database='postgres'):
    """Startup and md5 password; returns (startup msg, first auth answer msg, messages)."""
    pg_startup(c, user, database)
    m, t, payload = pg_read(c)
    out = [m]
    if t == b'R' and struct.unpack('!I', payload[:4])[0] == 5:  # md5
        salt = payload[4:8]
        inner = hashlib.md5((password + user).encode()).hexdigest()
        digest = 'md5' + hashlib.md5(inner.encode() + salt).hexdigest()
        c.send(b'p' + struct.pack('!I', len(digest) + 5) + digest.encode() + b'\0',
               'PasswordMessage (md5)')
        while True:
            m, t, _ = pg_read(c)
            out.append(m)
            if t in (b'Z', b'E'):
                break
    return out


def pg_query(c, sql):
    """Simple query; returns (query msg, first answer msg, all answer msgs, last type)."""
    q = c.send(b'Q' + struct.pack('!I', len(sql) + 5) + sql.encode() + b'\0', f'Query "{sql}"')
    msgs = []
    while True:
        m, t, payload = pg_read(c)
        msgs.append(m)
        if t in (b'Z',):
            break
    return q, msgs


def pg_terminate(c, close=False):
    """Terminate; with close, the socket is closed at once (as libpq does), the message corked
    so that it leaves with the FIN: otherwise the server's FIN may beat the client's close()."""
    if close:
        c.s.setsockopt(socket.IPPROTO_TCP, socket.TCP_CORK, 1)
    m = c.send(b'X\0\0\0\4', 'Terminate')
    if close:
        c.s.close()
    return m


# -- MySQL / MariaDB -------------------------------------------------------------------------

def my_read(c, timeout=10):
    """One packet: returns (payload, seq, offset of its first byte)."""
    head = c.need(4, timeout)
    n = head[0] | head[1] << 8 | head[2] << 16
    data = c.need(4 + n, timeout)
    return data[4:], head[3], data


def my_packet(seq, payload):
    n = len(payload)
    return bytes((n & 0xff, n >> 8 & 0xff, n >> 16, seq)) + payload


def my_text(payload, greeting=False):
    if payload[:1] == b'\xff':
        code = struct.unpack('<H', payload[1:3])[0]
        rest = payload[3:]
        state = ''
        if rest[:1] == b'#':
            state, rest = f' ({rest[1:6].decode()})', rest[6:]
        return f'ERR {code}{state} {rest.decode(errors="replace")}'
    if payload[:1] == b'\x00' and not greeting:
        return 'OK'
    if greeting and payload[:1] == b'\x0a':
        return f'Greeting {payload[1:].split(bytes(1))[0].decode()}'
    if payload[:1] == b'\xfe':
        return 'EOF'
    return f'ResultSet ({payload[0]} column{"s" if payload[0] != 1 else ""})'


def my_take(c, greeting=False):
    payload, seq, _ = my_read(c)
    return c.take(4 + len(payload), my_text(payload, greeting)), payload, seq


def my_login(c, user, password, database=None):
    """Reads the greeting (or an error in its place) and logs in with mysql_native_password.
    Returns (list of msgs, last payload)."""
    m, payload, seq = my_take(c, greeting=True)
    msgs = [m]
    if payload[:1] == b'\xff':
        return msgs, payload
    p = payload[1:]
    p = p[p.index(b'\0') + 1:]
    salt1 = p[4:12]
    rest = p[13 + 2 + 1 + 2 + 2 + 1 + 10:]
    salt2 = rest[:12]
    salt = salt1 + salt2
    h1 = hashlib.sha1(password.encode()).digest()
    h2 = hashlib.sha1(h1).digest()
    token = bytes(a ^ b for a, b in zip(h1, hashlib.sha1(salt + h2).digest()))
    caps = 0x0001 | 0x0200 | 0x8000 | 0x80000 | (0x0008 if database else 0)
    body = struct.pack('<IIB23x', caps, 1 << 24, 33) + user.encode() + b'\0'
    body += bytes((len(token),)) + token
    if database:
        body += database.encode() + b'\0'
    body += b'mysql_native_password\0'
    msgs.append(c.send(my_packet(seq + 1, body), f'Login user={user}'))
    m, payload, _ = my_take(c)
    msgs.append(m)
    return msgs, payload


def my_query(c, sql):
    q = c.send(my_packet(0, b'\x03' + sql.encode()), f'COM_QUERY "{sql}"')
    first, payload, _ = my_take(c)
    if payload[:1] not in (b'\x00', b'\xff'):  # a result set: read to its final EOF/OK
        eofs = 0
        while eofs < 2:
            p, _, _ = my_read(c)
            c.take(4 + len(p), my_text(p))
            eofs += p[:1] == b'\xfe' and len(p) < 9
    return q, first


# -- Redis -----------------------------------------------------------------------------------

def redis_cmd(c, *args):
    data = f'*{len(args)}\r\n'.encode() + b''.join(
        f'${len(a)}\r\n{a}\r\n'.encode() for a in args)
    return c.send(data, ' '.join(args))


def redis_read(c, timeout=10):
    """One simple reply (+, -, :) or bulk string: returns the msg."""
    deadline = time.time() + timeout
    c.wait_for(b'\r\n', timeout)
    line = c.buf.split(b'\r\n', 1)[0]
    n = len(line) + 2
    if line[:1] == b'$' and int(line[1:]) >= 0:
        n += int(line[1:]) + 2
        c.need(n, max(0.05, deadline - time.time()))
    return c.take(n, line.decode())


# -- TLS -------------------------------------------------------------------------------------

class TlsConn(Conn):
    """TLS over a Conn: ssl.SSLObject on memory BIOs, so every record on the wire goes through
    this object and its offset is known. Records are parsed from the bytes (content type 21 =
    alert, 22 = handshake, 23 = application data)."""

    def __init__(self, sock, ctx, sni):
        super().__init__(sock)
        self.inc, self.outg = ssl.MemoryBIO(), ssl.MemoryBIO()
        self.obj = ctx.wrap_bio(self.inc, self.outg, server_hostname=sni)
        self.rec_buf = b''  # raw received bytes not yet split into records

    def flush(self, text=None):
        """Sends what the TLS object wrote; one Msg a record, the first named by text."""
        data = self.outg.read()
        off = 0
        while off < len(data):
            n = struct.unpack('!H', data[off + 3:off + 5])[0]
            rec = data[off:off + 5 + n]
            self.msgs.append(Msg('client', self.sent + off, rec, text if text and off == 0
                                 else record_text(rec)))
            off += 5 + n
        if data:
            self.s.sendall(data)
            self.sent += len(data)
        return bool(data)

    def pump(self, timeout=10):
        """Reads from the socket into the BIO, recording each complete record received."""
        r = self.fill(timeout)
        if self.buf:
            self.inc.write(self.buf)
            self.rec_buf += self.buf
            self.buf = b''
            while len(self.rec_buf) >= 5:
                n = struct.unpack('!H', self.rec_buf[3:5])[0]
                if len(self.rec_buf) < 5 + n:
                    break
                rec = self.rec_buf[:5 + n]
                self.msgs.append(Msg('server', self.buf_at, rec, record_text(rec)))
                self.buf_at += 5 + n
                self.rec_buf = self.rec_buf[5 + n:]
        elif not r.endswith('bytes'):
            self.inc.write_eof()
        return r

    def do(self, fn, text=None, timeout=10):
        """Runs an SSLObject call until it no longer wants to read; returns (result, outcome):
        outcome 'ok' or the name of the ssl exception / socket error that ended it."""
        deadline = time.time() + timeout
        while True:
            try:
                res = fn()
                self.flush(text)
                return res, 'ok'
            except ssl.SSLWantReadError:
                if self.flush(text):
                    text = None
                r = self.pump(max(0.05, deadline - time.time()))
                if not r.endswith('bytes') and r != 'EOF':
                    return None, r
            except ssl.SSLError as e:
                self.flush(text)
                return None, f'{type(e).__name__} {e.reason}'

    def read_http(self):
        """Reads one HTTP response through TLS; returns its head's first line."""
        got = b''
        while b'\r\n\r\n' not in got:
            data, r = self.do(lambda: self.obj.read(65536))
            if not data:
                raise EOFError(r)
            got += data
        head = got.split(b'\r\n\r\n', 1)[0].decode('latin-1').split('\r\n')
        hdrs = {k.strip().lower(): v.strip() for k, _, v in (l.partition(':') for l in head[1:])}
        body = len(got) - len(got.split(b'\r\n\r\n', 1)[0]) - 4
        while body < int(hdrs.get('content-length', 0)):
            data, r = self.do(lambda: self.obj.read(65536))
            if not data:
                raise EOFError(r)
            body += len(data)
        return head[0]


def record_text(rec):
    t = rec[0]
    if t == 21:
        if len(rec) == 7:
            level = {1: 'warning', 2: 'fatal'}.get(rec[5], str(rec[5]))
            return f'Alert {level} {ALERTS.get(rec[6], rec[6])}'
        return 'Encrypted Alert'
    if t == 22:
        return {1: 'ClientHello', 2: 'ServerHello'}.get(rec[5], 'Handshake')
    if t == 20:
        return 'ChangeCipherSpec'
    if t == 23:
        return 'Application Data'
    return f'record {t}'


ALERTS = {0: 'close_notify', 40: 'handshake_failure', 70: 'protocol_version',
          71: 'insufficient_security', 80: 'internal_error', 112: 'unrecognized_name',
          120: 'no_application_protocol', 47: 'illegal_parameter', 42: 'bad_certificate',
          48: 'unknown_ca', 86: 'inappropriate_fallback'}


