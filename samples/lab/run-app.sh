#!/usr/bin/env bash
# Rebuilds the application captures of samples/app/ with real servers and checks them against
# the wire and against tshark's reading of the application layer (needs root):
#   sudo samples/lab/run-app.sh                            # every scenario
#   sudo samples/lab/run-app.sh nginx-413 tls-goodbyes     # some of them
# Needs the Debian packages nginx haproxy postgresql mariadb-server redis-server openssl
# (apt-get install -y nginx haproxy postgresql mariadb-server redis-server openssl) besides the
# kernel lab's tools. The lab lives in namespaces tl-c, tl-r, tl-s, tl-b, tl-x and tl-d; they
# are deleted on exit, whatever happens.
set -euo pipefail
cd "$(dirname "$0")"
if [ "$(id -u)" != 0 ]; then echo "run-app.sh: needs root (network namespaces, tcpdump)" >&2; exit 2; fi
for tool in ip iptables tcpdump tshark python3 nginx haproxy mariadbd mariadb-install-db \
            redis-server openssl psql runuser timeout; do
  command -v "$tool" >/dev/null || { echo "run-app.sh: $tool is missing" >&2; exit 2; }
done
[ -x /usr/lib/postgresql/15/bin/postgres ] || { echo "run-app.sh: PostgreSQL 15 is missing" >&2; exit 2; }
cleanup() {
  for ns in tl-c tl-r tl-s tl-b tl-x tl-d; do
    ip netns pids "$ns" 2>/dev/null | while read -r pid; do kill "$pid" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
  done
}
trap cleanup EXIT INT TERM
python3 appscenarios.py "$@"
python3 check.py ../app
python3 appcheck.py ../app
python3 inventory.py app > /dev/null
