# Sourced by run.sh and memory.sh: the jar they time, as a user's runs after the first find it.
#
#   prepare_jar JAR BUILD   builds target/tcpautopsy.jar when BUILD is 1, then makes its class archive

prepare_jar() {
  local jar=$1 build=$2 root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  if ((build)); then
    echo "building..." >&2
    (cd "$root" && { mvn -B -q -o package -DskipTests 2>/dev/null || mvn -B -q package -DskipTests; })
  fi
  # the class archive every later run maps is built after the first run after a build, by a detached
  # JVM (README, "Speed and memory"): made here, untimed, and waited for
  java -jar "$jar" analyze -f json -o - "$root/samples/fin-orderly-client-first.pcap" > /dev/null
  local cache=${TCPAUTOPSY_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tcpautopsy}
  for _ in $(seq 600); do compgen -G "$cache/*.building" > /dev/null || break; sleep 0.2; done
}
