#!/usr/bin/env python3
"""Alternating runs of several commands: median and quartiles of wall and CPU (user + sys) time.

    bench/alternate.py ROUNDS VARIANTS.json

VARIANTS.json: {"name": {"cmd": "shell command", "env": {"VAR": "value"}}, ...}. Each round runs every
variant once, in order, so that a machine whose speed wanders (other work, thermal) affects all alike.
A variant that exits non-zero stops the run."""
import os, subprocess, sys, time, resource, statistics, json
rounds = int(sys.argv[1]); spec = json.load(open(sys.argv[2]))
res = {k: ([], []) for k in spec}
for r in range(rounds):
    for name, v in spec.items():
        env = dict(os.environ); env.update(v.get("env", {}))
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        p = subprocess.run(v["cmd"], shell=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if p.returncode != 0:
            print(name, "failed", p.returncode, p.stderr.decode()[-500:]); sys.exit(1)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        res[name][0].append(wall); res[name][1].append(cpu)
def q(xs):
    s = statistics.quantiles(xs, n=4); return f"{statistics.median(xs):.3f} [{s[0]:.3f}-{s[2]:.3f}]"
print(f"{'variant':28} {'wall s median [IQR]':26} {'CPU s median [IQR]':26}  (n={rounds}, load {os.getloadavg()[0]:.1f})")
for k, (w, c) in res.items():
    print(f"{k:28} {q(w):26} {q(c):26}")
