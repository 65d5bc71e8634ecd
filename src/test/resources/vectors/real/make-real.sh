#!/usr/bin/env bash
# Rebuilds the real (kernel-made) captures next to this script, used by the differential test.
# Needs root: two network namespaces (tac-a, tac-b) joined by a veth pair (802.1Q is left to the
# hand-made vectors: this kernel has no VLAN devices), addresses only from 198.18.0.0/15 and 2001:db8::/32, a few TCP conversations driven by
# python3, captured by tcpdump. Everything is bounded in time and deleted on exit.
set -euo pipefail
cd "$(dirname "$0")"
for tool in ip tcpdump editcap python3 timeout; do
  command -v "$tool" >/dev/null || { echo "make-real.sh: $tool is missing" >&2; exit 2; }
done
A=tac-a B=tac-b
cleanup() {
  for ns in $A $B; do
    { ip netns pids "$ns" 2>/dev/null || true; } | while read -r pid; do kill "$pid" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
  done
}
trap cleanup EXIT INT TERM
cleanup
ip netns add $A
ip netns add $B
ip link add veth-a netns $A type veth peer name veth-b netns $B
for ns in $A $B; do ip -n $ns link set lo up; done
ip -n $A addr add 198.18.0.1/24 dev veth-a
ip -n $B addr add 198.18.0.2/24 dev veth-b
ip -n $A addr add 2001:db8:0:1::1/64 dev veth-a nodad
ip -n $B addr add 2001:db8:0:1::2/64 dev veth-b nodad
ip -n $A link set veth-a up
ip -n $B link set veth-b up
ip -n $A addr add 198.18.100.1/24 dev veth-a
ip -n $B addr add 198.18.100.2/24 dev veth-b
ip -n $A addr add 2001:db8:0:100::1/64 dev veth-a nodad
ip -n $B addr add 2001:db8:0:100::2/64 dev veth-b nodad

timeout 30 ip netns exec $A tcpdump -q -i veth-a -s 0 -w veth-ethernet.pcap 2>/dev/null &
timeout 30 ip netns exec $B tcpdump -q -i any -y LINUX_SLL -s 0 --time-stamp-precision=nano -w any-sll.pcap 2>/dev/null &
sleep 1.5

timeout 20 ip netns exec $B python3 - <<'PY' &
import socket, struct, threading
def serve(family, addr, port, mode):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port)); s.listen(4); s.settimeout(15)
    c, _ = s.accept(); c.settimeout(10)
    if mode == "echo":
        for _ in range(3):
            d = c.recv(4096)
            c.sendall(b"reply:" + d * 3)
        c.close()
    elif mode == "bulk":
        c.recv(100)
        c.sendall(bytes(range(256)) * 1200)  # 300 kB: GSO super-packets on the sender
        c.shutdown(socket.SHUT_WR)
        c.recv(100)
        c.close()
    elif mode == "reset":
        c.recv(100)
        c.sendall(b"x" * 2000)
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        c.close()
    s.close()
for args in [(socket.AF_INET, "198.18.0.2", 8080, "echo"), (socket.AF_INET6, "2001:db8:0:1::2", 8443, "bulk"),
             (socket.AF_INET, "198.18.100.2", 8081, "reset"), (socket.AF_INET6, "2001:db8:0:100::2", 8082, "echo")]:
    threading.Thread(target=serve, args=args, daemon=True).start()
import time; time.sleep(8)
PY
sleep 1
timeout 15 ip netns exec $A python3 - <<'PY'
import socket, time
def talk(family, addr, port, mode):
    c = socket.socket(family, socket.SOCK_STREAM); c.settimeout(5)
    c.connect((addr, port))
    if mode == "echo":
        for i in range(3):
            c.sendall(b"request %d " % i * 20); c.recv(4096); time.sleep(0.05)
        c.recv(10)
    elif mode == "bulk":
        c.sendall(b"go"); n = 0
        while True:
            d = c.recv(65536)
            if not d: break
            n += len(d)
        c.close(); return
    elif mode == "reset":
        c.sendall(b"hello"); time.sleep(0.2)
        try: c.recv(10); c.send(b"more"); time.sleep(0.1); c.recv(10)
        except OSError: pass
    c.close()
talk(socket.AF_INET, "198.18.0.2", 8080, "echo")
talk(socket.AF_INET6, "2001:db8:0:1::2", 8443, "bulk")
talk(socket.AF_INET, "198.18.100.2", 8081, "reset")
talk(socket.AF_INET6, "2001:db8:0:100::2", 8082, "echo")
try:  # nothing listens here: refused
    talk(socket.AF_INET6, "2001:db8:0:100::2", 9, "echo")
except OSError:
    pass
PY
sleep 1.5
for ns in $A $B; do
  { ip netns pids $ns 2>/dev/null || true; } | while read -r pid; do kill -INT "$pid" 2>/dev/null || true; done
done
wait || true
editcap -F pcapng any-sll.pcap any-sll.pcapng
gzip -9 -n -c any-sll.pcapng > any-sll.pcapng.gz
rm -f any-sll.pcap any-sll.pcapng
ls -l veth-ethernet.pcap any-sll.pcapng.gz
