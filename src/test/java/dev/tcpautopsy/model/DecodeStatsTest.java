package dev.tcpautopsy.model;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DecodeStatsTest {

    @Test
    void countsComeOutOrderedByNameAndCannotBeChanged() {
        Map<String, Long> anomalies = new HashMap<>();
        for (String name : List.of("TRUNCATED_TCP_HEADER", "BAD_IPV4_IHL", "TRUNCATED_IP_HEADER", "BAD_TCP_DATA_OFFSET")) {
            anomalies.put(name, 1L);
        }
        DecodeStats stats = new DecodeStats(0, 0, 0, 0, Map.of("UDP", 3L, "ARP", 1L, "ICMP", 2L), Map.of(), anomalies);

        assertEquals(List.of("ARP", "ICMP", "UDP"), List.copyOf(stats.otherProtocols().keySet()));
        assertEquals(List.of("BAD_IPV4_IHL", "BAD_TCP_DATA_OFFSET", "TRUNCATED_IP_HEADER", "TRUNCATED_TCP_HEADER"),
                List.copyOf(stats.anomalies().keySet()));
        assertThrows(UnsupportedOperationException.class, () -> stats.tunnels().put("GRE", 1L));
    }
}
