#!/usr/bin/env bash
# The benchmark: builds tcpautopsy, generates the synthetic captures when missing, then times
# tcpautopsy and its peers on the same files in the same run, and checks tcpautopsy's verdicts
# against the generator's ground truth. Prints a Markdown table and saves it under bench/results/.
#
#   bench/run.sh [--repeats N] [--slow-repeats N] [--big] [--only LIST] [--files LIST] [--no-build]
#
#   --repeats N       runs per fast tool; the median is reported (default 3). The tools run in rounds,
#                     each once a round, so that the machine's spells fall on all of them alike
#   --slow-repeats N  runs per slow tool (tshark) (default 1)
#   --big             also the 10 GiB capture: tcpautopsy and cat only, to show memory stays flat
#   --only LIST       comma list of tools: cat,dd,zcat,tcpautopsy,tcpautopsy-html,tshark-conv,tshark-fields,
#                     tcptrace,argus,suricata (default: all installed)
#   --files LIST      comma list of: bulk,churn,lossy,bulkgz (default: bulk,churn,lossy; lossy is 1 GiB with
#                     4,000 connections open at once and 1 % of data segments lost or reordered; bulkgz is
#                     bulk-1g compressed with gzip -1, as rotated captures often are; zcat (gzip -dc) gives the scale)
#   --no-build        use target/tcpautopsy-*/ as it is
#
# Installs nothing. The peers come from Debian: apt-get install tshark tcptrace argus-client argus-server time
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DATA=$ROOT/bench/data
RESULTS=$ROOT/bench/results
REPEATS=3
SLOW_REPEATS=1
BIG=0
ONLY=""
FILES="bulk,churn,lossy"
BUILD=1
while (($#)); do
  case $1 in
    --repeats) REPEATS=$2; shift 2 ;;
    --slow-repeats) SLOW_REPEATS=$2; shift 2 ;;
    --big) BIG=1; shift ;;
    --only) ONLY=$2; shift 2 ;;
    --files) FILES=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "bench/run.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done
[[ -x /usr/bin/time ]] || { echo "bench/run.sh: needs GNU time: apt-get install time" >&2; exit 2; }
command -v python3 >/dev/null || { echo "bench/run.sh: needs python3 (for the verdict check)" >&2; exit 2; }
mkdir -p "$DATA" "$RESULTS"
WORK=$(mktemp -d /tmp/tcpautopsy-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

source "$ROOT/bench/jar.sh"
prepare_jar "$BUILD"
JAVA=("$TCPAUTOPSY")

# --- the captures (deterministic: same bytes on every machine)
declare -A GEN=(
  [bulk]="--size 1GiB"
  [churn]="--profile churn --size 256MiB"
  [lossy]="--concurrency 4000 --loss 0.01 --reorder 0.01 --size 1GiB"
  [big]="--size 10GiB"
)
declare -A FILE=([bulk]=$DATA/bulk-1g.pcap [churn]=$DATA/churn-256m.pcap [lossy]=$DATA/lossy-1g.pcap
  [big]=$DATA/bulk-10g.pcap [bulkgz]=$DATA/bulk-1g.pcap.gz)
generate() {
  local name=$1 f=${FILE[$1]}
  if [[ $name == bulkgz ]]; then
    generate bulk
    if [[ ! -s $f || ! -s $f.truth-summary.tsv ]]; then
      echo "compressing ${FILE[bulk]} ..." >&2
      gzip -1 -c "${FILE[bulk]}" > "$f.tmp" && mv "$f.tmp" "$f"
      cp "${FILE[bulk]}.truth-summary.tsv" "$f.truth-summary.tsv"
    fi
    return
  fi
  if [[ ! -s $f || ! -s $f.truth-summary.tsv ]]; then
    echo "generating $f ..." >&2
    # shellcheck disable=SC2086
    "${JAVA[@]}" generate ${GEN[$name]} --seed 1 --flow-truth none "$f" >&2
  fi
}
IFS=, read -r -a FILE_LIST <<<"$FILES"
((BIG)) && FILE_LIST+=(big)
for n in "${FILE_LIST[@]}"; do generate "$n"; done

# --- the tools: name, "slow" or "fast", command (F is the capture, O a fresh output directory)
have() { command -v "$1" >/dev/null; }
wanted() { [[ -z $ONLY || ,$ONLY, == *,$1,* ]]; }
TOOLS=()
add() { wanted "$1" && TOOLS+=("$1|$2|$3"); return 0; }
add cat fast 'cat "$F" > /dev/null'
# GNU cat may hand the copy to the kernel without reading into user space: dd really reads
add dd fast 'dd if="$F" of=/dev/null bs=1M status=none'
add zcat fast 'gzip -dc "$F" > /dev/null'
add tcpautopsy fast '"$TCPAUTOPSY" analyze --format json,csv -o "$O" "$F" > /dev/null'
add tcpautopsy-html fast '"$TCPAUTOPSY" analyze --format html,json,csv -o "$O" "$F" > /dev/null'
have tshark && add tshark-conv slow 'tshark -n -r "$F" -q -z conv,tcp > /dev/null 2>&1'
have tshark && add tshark-fields slow 'tshark -n -r "$F" -T fields -e tcp.stream > /dev/null 2>&1'
# tcptrace is the faster peer on bulk and lossy traffic: as many runs as tcpautopsy
have tcptrace && add tcptrace fast 'tcptrace -n "$F" > /dev/null 2>&1'
# argus does not read gzip: it is given the decompressed stream
have argus && have ra && add argus fast 'case $F in *.gz) gzip -dc "$F" | argus -r - -w - ;; *) argus -r "$F" -w - ;; esac 2>/dev/null | ra -n -r - > /dev/null 2>&1'
have suricata && add suricata fast 'suricata -r "$F" -l "$O" -k none --runmode single > /dev/null 2>&1'
for t in tshark tcptrace argus suricata; do
  have "$t" || echo "note: $t is not installed: skipped" >&2
done

# one run: prints "wall user sys maxrss_kib"
measure() {
  local cmd=$1 F=$2 O
  O=$(mktemp -d "$WORK/out.XXXXXX")
  export F O TCPAUTOPSY
  sync
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time" bash -c "$cmd" || echo "warning: failed: $cmd" >&2
  cat "$WORK/time" | tail -1
  if [[ -f $O/report.json ]]; then cp "$O/report.json" "$WORK/last-report.json"; fi
  rm -rf "$O"
}
median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# checks report.json's verdict counts against the generator's truth summary
check_truth() {
  python3 - "$1" "$2" <<'PY'
import json, sys, collections
report, summary = sys.argv[1], sys.argv[2]
truth = collections.Counter()
for line in open(summary):
    if line.startswith('#') or line.startswith('class\t'):
        continue
    c, by, n = line.rstrip('\n').split('\t')
    truth[(c, by)] += int(n)
got = collections.Counter()
for cap in json.load(open(report))['captures']:
    for f in cap.get('flows', []):
        t = f.get('termination', {})
        got[(t.get('class'), t.get('by'))] += 1
bad = sorted(k for k in set(truth) | set(got) if truth[k] != got[k])
if not bad:
    print("verdicts match the ground truth: %d flows" % sum(truth.values()))
else:
    print("VERDICTS DIFFER from the ground truth (%d flows in truth, %d in report):" % (sum(truth.values()), sum(got.values())))
    for k in bad:
        print("  %-18s %-9s truth %7d  report %7d" % (k[0], k[1], truth[k], got[k]))
    sys.exit(1)
PY
}

STAMP=$(date -u +%Y%m%d-%H%M%S)
OUT=$RESULTS/$STAMP.md
{
  echo "# tcpautopsy benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo
  echo "Machine: $(nproc) cores, $(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | sed 's/^ *//'),"\
       "$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM; $(java -version 2>&1 | head -1)."
  echo "Load average at start: $(cut -d' ' -f1-3 /proc/loadavg). Page cache warm (each file is read once first)."
  echo "Command: \`bench/run.sh --repeats $REPEATS --slow-repeats $SLOW_REPEATS$( ((BIG)) && echo ' --big')$(
       [[ $FILES != bulk,churn,lossy ]] && echo " --files $FILES")$([[ -n $ONLY ]] && echo " --only $ONLY")\`;"\
       "tools in rounds (each once a round), median of the runs; CPU = user + sys; RSS = peak resident set."
} > "$OUT"

STATUS=0
for n in "${FILE_LIST[@]}"; do
  f=${FILE[$n]}
  case $n in
    big) only_tools="cat dd tcpautopsy" ;;
    bulkgz) only_tools="zcat tcpautopsy tcpautopsy-html tshark-conv tcptrace argus" ;;
    *) only_tools="" ;;
  esac
  bytes=$(stat -L -c %s "$f")
  packets=$(sed -n 's/^# packets: \([0-9]*\).*/\1/p' "$f.truth-summary.tsv")
  flows=$(sed -n 's/.*flows: \([0-9]*\).*/\1/p' "$f.truth-summary.tsv")
  avg=$(sed -n 's/.*average frame: \([0-9.]*\).*/\1/p' "$f.truth-summary.tsv")
  cat "$f" > /dev/null
  {
    echo
    echo "## $(basename "$f"): $(awk -v b="$bytes" 'BEGIN {printf "%.2f GiB", b/1073741824}'), $packets packets,"\
         "$flows connections, average frame $avg bytes"
    echo
    echo "| tool | wall s | CPU s | peak RSS MiB | packets/s | MB/s | time / tcpautopsy |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
  } >> "$OUT"
  ours=""
  declare -A ROW=()
  ORDER=()
  RUNS=()
  CMDS=()
  for spec in "${TOOLS[@]}"; do
    IFS='|' read -r name speed cmd <<<"$spec"
    [[ -n $only_tools && " $only_tools " != *" $name "* ]] && continue
    # gzip's own decompression is the scale of a compressed capture only
    [[ $name == zcat && $f != *.gz ]] && continue
    runs=$REPEATS; [[ $speed == slow ]] && runs=$SLOW_REPEATS
    ORDER+=("$name")
    RUNS+=("$runs")
    CMDS+=("$cmd")
    : > "$WORK/runs-$name"
  done
  # in rounds, each tool once a round while it has runs left: a slow or quick spell of this shared
  # machine then falls on tcpautopsy and its peers alike, not on whichever tool ran during it
  rounds=0
  for runs in "${RUNS[@]}"; do ((runs > rounds)) && rounds=$runs; done
  for ((i = 0; i < rounds; i++)); do
    for k in "${!ORDER[@]}"; do
      ((i < RUNS[k])) || continue
      name=${ORDER[k]}
      echo "  $(basename "$f"): $name run $((i + 1))/${RUNS[k]}" >&2
      rm -f "$WORK/last-report.json"
      measure "${CMDS[k]}" "$f" >> "$WORK/runs-$name"
      if [[ $name == tcpautopsy && -f $WORK/last-report.json ]]; then
        mv "$WORK/last-report.json" "$WORK/ours-report.json"
      fi
    done
  done
  for name in "${ORDER[@]}"; do
    wall=$(awk '{print $1}' "$WORK/runs-$name" | median)
    cpu=$(awk '{print $2 + $3}' "$WORK/runs-$name" | median)
    rss=$(awk '{print $4}' "$WORK/runs-$name" | sort -g | tail -1)
    [[ $name == tcpautopsy ]] && ours=$wall
    ROW[$name]="$wall $cpu $rss"
  done
  if [[ -f $WORK/ours-report.json ]]; then
    # the last run's report
    check_truth "$WORK/ours-report.json" "$f.truth-summary.tsv" > "$WORK/check" || STATUS=1
    rm -f "$WORK/ours-report.json"
  fi
  for name in "${ORDER[@]}"; do
    read -r wall cpu rss <<<"${ROW[$name]}"
    awk -v n="$name" -v w="$wall" -v c="$cpu" -v r="$rss" -v p="$packets" -v b="$bytes" -v o="$ours" 'BEGIN {
      ratio = (o > 0) ? sprintf("%.1fx", w / o) : "-"
      if (n == "tcpautopsy") ratio = "1.0x"
      printf "| %s | %.2f | %.2f | %.0f | %.2f M | %.0f | %s |\n", n, w, c, r / 1024, p / w / 1e6, b / w / 1e6, ratio
    }' >> "$OUT"
  done
  if [[ -n ${ROW[tcpautopsy]:-} ]]; then
    # what the whole process costs a packet and a connection, and how far ahead of the faster C peer it is
    read -r wall cpu rss <<<"${ROW[tcpautopsy]}"
    peer=""
    for name in argus tcptrace; do
      [[ -n ${ROW[$name]:-} ]] || continue
      read -r pw _ _ <<<"${ROW[$name]}"
      if [[ -z $peer ]] || awk -v a="$pw" -v b="${peer#* }" 'BEGIN {exit !(a < b)}'; then peer="$name $pw"; fi
    done
    awk -v c="$cpu" -v p="$packets" -v n="$flows" -v w="$wall" -v peer="$peer" 'BEGIN {
      printf "\ntcpautopsy CPU (whole process, user + sys): %.0f ns a packet, %.2f µs a connection", c / p * 1e9, c / n * 1e6
      if (peer != "") { split(peer, q, " "); printf "; %.2fx the speed of the faster of argus and tcptrace (%s, %.2f s)", q[2] / w, q[1], q[2] }
      printf ".\n"
    }' >> "$OUT"
  fi
  if [[ -f $WORK/check ]]; then
    { echo; echo "Correctness: $(head -1 "$WORK/check")"; tail -n +2 "$WORK/check" | sed 's/^/    /'; } >> "$OUT"
    rm -f "$WORK/check"
  fi
  unset ROW
done
cat "$OUT"
echo >&2
echo "saved: ${OUT#"$ROOT"/}" >&2
exit $STATUS
