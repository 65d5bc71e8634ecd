#!/usr/bin/env python3
"""Writes the table of captures into samples/README.md (between the captures markers).

    python3 samples/lab/inventory.py      # also prints the table
    python3 samples/lab/inventory.py app  # the same for samples/app/ (its own section)

One row a capture: file, format (capinfos), capture point, flows and their classes / by, size,
and the scenario line of its truth file.
"""
import collections
import glob
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check import capture_of, read_truth  # noqa: E402

SAMPLES = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
BEGIN, END = '<!-- captures:begin -->', '<!-- captures:end -->'
APP_BEGIN, APP_END = '<!-- app-captures:begin -->', '<!-- app-captures:end -->'


def capinfo(path):
    out = subprocess.run(['capinfos', '-T', '-r', '-t', '-E', '-c', '-u', path],
                         capture_output=True, text=True).stdout.strip().split('\t')
    return out[1], out[2], int(out[3]), float(out[4] or 0)


def main(sub=None):
    where = os.path.join(SAMPLES, sub) if sub else SAMPLES
    begin, end = (APP_BEGIN, APP_END) if sub else (BEGIN, END)
    rows, total, totals = [], 0, collections.Counter()
    for truth in sorted(glob.glob(os.path.join(where, '*.truth.tsv'))):
        cap = capture_of(truth)
        head, flows = read_truth(truth)
        ftype, encap, npkts, secs = capinfo(cap)
        size = os.path.getsize(cap)
        total += size + os.path.getsize(truth)
        counts = collections.Counter(f"{f['cls']}/{f['by']}" for f in flows)
        totals.update(counts)
        classes = ', '.join(f'{k}' + (f' ×{n}' if n > 1 else '') for k, n in sorted(counts.items()))
        fmt = ftype + ('' if encap == 'ether' else f' ({encap})')
        extra = f"; idle-threshold {head['idle-threshold']}" if 'idle-threshold' in head else ''
        app = truth[:-len('.truth.tsv')] + '.app.tsv'
        if os.path.exists(app):
            total += os.path.getsize(app)
        name = os.path.relpath(cap, SAMPLES)
        rows.append(f"| `{name}` | {fmt} | {head.get('capture point')} | "
                    f"{npkts} / {secs:.1f} s | {len(flows)} | {classes} | "
                    f"{head.get('scenario', '').replace('|', '/')}{extra} |")
    lines = ['| file | format | capture point | packets / seconds | flows | class/by | scenario |',
             '|---|---|---|---|---|---|---|'] + rows
    lines += ['', f'{len(rows)} captures, {sum(totals.values())} labelled flows, '
                  f'{total / 1024:.0f} KiB with their truth files.', '',
              '| class/by | flows |', '|---|---|']
    lines += [f'| {k} | {n} |' for k, n in sorted(totals.items())]
    table = '\n'.join(lines)
    print(table)
    readme = os.path.join(SAMPLES, 'README.md')
    if os.path.exists(readme):
        text = open(readme).read()
        if begin in text and end in text:
            pre, rest = text.split(begin, 1)
            _, post = rest.split(end, 1)
            with open(readme, 'w') as f:
                f.write(f'{pre}{begin}\n{table}\n{end}{post}')


if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else None)
