# Sourced by run.sh and memory.sh: what they time is the command a user runs, the launcher of the
# unpacked distribution (JVM options for a batch job, the class-data archive that mvn package builds).
#
#   prepare_jar BUILD   builds target/ when BUILD is 1; sets TCPAUTOPSY to the launcher

prepare_jar() {
  local build=$1 root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  if ((build)); then
    echo "building..." >&2
    (cd "$root" && { mvn -B -q -o package -DskipTests 2>/dev/null || mvn -B -q package -DskipTests; })
  fi
  TCPAUTOPSY=$(ls -d "$root"/target/tcpautopsy-*/bin/tcpautopsy 2>/dev/null | head -1)
  [[ -x $TCPAUTOPSY ]] || { echo "no target/tcpautopsy-*/bin/tcpautopsy: build with mvn package" >&2; exit 2; }
}
