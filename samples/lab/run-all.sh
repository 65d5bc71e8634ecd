#!/usr/bin/env bash
# Rebuilds the kernel-made captures of samples/ and checks them against the wire (needs root):
#   sudo samples/lab/run-all.sh                 # every scenario
#   sudo samples/lab/run-all.sh rst-abort-client keepalive-race   # some of them
# The lab lives in network namespaces ta-c, ta-r, ta-s (and ta-d); they are deleted on exit,
# whatever happens.
set -euo pipefail
cd "$(dirname "$0")"
if [ "$(id -u)" != 0 ]; then echo "run-all.sh: needs root (network namespaces, tcpdump)" >&2; exit 2; fi
for tool in ip iptables ip6tables tcpdump tshark editcap python3; do
  command -v "$tool" >/dev/null || { echo "run-all.sh: $tool is missing" >&2; exit 2; }
done
cleanup() {
  for ns in ta-c ta-r ta-s ta-d; do
    ip netns pids "$ns" 2>/dev/null | while read -r pid; do kill "$pid" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
  done
}
trap cleanup EXIT INT TERM
python3 scenarios.py "$@"
python3 check.py ..
python3 inventory.py > /dev/null
