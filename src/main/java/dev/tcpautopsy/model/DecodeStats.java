package dev.tcpautopsy.model;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What decoding made of a capture's records. Maps are ordered by key and count records:
 * {@code otherProtocols} what was not TCP (UDP, ICMP, ARP, ...), {@code tunnels} the encapsulations
 * seen (GRE, VXLAN, IP-in-IP, ...), {@code anomalies} named per-packet problems
 * (e.g. {@code TRUNCATED_TCP_HEADER}, {@code BAD_IPV4_IHL}).
 */
public record DecodeStats(long tcpSegments, long ipv4, long ipv6, long fragments,
                          Map<String, Long> otherProtocols, Map<String, Long> tunnels,
                          Map<String, Long> anomalies) {
    public DecodeStats {
        otherProtocols = sorted(otherProtocols);
        tunnels = sorted(tunnels);
        anomalies = sorted(anomalies);
    }

    // Map.copyOf would lose the order the reports print these in
    private static Map<String, Long> sorted(Map<String, Long> counts) {
        return Collections.unmodifiableMap(new TreeMap<>(counts));
    }
}
