"""What the application scenarios share: their registry, the staging context that also writes
`<scenario>.app.tsv`, and small helpers."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from applab import NS_C  # noqa: E402
from clients import Conn  # noqa: E402
from scenarios import Ctx, expect  # noqa: E402

APP_SCENARIOS = {}
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'app')


def scenario(fn):
    APP_SCENARIOS[fn.__name__.replace('_', '-')] = fn
    return fn


class AppCtx(Ctx):
    def write(self, stem, truth, apptruth, ext='pcap'):
        """Writes <stem>.truth.tsv and <stem>.app.tsv (its frames found in <stem>.<ext>)."""
        self.truth(stem, truth)
        apptruth.write(self.path(stem, 'app.tsv'), self.path(stem, ext))


def connect(lab, addr, port, source=None, ns=NS_C, rcvbuf=None):
    s, r = lab.connect(addr, port, ns=ns, source=source, rcvbuf=rcvbuf)
    expect(r == 'ok', f'connect {addr}:{port} -> {r}')
    return Conn(s)


def flow(c):
    """(client, server) address pairs of a Conn."""
    return c.local(), c.remote()

