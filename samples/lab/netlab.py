"""The lab's plumbing: three network namespaces joined by veth, captures, sockets, ground truth.

    client (ta-c) c0 ---- r0 router (ta-r) r1 ---- s0 server (ta-s)
                 198.18.0.2/24   .0.1 | .1.1    198.18.1.2/24
                 2001:db8::2/64  ::1  | 1::1    2001:db8:1::2/64

With Lab(delay=D) a fourth namespace (ta-d) sits between c0 and r0 as a plain layer-2 device
(delaybridge.py) that holds every frame for D seconds in each direction: this kernel has no
sch_netem, and latency is what the keep-alive race and crossing FINs need.

Sockets are created by this one process in whichever namespace they belong to (setns on the
calling thread; a socket stays in the namespace it was created in), so each scenario is a plain
script that drives both ends and writes down what every syscall returned.
"""
import ctypes
import datetime
import errno
import fcntl
import os
import select
import signal
import socket
import struct
import subprocess
import threading
import time

NS_C, NS_R, NS_S, NS_D = 'ta-c', 'ta-r', 'ta-s', 'ta-d'
ALL_NS = (NS_C, NS_R, NS_S, NS_D)
C4, R4C, R4S, S4 = '198.18.0.2', '198.18.0.1', '198.18.1.1', '198.18.1.2'
C6, R6C, R6S, S6 = '2001:db8::2', '2001:db8::1', '2001:db8:1::1', '2001:db8:1::2'
HERE = os.path.dirname(os.path.abspath(__file__))

_libc = ctypes.CDLL(None, use_errno=True)
_CLONE_NEWNET = 0x40000000


def run(cmd, ns=None, check=True, timeout=30):
    """Runs a command (inside namespace ns when given) and returns its stdout."""
    if ns:
        cmd = ['ip', 'netns', 'exec', ns] + cmd
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if check and r.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: {r.stderr.strip()}")
    return r.stdout


def ipt(ns, *rule, v6=False):
    run(['ip6tables' if v6 else 'iptables', '-w'] + list(rule), ns=ns)


def sysctl(ns, **kv):
    args = [f"{k.replace('__', '.')}={v}" for k, v in kv.items()]
    run(['sysctl', '-q', '-w'] + args, ns=ns)


class netns:
    """Context manager: the calling thread enters namespace `name`, and comes back on exit."""

    def __init__(self, name):
        self.name = name

    def __enter__(self):
        self.home = os.open('/proc/thread-self/ns/net', os.O_RDONLY)
        fd = os.open(f'/run/netns/{self.name}', os.O_RDONLY)
        try:
            if _libc.setns(fd, _CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), f'setns {self.name}')
        finally:
            os.close(fd)

    def __exit__(self, *exc):
        try:
            if _libc.setns(self.home, _CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), 'setns back')
        finally:
            os.close(self.home)


def _ethtool_off(ns, ifname):
    """Turns TSO, GSO and GRO off so every captured frame is one wire-sized segment.

    There is no ethtool binary here; this is the SIOCETHTOOL ioctl it would make. Transmit
    checksum offload stays on: captures taken on a host really show unfilled checksums.
    """
    with netns(ns):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        for cmd in (0x1f, 0x24, 0x2c):  # ETHTOOL_STSO, ETHTOOL_SGSO, ETHTOOL_SGRO
            val = ctypes.create_string_buffer(struct.pack('II', cmd, 0))
            ifr = struct.pack('16sP', ifname.encode(), ctypes.addressof(val)).ljust(40, b'\0')
            fcntl.ioctl(s.fileno(), 0x8946, ifr)  # SIOCETHTOOL
    finally:
        s.close()


def new_netns(ns):
    """Creates namespace ns with lo up and no IPv6 DAD or router solicitations (quiet links)."""
    run(['ip', 'netns', 'add', ns])
    run(['ip', 'link', 'set', 'lo', 'up'], ns=ns)
    sysctl(ns, net__ipv6__conf__all__accept_dad=0, net__ipv6__conf__default__accept_dad=0,
           net__ipv6__conf__all__router_solicitations=0,
           net__ipv6__conf__default__router_solicitations=0)


HOST_SYSCTLS = dict(
    net__ipv4__tcp_syn_retries=2,          # connect() gives up after ~3 s
    net__ipv4__tcp_synack_retries=2,
    net__ipv4__tcp_retries2=4,             # data retransmissions give up after ~6 s
    net__ipv4__tcp_orphan_retries=3,
    net__ipv4__tcp_fin_timeout=3,
    net__ipv4__tcp_keepalive_time=2,
    net__ipv4__tcp_keepalive_intvl=1,
    net__ipv4__tcp_keepalive_probes=3,
)


class Lab:
    """One fresh topology; use as a context manager so it is always torn down."""

    def __init__(self, delay=None):
        self.delay = delay
        self.procs = []

    def __enter__(self):
        self.up()
        return self

    def __exit__(self, *exc):
        self.down()

    def up(self):
        self.down()
        names = [NS_C, NS_R, NS_S] + ([NS_D] if self.delay is not None else [])
        for ns in names:
            new_netns(ns)
        for ns in (NS_C, NS_S):
            sysctl(ns, **HOST_SYSCTLS)
        sysctl(NS_R, net__ipv4__ip_forward=1, net__ipv6__conf__all__forwarding=1)
        if self.delay is None:
            run(['ip', 'link', 'add', 'c0', 'netns', NS_C, 'type', 'veth', 'peer', 'r0', 'netns', NS_R])
        else:
            run(['ip', 'link', 'add', 'c0', 'netns', NS_C, 'type', 'veth', 'peer', 'd0', 'netns', NS_D])
            run(['ip', 'link', 'add', 'd1', 'netns', NS_D, 'type', 'veth', 'peer', 'r0', 'netns', NS_R])
            sysctl(NS_D, net__ipv6__conf__all__disable_ipv6=1)
            for i in ('d0', 'd1'):
                run(['ip', 'link', 'set', i, 'promisc', 'on', 'up'], ns=NS_D)
                _ethtool_off(NS_D, i)
        run(['ip', 'link', 'add', 'r1', 'netns', NS_R, 'type', 'veth', 'peer', 's0', 'netns', NS_S])
        for ns, ifc, addrs in ((NS_C, 'c0', (C4 + '/24', C6 + '/64')),
                               (NS_R, 'r0', (R4C + '/24', R6C + '/64')),
                               (NS_R, 'r1', (R4S + '/24', R6S + '/64')),
                               (NS_S, 's0', (S4 + '/24', S6 + '/64'))):
            for a in addrs:
                run(['ip', 'addr', 'add', a, 'dev', ifc, 'nodad'], ns=ns)
            run(['ip', 'link', 'set', ifc, 'up'], ns=ns)
            _ethtool_off(ns, ifc)
        run(['ip', 'route', 'add', 'default', 'via', R4C], ns=NS_C)
        run(['ip', '-6', 'route', 'add', 'default', 'via', R6C], ns=NS_C)
        run(['ip', 'route', 'add', 'default', 'via', R4S], ns=NS_S)
        run(['ip', '-6', 'route', 'add', 'default', 'via', R6S], ns=NS_S)
        if self.delay is not None:
            self.spawn(NS_D, ['python3', os.path.join(HERE, 'delaybridge.py'), 'd0', 'd1',
                              '--delay', str(self.delay), '--seconds', '120'])
        time.sleep(1.0)  # let the IPv6 link-up chatter (MLD reports) pass before any capture

    def spawn(self, ns, cmd):
        p = subprocess.Popen(['ip', 'netns', 'exec', ns] + cmd, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
        self.procs.append(p)
        return p

    def down(self):
        for p in self.procs:
            stop_proc(p)
        self.procs = []
        present = run(['ip', 'netns', 'list'])
        for ns in ALL_NS:
            if any(line.split()[0] == ns for line in present.splitlines() if line.strip()):
                run(['ip', 'netns', 'del', ns], check=False)

    # -- sockets -------------------------------------------------------------------------
    @staticmethod
    def socket(ns, family=socket.AF_INET):
        with netns(ns):
            return socket.socket(family, socket.SOCK_STREAM)

    def listen(self, ns, addr, port, backlog=16, rcvbuf=None):
        s = self.socket(ns, fam(addr))
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if rcvbuf:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        s.bind((addr, port))
        s.listen(backlog)
        s.settimeout(20)
        return s

    def connect(self, addr, port, timeout=20, rcvbuf=None, ns=NS_C):
        """Connects from the client namespace; returns (socket, outcome)."""
        s = self.socket(ns, fam(addr))
        if rcvbuf:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        s.settimeout(timeout)
        return s, outcome(lambda: s.connect((addr, port)))


def stop_proc(p, grace=5):
    """Ends a helper process: SIGTERM, then SIGKILL after `grace` seconds."""
    if p.poll() is None:
        p.terminate()
        try:
            p.wait(grace)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(5)


def fam(addr):
    return socket.AF_INET6 if ':' in addr else socket.AF_INET


def outcome(fn):
    """Runs one socket call and names its result the way the truth notes do."""
    try:
        r = fn()
    except OSError as e:  # Python maps ETIMEDOUT to TimeoutError too: errno tells them apart
        if e.errno is None:
            return 'no answer (app timeout)'
        return errno.errorcode.get(e.errno, str(e.errno))
    if isinstance(r, bytes):
        return 'EOF' if r == b'' else f'{len(r)} bytes'
    if isinstance(r, int):
        return f'{r} bytes'
    return 'ok'


def local(s):
    return s.getsockname()[:2]


def linger0(s):
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))


def unread(s):
    """Bytes waiting in the receive queue (SIOCINQ)."""
    buf = fcntl.ioctl(s.fileno(), 0x541B, struct.pack('i', 0))
    return struct.unpack('i', buf)[0]


def recv_exact(s, n, timeout=10):
    s.settimeout(timeout)
    got = b''
    while len(got) < n:
        chunk = s.recv(n - len(got))
        if not chunk:
            break
        got += chunk
    return got


def tcp_state(s):
    """The kernel's TCP state of a socket, from TCP_INFO."""
    names = ['?', 'ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'FIN_WAIT1', 'FIN_WAIT2', 'TIME_WAIT',
             'CLOSE', 'CLOSE_WAIT', 'LAST_ACK', 'LISTEN', 'CLOSING']
    st = s.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 8)[0]
    return names[st] if st < len(names) else str(st)


class Capture:
    """tcpdump in a namespace, writing to path; stop() ends it and reports drops."""

    def __init__(self, ns, iface, path, snaplen=1600, nano=False, linktype=None,
                 direction=None, bpf=None):
        # --immediate-mode: otherwise packets still in the kernel's TPACKET_V3 block are lost
        # when tcpdump stops; it uses one ring slot per snaplen, so snaplen stays wire-sized.
        cmd = ['ip', 'netns', 'exec', ns, 'tcpdump', '-i', iface, '-U', '-n', '-Z', 'root',
               '--immediate-mode', '-B', '4096', '-s', str(snaplen), '-w', path]
        if nano:
            cmd.append('--time-stamp-precision=nano')
        if linktype:
            cmd += ['-y', linktype]
        if direction:
            cmd += ['-Q', direction]
        if bpf:
            cmd += bpf.split()
        self.path = path
        self.p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.time() + 5
        self.err = b''
        while time.time() < deadline:
            r, _, _ = select.select([self.p.stderr], [], [], 0.1)
            if r:  # raw reads: a buffered readline could hide the second line from select
                self.err += os.read(self.p.stderr.fileno(), 4096)
                if b'listening on' in self.err:
                    break
            if self.p.poll() is not None:
                raise RuntimeError(f'tcpdump failed: {self.err.decode()}')
        else:
            self.p.kill()
            raise RuntimeError('tcpdump did not start')
        time.sleep(0.2)

    def stop(self, linger=0.3):
        time.sleep(linger)
        self.p.send_signal(signal.SIGINT)
        _, err = self.p.communicate(timeout=10)
        self.err += err
        text = self.err.decode()
        if 'dropped by kernel' in text:
            dropped = [l for l in text.splitlines() if 'dropped by kernel' in l][0]
            if not dropped.startswith('0 '):
                raise RuntimeError(f'{self.path}: {dropped}')
        return text


class Truth:
    """Collects the labelled flows of one capture and writes <stem>.truth.tsv."""

    def __init__(self, scenario, point, idle_threshold=None, comments=()):
        self.scenario = scenario
        self.point = point
        self.idle_threshold = idle_threshold
        self.comments = list(comments)
        self.rows = []

    def add(self, client, server, cls, by, notes, tags=()):
        (cip, cport), (sip, sport) = client[:2], server[:2]
        self.rows.append((cip, cport, sip, sport, cls, by, ','.join(tags), notes))

    def comment(self, text):
        self.comments.append(text)

    def write(self, path):
        made = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
        lines = [f'# scenario: {self.scenario}', f'# capture point: {self.point}',
                 f'# kernel: {os.uname().release}   made: {made}']
        if self.idle_threshold:
            lines.append(f'# idle-threshold: {self.idle_threshold}')
        lines += [f'# {c}' for c in self.comments]
        lines.append('\t'.join(('client_ip', 'client_port', 'server_ip', 'server_port', 'class',
                                'by', 'tags', 'notes')))
        for r in self.rows:
            lines.append('\t'.join(str(x) for x in r))
        with open(path, 'w') as f:
            f.write('\n'.join(lines) + '\n')


def in_thread(fn, *args):
    """Runs fn in a daemon thread; .join() then .result holds its return value (or exception)."""
    class T(threading.Thread):
        def run(self):
            try:
                self.result = fn(*args)
            except BaseException as e:  # reported by the scenario, never swallowed silently
                self.result = e
    t = T(daemon=True)
    t.start()
    return t
