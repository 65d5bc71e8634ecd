#!/usr/bin/env bash
# Peak memory as the capture grows: the same traffic (bulk profile, seed 1, 256 connections open at
# once) generated at several sizes, each analyzed once by `tcpautopsy analyze --format json,csv`.
# Memory should follow the connections open at once, which is the same at every size, and stop
# growing once the bounded structures (tombstones of closed connections, reported flows kept in
# memory before they go to a temporary file) are full. Prints a Markdown table and saves it under
# bench/results/memory-STAMP.md.
#
# The mix is the bulk profile's without its OPEN_AT_END endings: the generator starts those in the
# last two seconds, as a share of all the flows (4%), so that the benchmark captures end with 1,200
# connections open at 1 GiB and 23,000 at 20 GiB, and memory rightly follows them.
#
#   bench/memory.sh [--sizes LIST] [--no-build]
#
#   --sizes LIST  comma list of sizes in GiB (default 1,3,10,20; 20 GiB needs as much free disk)
#   --no-build    use target/tcpautopsy-*/ as it is
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DATA=$ROOT/bench/data
RESULTS=$ROOT/bench/results
SIZES="1,3,10,20"
STEADY=FIN_CLIENT=29.5,FIN_SERVER=29.5,RST_ABORT_CLIENT=2.5,RST_ABORT_SERVER=2.5,RST_UNREAD_CLIENT=3,RST_UNREAD_SERVER=3
STEADY+=,RST_AFTER_CLOSE_CLIENT=2,RST_AFTER_CLOSE_SERVER=2,REFUSED_SERVER=3,REFUSED_FIREWALL=1,SYN_DROPPED=3
STEADY+=,IDLE_FIN_CLIENT=1.5,IDLE_FIN_SERVER=1.5,IDLE_RST_MIDDLEBOX=1.5,IDLE_DROP=1.5,INJECTED_RST=1.5
STEADY+=,INJECTED_RST_LATE_DATA=1.5,BLACKHOLE=3,ZERO_WINDOW_CLIENT=3
BUILD=1
while (($#)); do
  case $1 in
    --sizes) SIZES=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    *) echo "bench/memory.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done
[[ -x /usr/bin/time ]] || { echo "bench/memory.sh: needs GNU time: apt-get install time" >&2; exit 2; }
mkdir -p "$DATA" "$RESULTS"
WORK=$(mktemp -d /tmp/tcpautopsy-memory.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
source "$ROOT/bench/jar.sh"
prepare_jar "$BUILD"

STAMP=$(date -u +%Y%m%d-%H%M%S)
OUT=$RESULTS/memory-$STAMP.md
{
  echo "# tcpautopsy peak memory by capture size, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo
  echo "Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM;"\
       "$(java -version 2>&1 | head -1). Command: \`bench/memory.sh --sizes $SIZES\`; one run each,"\
       "\`analyze --format json,csv\` through bin/tcpautopsy."
  echo
  echo "| capture | GiB | packets | connections | wall s | packets/s | peak RSS MiB |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
} > "$OUT"

IFS=, read -r -a LIST <<<"$SIZES"
for n in "${LIST[@]}"; do
  f=$DATA/bulk-steady-${n}g.pcap
  if [[ ! -s $f || ! -s $f.truth-summary.tsv ]]; then
    echo "generating $f ..." >&2
    "$TCPAUTOPSY" generate --size "${n}GiB" --seed 1 --endings "$STEADY" --flow-truth none "$f" >&2
  fi
  echo "  $(basename "$f")" >&2
  O=$WORK/out
  rm -rf "$O"
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$TCPAUTOPSY" analyze --format json,csv -o "$O" "$f" > /dev/null
  read -r wall rss < <(tail -1 "$WORK/time")
  packets=$(sed -n 's/^# packets: \([0-9]*\).*/\1/p' "$f.truth-summary.tsv")
  flows=$(sed -n 's/.*flows: \([0-9]*\).*/\1/p' "$f.truth-summary.tsv")
  awk -v f="$(basename "$f")" -v b="$(stat -L -c %s "$f")" -v p="$packets" -v c="$flows" -v w="$wall" -v r="$rss" 'BEGIN {
    printf "| %s | %.2f | %d | %d | %.2f | %.2f M | %.0f |\n", f, b / 1073741824, p, c, w, p / w / 1e6, r / 1024
  }' >> "$OUT"
done
cat "$OUT"
echo >&2
echo "saved: ${OUT#"$ROOT"/}" >&2
