#!/usr/bin/env python3
"""bench/threadcpu.py CMD...: runs CMD, reads its threads' CPU time from /proc every 50 ms, and prints the
wall time, the CPU time, and the CPU time of each kind of thread (by name: the kernel keeps 15 characters of
it, so tcpautopsy's tracking threads count as one kind, its report writers as another, the collector's and
compiler's threads likewise; `java` is the main thread), and the largest peak resident set of its
processes. A thread's last reading before the process exits is what counts: up to 50 ms of each may
be missed."""
import subprocess, sys, time, os, collections
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
tick = os.sysconf('SC_CLK_TCK'); last = {}; hwm = {}
t0 = time.time()
def pids(root):
    out=[root]
    try:
        for c in open(f'/proc/{root}/task/{root}/children').read().split(): out += pids(int(c))
    except Exception: pass
    return out
while p.poll() is None:
    for pid in pids(p.pid):
        try:
            for t in os.listdir(f'/proc/{pid}/task'):
                try:
                    s = open(f'/proc/{pid}/task/{t}/stat').read()
                    name = s[s.index('(')+1:s.rindex(')')]
                    f = s[s.rindex(')')+2:].split()
                    last[(pid,t)] = (name, (int(f[11]) + int(f[12])) / tick)
                except Exception: pass
            for l in open(f'/proc/{pid}/status'):
                if l.startswith('VmHWM:'): hwm[pid] = int(l.split()[1])
        except Exception: pass
    time.sleep(0.05)
wall = time.time() - t0
by = collections.Counter()
for (pid,t),(name,cpu) in last.items():
    n = name
    for pre in ('tcpautopsy-trac','tcpautopsy-rend','tcpautopsy-stor','tcpautopsy-form','C1 CompilerThre','C2 CompilerThre','GC Thread'):
        if n.startswith(pre): n = pre
    by[n] += cpu
print(f"wall {wall:.2f}s cpu {sum(by.values()):.2f}s rss {max(hwm.values(), default=0) // 1024}MiB  "
      + "  ".join(f"{k}={v:.2f}" for k,v in by.most_common() if v >= 0.05))
