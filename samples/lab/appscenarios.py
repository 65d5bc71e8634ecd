#!/usr/bin/env python3
"""Application scenarios: real servers from Debian packages (nginx, HAProxy, PostgreSQL,
MariaDB, Redis, OpenSSL) in the tl-* namespaces, captured, with the ground truth of every flow
(`<scenario>.truth.tsv`) and what the applications said (`<scenario>.app.tsv`).

    sudo python3 samples/lab/appscenarios.py            # all scenarios into samples/app/
    sudo python3 samples/lab/appscenarios.py --list
    sudo python3 samples/lab/appscenarios.py nginx-keepalive-timeout

The client side is driven by this process (clients.py), which records every message it sent
and received; the servers are black boxes whose own logs (nginx access log, HAProxy log) say
what they did on the legs no script drove. A scenario insists that the servers did what it is
about, otherwise it fails and is retried, and nothing in samples/app/ is replaced.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import appdb  # noqa: E402,F401  (each module registers its scenarios)
import appdevices  # noqa: E402,F401
import appproxy  # noqa: E402,F401
import apptls  # noqa: E402,F401
import appnginx  # noqa: E402,F401
from appcheck import check_app  # noqa: E402
from appcommon import APP_SCENARIOS, OUT, AppCtx  # noqa: E402
from check import check  # noqa: E402
from scenarios import main  # noqa: E402

if __name__ == '__main__':
    sys.exit(main(APP_SCENARIOS, __doc__, OUT, (('.truth.tsv', check), ('.app.tsv', check_app)),
                  AppCtx))
