#!/usr/bin/env bash
# Tracking on several threads: each benchmark capture analyzed as if the machine had 1, 2, 3, 4, 6 and 10
# processors (-XX:ActiveProcessorCount), which gives one thread for everything, judging apart, reading
# apart with one tracking thread, then 2, 4 and 8 tracking threads; report.json and flows.csv of each
# compared with the one-thread run, and the CPU time of each kind of thread. On a machine with fewer
# cores than threads the wall times only show the overhead; the CPU per kind of thread is what predicts
# more cores, and the script prints that prediction for 8 and 16 cores from the run with the most
# tracking threads: the start (a one-connection capture's wall time), plus the longest of reading ahead,
# reading, one tracking thread's share, merging their decisions, each half of judging and encoding, plus the reports' CPU
# (written once the capture is judged: formatted in chunks on every core, or JSON and CSV side by side
# without processors to spare), plus the collector's CPU spread over the cores; and never less than the
# start plus the whole run's CPU spread over the cores. Saves
# bench/results/threads-<UTC time>.md; exits 1 when a report differs.
#
#   bench/threads.sh [--no-build] [--files bulk,churn,lossy] [--processors 1,2,3,4,6,10] [--repeat N]
#
# --repeat N runs each case N times and reports the median of each figure (each run's reports compared):
# single runs on a shared machine wander by a third.
set -euo pipefail
cd "$(dirname "$0")/.."
build=1 files=bulk,churn,lossy procs=1,2,3,4,6,10 repeat=1
while (($#)); do
  case $1 in
    --no-build) build=0 ;;
    --files) files=$2; shift ;;
    --processors) procs=$2; shift ;;
    --repeat) repeat=$2; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
source bench/jar.sh
prepare_jar "$build"
WORK=$(mktemp -d /tmp/tcpautopsy-threads.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
declare -A FILE=([bulk]=bench/data/bulk-1g.pcap [churn]=bench/data/churn-256m.pcap [lossy]=bench/data/lossy-1g.pcap)
trackers() { # processors -> what the analysis of one capture uses
  case $1 in
    1) echo "1 (all on one)" ;;
    2) echo "1 (judging apart)" ;;
    *) local t=$(($1 - 2)); ((t > 16)) && t=16; echo "$t" ;;
  esac
}
out=bench/results/threads-$(date -u +%Y%m%d-%H%M%S).md
start=$(python3 bench/threadcpu.py "$TCPAUTOPSY" analyze --format json,csv --no-progress -o "$WORK/start" \
  samples/fin-orderly-client-first.pcap | sed -n 's/^wall \([0-9.]*\)s.*/\1/p')
rm -rf "$WORK/start"
same_as_first() { # P: whether P's reports equal those of the first processor count's run
  local first=${procs%%,*}
  cmp -s <(sed 's/"generated":"[^"]*"//' "$WORK/$first/report.json") <(sed 's/"generated":"[^"]*"//' "$WORK/$1/report.json") \
    && cmp -s "$WORK/$first/flows.csv" "$WORK/$1/flows.csv"
}
median_line() { # threadcpu.py lines -> one line of the same shape, each figure the median of the runs
  python3 - "$@" <<'PY'
import re, statistics, sys
runs = [{k.strip(): float(v) for k, v in re.findall(r'([\w .#-]+?)=([0-9.]+)', re.sub(
        r'^wall ([0-9.]+)s cpu ([0-9.]+)s rss ([0-9]+)MiB', r'wall=\1  cpu=\2  rss=\3', l))} for l in sys.argv[1:]]
keys = {k for r in runs for k in r}
med = {k: statistics.median(r.get(k, 0.0) for r in runs) for k in keys}
print(f"wall {med.pop('wall'):.2f}s cpu {med.pop('cpu'):.2f}s rss {int(med.pop('rss'))}MiB  "
      + "  ".join(f"{k}={v:.2f}" for k, v in sorted(med.items(), key=lambda kv: -kv[1])))
PY
}
predict() { # track read judge judge2 writers gc formatting start merge cpu ahead encode
  python3 - "$@" <<'PY'
import sys
track, read, judge, judge2, writers, gc, formatting = (float(x or 0) for x in sys.argv[1:8]); start = float(sys.argv[8])
merge, cpu, ahead, encode = (float(x or 0) for x in sys.argv[9:13])
for cores in (8, 16):
    t = min(16, cores - 2)
    stages = {"reading ahead": ahead, "reading": read, "tracking": track / t, "merging": merge, "judging": judge,
              "judging's 2nd half": judge2, "encoding": encode}
    longest = max(stages, key=stages.get)
    # the reports once judged: JSON and CSV side by side, or formatted in chunks on every core
    tail = (writers + formatting) / cores if formatting else writers / 2
    wall = start + stages[longest] + tail + gc / cores
    # every thread's CPU must fit on the cores too
    floor = start + cpu / cores
    how = (f"start {start:.2f} + {longest} {stages[longest]:.2f} + reports {tail:.2f} + collector {gc / cores:.2f}"
           if wall >= floor else f"start {start:.2f} + the run's {cpu:.2f} s of CPU over {cores} cores")
    print(f"- {cores} cores ({t} tracking threads): about {max(wall, floor):.2f} s: {how}")
PY
}
{
  echo "# Tracking threads, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo
  echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB;"\
       "$(java -version 2>&1 | head -1). Load average at start: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Command: \`JAVA_OPTS=-XX:ActiveProcessorCount=P bin/tcpautopsy analyze --format json,csv\` (from P=4 with"\
       "-XX:MaxTenuringThreshold=15, as the launcher on such a machine), $( ((repeat > 1)) && echo "$repeat runs each, medians" || echo "one run each");"\
       "CPU seconds by kind of thread (bench/threadcpu.py). Same: report.json (its time of writing aside) and flows.csv equal to P=1's."
  for f in ${files//,/ }; do
    F=${FILE[$f]}
    [[ -f $F ]] || { echo; echo "$F missing: run bench/run.sh once to generate it"; continue; }
    echo
    echo "## $(basename "$F")"
    echo
    echo "| P | tracking threads | wall s | CPU s | peak RSS MiB | main | read ahead | read | track | merge | judge | judge, 2nd half | encode | writers | formatting | GC | compiler | same |"
    echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    for p in ${procs//,/ }; do
      rm -rf "$WORK/$p"
      # the launcher promotes young survivors at once on fewer than 4 processors only: as on a machine with P
      opts="-XX:ActiveProcessorCount=$p"
      ((p >= 4)) && opts+=" -XX:MaxTenuringThreshold=15"
      lines=()
      for ((r = 0; r < repeat; r++)); do
        rm -rf "$WORK/$p"
        lines+=("$(JAVA_OPTS="$opts" python3 bench/threadcpu.py "$TCPAUTOPSY" analyze --format json,csv \
          --no-progress -o "$WORK/$p" "$F")")
        if ((r < repeat - 1)) && [[ $p != "${procs%%,*}" ]]; then
          same_as_first "$p" || { touch "$WORK/differ"; echo "run $((r + 1)) with P=$p differs from P=${procs%%,*}" >&2; }
        fi
      done
      line=$(median_line "${lines[@]}")
      get() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<"$line"; }
      wall=$(sed -n 's/^wall \([0-9.]*\)s.*/\1/p' <<<"$line"); cpu=$(sed -n 's/.* cpu \([0-9.]*\)s.*/\1/p' <<<"$line")
      rss=$(sed -n 's/.* rss \([0-9]*\)MiB.*/\1/p' <<<"$line")
      same=-
      if [[ $p != "${procs%%,*}" ]]; then
        if same_as_first "$p"; then same=yes; else same=NO; touch "$WORK/differ"; fi
      fi
      echo "| $p | $(trackers "$p") | $wall | $cpu | $rss | $(get java) | $(get tcpautopsy-ahea) | $(get tcpautopsy-read) | $(get tcpautopsy-trac) | $(get tcpautopsy-merg) | $(get tcpautopsy-judg) | $(get tcpautopsy-stor) | $(get tcpautopsy-enco) | $(get tcpautopsy-rend) | $(get tcpautopsy-form) | $(get 'GC Thread') | $(get 'C1 CompilerThre') | $same |"
    done
    last=${procs##*,}
    if ((last >= 4)); then
      echo
      echo "Predicted with every thread on a core of its own (from P=$last, start $start s):"
      echo
      predict "$(get tcpautopsy-trac)" "$(get tcpautopsy-read)" "$(get tcpautopsy-judg)" "$(get tcpautopsy-stor)" \
        "$(get tcpautopsy-rend)" "$(get 'GC Thread')" "$(get tcpautopsy-form)" "$start" "$(get tcpautopsy-merg)" "$cpu" \
        "$(get tcpautopsy-ahea)" "$(get tcpautopsy-enco)"
    fi
    for p in ${procs//,/ }; do [[ $p == "${procs%%,*}" ]] || rm -rf "$WORK/$p"; done
    rm -rf "${WORK:?}/${procs%%,*}"
  done
} | tee "$out"
echo "saved $out" >&2
[[ ! -f $WORK/differ ]]
