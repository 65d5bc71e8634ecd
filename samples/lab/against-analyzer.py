#!/usr/bin/env python3
"""Runs the built analyzer on every sample and lists where its verdict differs from the truth.

    mvn -B -q package -DskipTests && python3 samples/lab/against-analyzer.py [target/tcpautopsy.jar]
    python3 samples/lab/against-analyzer.py target/tcpautopsy.jar samples/app   # another folder

Each capture is analyzed alone, with `--idle-threshold` from its truth header when there is one.
A flow agrees when class and `by` are equal and every tag of the truth row is present.
"""
import glob
import ipaddress
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from check import capture_of, read_truth  # noqa: E402


def main():
    jar = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, '..', '..', 'target',
                                                             'tcpautopsy.jar')
    where = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, '..')
    total = bad = 0
    for truth in sorted(glob.glob(os.path.join(where, '*.truth.tsv'))):
        head, rows = read_truth(truth)
        cap = capture_of(truth)
        args = ['java', '-jar', jar, 'analyze', cap, '-f', 'json', '-o', '-']
        if 'idle-threshold' in head:
            args += ['--idle-threshold', head['idle-threshold']]
        out = subprocess.run(args, capture_output=True, text=True)
        try:
            flows = json.loads(out.stdout)['captures'][0]['flows']
        except (ValueError, KeyError, IndexError):
            print(f'{os.path.basename(cap)}: no report ({out.stderr.strip()[:200]})')
            bad += len(rows)
            total += len(rows)
            continue
        used = set()
        for r in rows:
            total += 1
            match = [i for i, f in enumerate(flows) if i not in used
                     and ipaddress.ip_address(f['client']['ip']) == ipaddress.ip_address(r['cip'])
                     and f['client']['port'] == r['cport'] and f['server']['port'] == r['sport']]
            where = f"{os.path.basename(cap)} {r['cip']}:{r['cport']}"
            if not match:
                print(f'{where}: no such flow in the report')
                bad += 1
                continue
            used.add(match[0])
            t = flows[match[0]]['termination']
            tags = t.get('tags', [])
            if t['class'] != r['cls'] or t['by'] != r['by'] or not set(r['tags']) <= set(tags):
                bad += 1
                print(f"{where}: truth {r['cls']}/{r['by']} {r['tags']}, analyzer "
                      f"{t['class']}/{t['by']} {tags}: {t.get('reason', '')}")
    print(f'{total - bad} of {total} labelled flows agree')
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
