#!/usr/bin/env bash
# compare.sh DIR [RUNS]: times `tcpautopsy analyze DIR` (the command as installed: the launcher
# bin/tcpautopsy of the distribution the top-level build unpacks in target/, its default formats) and
# `spark/bin/tcpautopsy-archive DIR` (Spark's local mode on every core), alternately, RUNS times each
# (default 3), and prints one line a run: tool, wall s, CPU s (user+sys), peak RSS MiB, and the
# totals line each printed. Both are built first (see spark/README.md). Output goes to a scratch
# directory that is deleted at the end.
set -euo pipefail
dir=$1
runs=${2:-3}
here=$(cd "$(dirname "$0")/../.." && pwd)
shopt -s nullglob
launchers=("$here"/target/tcpautopsy-*/bin/tcpautopsy)
if [[ ${#launchers[@]} -ne 1 || ! -x ${launchers[0]} ]]; then
  echo "compare.sh: expected one launcher $here/target/tcpautopsy-*/bin/tcpautopsy, found ${#launchers[@]};" \
    "build it with: (cd $here && mvn -q package -DskipTests)" >&2
  exit 2
fi
scratch=$(mktemp -d /tmp/tcpautopsy-compare.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
measure() {
  local name=$1; shift
  rm -rf "$scratch/out"
  /usr/bin/time -f '%e %U %S %M' -o "$scratch/time" "$@" >"$scratch/stdout" 2>"$scratch/stderr" || true
  read -r wall user sys rss <"$scratch/time"
  printf '%-8s wall %6.2f s  cpu %6.2f s  rss %5d MiB  %s\n' "$name" "$wall" "$(echo "$user + $sys" | bc)" \
    $((rss / 1024)) "$(head -1 "$scratch/stdout")"
}
for i in $(seq 1 "$runs"); do
  measure cli "${launchers[0]}" analyze "$dir" -o "$scratch/out"
  measure spark "$here/spark/bin/tcpautopsy-archive" "$dir" --out "$scratch/out"
done
