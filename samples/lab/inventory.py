#!/usr/bin/env python3
"""Writes the table of captures into samples/README.md (between the captures markers).

    python3 samples/lab/inventory.py      # also prints the table

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


def capinfo(path):
    out = subprocess.run(['capinfos', '-T', '-r', '-t', '-E', '-c', '-u', path],
                         capture_output=True, text=True).stdout.strip().split('\t')
    return out[1], out[2], int(out[3]), float(out[4] or 0)


def main():
    rows, total, totals = [], 0, collections.Counter()
    for truth in sorted(glob.glob(os.path.join(SAMPLES, '*.truth.tsv'))):
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
        rows.append(f"| `{os.path.basename(cap)}` | {fmt} | {head.get('capture point')} | "
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
        if BEGIN in text and END in text:
            pre, rest = text.split(BEGIN, 1)
            _, post = rest.split(END, 1)
            with open(readme, 'w') as f:
                f.write(f'{pre}{BEGIN}\n{table}\n{END}{post}')


if __name__ == '__main__':
    main()
