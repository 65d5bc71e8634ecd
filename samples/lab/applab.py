"""The application lab's topology: real servers behind a router, optionally a backend and an
extra hop, in namespaces of their own (tl-*), so it never collides with the kernel lab (ta-*).

    client (tl-c) c0 ---- r0 router (tl-r) r1 ---- s0 server / proxy (tl-s)
      198.18.0.2, .0.3/24   .0.1 | .1.1          198.18.1.2/24
                                 | r2 ---[tl-d delay]--- b0 backend (tl-b) 198.18.2.2/24
    with hop=True:  router r1 198.18.3.1 ---- x0 198.18.3.2 (tl-x) x1 198.18.1.1 ---- s0

IPv6 rides along (2001:db8::2, 2001:db8:1::2, 2001:db8:2::2). The client and server hosts get
the kernel lab's short TCP timers (netlab.HOST_SYSCTLS) except the keep-alive ones: PostgreSQL
and MariaDB turn SO_KEEPALIVE on by themselves, and probes every 2 s would blur their own idle
timers. Every process started here runs under `timeout`, and down() deletes the namespaces by
name whatever happened.
"""
import os
import shutil
import socket
import subprocess
import time

from netlab import (HERE, HOST_SYSCTLS, _ethtool_off, netns, new_netns, outcome, run,
                    stop_proc, sysctl)

NS_C, NS_R, NS_S, NS_B, NS_X, NS_D = 'tl-c', 'tl-r', 'tl-s', 'tl-b', 'tl-x', 'tl-d'
ALL_NS = (NS_C, NS_R, NS_S, NS_B, NS_X, NS_D)
C4, C4B, S4, B4 = '198.18.0.2', '198.18.0.3', '198.18.1.2', '198.18.2.2'
C6, S6, B6 = '2001:db8::2', '2001:db8:1::2', '2001:db8:2::2'
APP_HOST_SYSCTLS = {k: v for k, v in HOST_SYSCTLS.items() if 'keepalive' not in k}


class AppLab:
    """One fresh topology; a context manager, so namespaces and processes always go away."""

    def __init__(self, backend=False, backend_delay=None, hop=False, seconds=180):
        self.backend, self.backend_delay, self.hop = backend, backend_delay, hop
        self.seconds = seconds  # every process started here dies after this long at most
        self.procs = []
        self.dirs = []  # temporary directories of the servers, deleted by down()

    def __enter__(self):
        self.up()
        return self

    def __exit__(self, *exc):
        self.down()

    def _link(self, a, ns_a, b, ns_b):
        run(['ip', 'link', 'add', a, 'netns', ns_a, 'type', 'veth', 'peer', b, 'netns', ns_b])

    def _addr(self, ns, ifc, *addrs):
        for a in addrs:
            run(['ip', 'addr', 'add', a, 'dev', ifc, 'nodad'], ns=ns)
        run(['ip', 'link', 'set', ifc, 'up'], ns=ns)
        _ethtool_off(ns, ifc)

    def up(self):
        self.down()
        names = [NS_C, NS_R, NS_S] + ([NS_B] if self.backend else []) + \
                ([NS_D] if self.backend_delay else []) + ([NS_X] if self.hop else [])
        for ns in names:
            new_netns(ns)
        for ns in (NS_C, NS_S) + ((NS_B,) if self.backend else ()):
            sysctl(ns, **APP_HOST_SYSCTLS)
        for ns in (NS_R,) + ((NS_X,) if self.hop else ()):
            sysctl(ns, net__ipv4__ip_forward=1, net__ipv6__conf__all__forwarding=1)
        self._link('c0', NS_C, 'r0', NS_R)
        self._addr(NS_C, 'c0', C4 + '/24', C4B + '/24', C6 + '/64')
        self._addr(NS_R, 'r0', '198.18.0.1/24', '2001:db8::1/64')
        if self.hop:
            self._link('r1', NS_R, 'x0', NS_X)
            self._addr(NS_R, 'r1', '198.18.3.1/24', '2001:db8:3::1/64')
            self._addr(NS_X, 'x0', '198.18.3.2/24', '2001:db8:3::2/64')
            self._link('x1', NS_X, 's0', NS_S)
            self._addr(NS_X, 'x1', '198.18.1.1/24', '2001:db8:1::1/64')
            run(['ip', 'route', 'add', '198.18.1.0/24', 'via', '198.18.3.2'], ns=NS_R)
            run(['ip', '-6', 'route', 'add', '2001:db8:1::/64', 'via', '2001:db8:3::2'], ns=NS_R)
            run(['ip', 'route', 'add', 'default', 'via', '198.18.3.1'], ns=NS_X)
            run(['ip', '-6', 'route', 'add', 'default', 'via', '2001:db8:3::1'], ns=NS_X)
        else:
            self._link('r1', NS_R, 's0', NS_S)
            self._addr(NS_R, 'r1', '198.18.1.1/24', '2001:db8:1::1/64')
        self._addr(NS_S, 's0', S4 + '/24', S6 + '/64')
        if self.backend:
            if self.backend_delay:
                self._link('r2', NS_R, 'd0', NS_D)
                self._link('d1', NS_D, 'b0', NS_B)
                sysctl(NS_D, net__ipv6__conf__all__disable_ipv6=1)
                for i in ('d0', 'd1'):
                    run(['ip', 'link', 'set', i, 'promisc', 'on', 'up'], ns=NS_D)
                    _ethtool_off(NS_D, i)
            else:
                self._link('r2', NS_R, 'b0', NS_B)
            self._addr(NS_R, 'r2', '198.18.2.1/24', '2001:db8:2::1/64')
            self._addr(NS_B, 'b0', B4 + '/24', B6 + '/64')
        for ns, gw4, gw6 in ((NS_C, '198.18.0.1', '2001:db8::1'),
                             (NS_S, '198.18.1.1', '2001:db8:1::1'),
                             (NS_B, '198.18.2.1', '2001:db8:2::1')):
            if ns != NS_B or self.backend:
                run(['ip', 'route', 'add', 'default', 'via', gw4], ns=ns)
                run(['ip', '-6', 'route', 'add', 'default', 'via', gw6], ns=ns)
        if self.backend_delay:
            self.spawn(NS_D, ['python3', os.path.join(HERE, 'delaybridge.py'), 'd0', 'd1',
                              '--delay', str(self.backend_delay), '--seconds', str(self.seconds)])
        time.sleep(1.0)  # the IPv6 link-up chatter (MLD reports) passes before any capture

    def spawn(self, ns, cmd, user=None, stdout=None, env=None):
        """Starts cmd in namespace ns (as user), under `timeout`; returns the Popen."""
        full = ['ip', 'netns', 'exec', ns]
        if user:
            full += ['runuser', '-u', user, '--']
        full += ['timeout', '-k', '5', str(self.seconds)] + cmd
        out = open(stdout, 'w') if stdout else subprocess.PIPE
        # stdin stays an open pipe: openssl s_server ends its sessions when its stdin ends
        p = subprocess.Popen(full, stdin=subprocess.PIPE, stdout=out,
                             stderr=subprocess.STDOUT if stdout else subprocess.PIPE, text=True,
                             env=env)
        if stdout:
            out.close()  # the child has its own copy
        self.procs.append(p)
        return p

    @staticmethod
    def stop(p):
        stop_proc(p, 10)

    def down(self):
        for p in reversed(self.procs):
            self.stop(p)
        self.procs = []
        for d in self.dirs:
            shutil.rmtree(d, ignore_errors=True)
        self.dirs = []
        present = run(['ip', 'netns', 'list'])
        for ns in ALL_NS:
            if any(line.split()[0] == ns for line in present.splitlines() if line.strip()):
                for pid in run(['ip', 'netns', 'pids', ns], check=False).split():
                    run(['kill', pid], check=False)
                run(['ip', 'netns', 'del', ns], check=False)

    # -- sockets ---------------------------------------------------------------------------
    @staticmethod
    def connect(addr, port, ns=NS_C, source=None, timeout=20, rcvbuf=None):
        """A client socket connected from namespace ns; returns (socket, outcome)."""
        with netns(ns):
            s = socket.socket(socket.AF_INET6 if ':' in addr else socket.AF_INET,
                              socket.SOCK_STREAM)
        if rcvbuf:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        if source:
            s.bind((source, 0))
        s.settimeout(timeout)
        return s, outcome(lambda: s.connect((addr, port)))


def wait_port(ns, addr, port, seconds=30):
    """Waits until something accepts on addr:port, probing from ns itself (over lo, so no probe
    shows up in a capture on the lab's veths)."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        with netns(ns):
            s = socket.socket(socket.AF_INET6 if ':' in addr else socket.AF_INET)
        s.settimeout(1)
        try:
            s.connect((addr, port))
            s.close()
            return True
        except OSError:
            s.close()
            time.sleep(0.2)
    raise RuntimeError(f'nothing listens on {addr}:{port} in {ns} after {seconds} s')
